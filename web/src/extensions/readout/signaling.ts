import { decodeServer, type ServerMsg } from './codec';

/** What a signaling connection reports: its binary messages, then its close. */
export interface ConnectionEvents {
  message(data: ArrayBuffer): void;
  closed(code: number, reason: string): void;
}

/** One signaling connection: a WebSocket in the browser, a fake in tests. */
export interface Connection {
  /** Takes over the events; what arrived before (and a close) is delivered first, in order. */
  listen(events: ConnectionEvents): void;
  /** Sends when open; drops the message otherwise (the server's WELCOME after a reconnect brings the state back). */
  send(bytes: Uint8Array): void;
  close(code: number, reason: string): void;
}

/**
 * The readout's signaling WebSocket (docs/readout-protocol.md, "Signaling"). It opens at once; what arrives before
 * someone listens is kept in order, so a socket may be opened while the viewer is still being set up. `early` sees
 * each message that arrives before then (it is delivered to the listener all the same).
 */
export function webSocketConnection(readoutId: string, early?: (data: ArrayBuffer) => void): Connection {
  const ws = new WebSocket(
    `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/readouts/${encodeURIComponent(readoutId)}`,
  );
  ws.binaryType = 'arraybuffer';
  const queued: ArrayBuffer[] = [];
  let closedEarly: CloseEvent | undefined;
  ws.onmessage = (e: MessageEvent) => {
    queued.push(e.data as ArrayBuffer);
    early?.(e.data as ArrayBuffer);
  };
  ws.onclose = (e: CloseEvent) => (closedEarly = e);
  return {
    listen(events) {
      ws.onmessage = (e: MessageEvent) => events.message(e.data as ArrayBuffer);
      ws.onclose = (e: CloseEvent) => events.closed(e.code, e.reason);
      for (const data of queued.splice(0)) events.message(data);
      if (closedEarly) events.closed(closedEarly.code, closedEarly.reason);
    },
    send(bytes) {
      if (ws.readyState === WebSocket.OPEN) ws.send(bytes);
    },
    close(code, reason) {
      ws.close(code, reason);
    },
  };
}

export interface SignalingHandlers {
  /** A decoded server message of the current connection (an undecodable one is logged and skipped). */
  message(m: ServerMsg): void;
  /**
   * The connection closed. `reconnecting`: a new one follows by itself; else it closed for good, `reason` saying why
   * when the server ended it.
   */
  lost(reconnecting: boolean, reason: string): void;
}

/** Most time between reconnection attempts; they start at 200 ms and double. */
const MAX_RETRY_MS = 5000;

/**
 * The signaling channel: one connection at a time, reconnected after an unexpected close (200 ms doubling to 5 s,
 * from 200 ms again once a WELCOME arrived), never after 4001 (a newer socket of this session took over: reconnecting
 * would take the seat back) or 4003 (the readout ended or the invite is gone: the server would refuse).
 */
export class SignalingChannel {
  private current: Connection | undefined;
  private retry = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(
    private readonly connect: () => Connection,
    private readonly handlers: SignalingHandlers,
  ) {}

  /** The connection in use (diagnostics: a test drops it to see the session reconnect). */
  get connection(): Connection | undefined {
    return this.current;
  }

  /** Starts on `first` (a connection opened early), or on a new one. */
  start(first?: Connection): void {
    this.open(first ?? this.connect());
  }

  send(bytes: Uint8Array): void {
    this.current?.send(bytes);
  }

  /** Leaves for good. */
  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.current?.close(1000, 'left');
  }

  private open(conn: Connection): void {
    this.current = conn;
    conn.listen({
      message: (data) => {
        if (this.current !== conn) return;
        let m: ServerMsg;
        try {
          m = decodeServer(new Uint8Array(data));
        } catch (err) {
          console.warn('readout: undecodable server message', err);
          return;
        }
        if (m.type === 'welcome') this.retry = 0;
        this.handlers.message(m);
      },
      closed: (code, reason) => {
        if (this.current !== conn) return;
        this.current = undefined;
        let why = '';
        if (code === 4001 || code === 4003) {
          this.closed = true;
          why = reason || (code === 4001 ? 'opened elsewhere' : 'access ended');
        }
        if (!this.closed) {
          const delay = Math.min(MAX_RETRY_MS, 200 * 2 ** this.retry++);
          this.retryTimer = setTimeout(() => !this.closed && this.open(this.connect()), delay);
        }
        this.handlers.lost(!this.closed, why);
      },
    });
  }
}
