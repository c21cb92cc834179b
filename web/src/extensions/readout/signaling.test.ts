import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import type { ServerMsg } from './codec';
import { encode } from '@msgpack/msgpack';
import { SignalingChannel, type Connection, type ConnectionEvents } from './signaling';

/** A connection the test delivers to and closes. */
class FakeConnection implements Connection {
  events: ConnectionEvents | undefined;
  readonly sent: Uint8Array[] = [];
  closedWith: number | undefined;
  open = true;

  listen(events: ConnectionEvents): void {
    this.events = events;
  }
  send(bytes: Uint8Array): void {
    if (this.open) this.sent.push(bytes);
  }
  close(code: number): void {
    this.closedWith = code;
  }
  deliver(message: unknown[]): void {
    const bytes = encode(message);
    this.events!.message(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  }
  serverCloses(code: number, reason = ''): void {
    this.open = false;
    this.events!.closed(code, reason);
  }
}

const WELCOME = [1, 4, 'r1', 'resident', [], [], 0, [4, 0, 0, []], [], null];

describe('SignalingChannel', () => {
  let made: FakeConnection[];
  let handlers: { message: Mock<(m: ServerMsg) => void>; lost: Mock<(reconnecting: boolean, why: string) => void> };
  let channel: SignalingChannel;

  beforeEach(() => {
    vi.useFakeTimers();
    made = [];
    handlers = {
      message: vi.fn<(m: ServerMsg) => void>(),
      lost: vi.fn<(reconnecting: boolean, why: string) => void>(),
    };
    channel = new SignalingChannel(() => {
      const c = new FakeConnection();
      made.push(c);
      return c;
    }, handlers);
  });
  afterEach(() => vi.useRealTimers());

  it('decodes what the server sends, skips what does not decode, and sends on the current connection', () => {
    const early = new FakeConnection();
    channel.start(early);
    expect(channel.connection).toBe(early);
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    early.deliver([99, 'nonsense']);
    early.deliver([6, 2]);
    expect(handlers.message.mock.calls).toEqual([[{ type: 'worklist', index: 2 }]]);
    channel.send(Uint8Array.of(1));
    expect(early.sent).toEqual([Uint8Array.of(1)]);
  });

  it('reconnects after an unexpected close, 200 ms doubling to 5 s, and from 200 ms again after a WELCOME', () => {
    channel.start();
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      made.at(-1)!.serverCloses(1006);
      expect(handlers.lost).toHaveBeenLastCalledWith(true, '');
      const before = made.length;
      let waited = 0;
      while (made.length === before) {
        vi.advanceTimersByTime(100);
        waited += 100;
      }
      delays.push(waited);
    }
    expect(delays).toEqual([200, 400, 800, 1600, 3200, 5000, 5000]);
    made.at(-1)!.deliver(WELCOME);
    made.at(-1)!.serverCloses(1012);
    vi.advanceTimersByTime(199);
    expect(made).toHaveLength(8);
    vi.advanceTimersByTime(1);
    expect(made).toHaveLength(9);
  });

  it('never reconnects after 4001 (a newer socket took over) or 4003 (access ended), and says why', () => {
    channel.start();
    made[0].serverCloses(4001);
    expect(handlers.lost).toHaveBeenLastCalledWith(false, 'opened elsewhere');
    vi.advanceTimersByTime(60_000);
    expect(made).toHaveLength(1);

    const other = new SignalingChannel(() => new FakeConnection(), handlers);
    const c = new FakeConnection();
    other.start(c);
    c.serverCloses(4003, 'invite revoked');
    expect(handlers.lost).toHaveBeenLastCalledWith(false, 'invite revoked');
  });

  it('ignores a replaced connection, and leaving stops reconnection', () => {
    channel.start();
    const first = made[0];
    first.serverCloses(1006);
    vi.advanceTimersByTime(200);
    first.deliver(WELCOME); // a late message of the dropped connection
    expect(handlers.message).not.toHaveBeenCalled();
    made[1].deliver(WELCOME);
    expect(handlers.message).toHaveBeenCalledTimes(1);

    channel.close();
    expect(made[1].closedWith).toBe(1000);
    made[1].serverCloses(1000);
    expect(handlers.lost).toHaveBeenLastCalledWith(false, '');
    vi.advanceTimersByTime(10_000);
    expect(made).toHaveLength(2);
  });
});
