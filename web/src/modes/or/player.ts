import { ApiError } from '../../platform/api/client';
import { h } from '../../platform/ui/dom';
import { attachOverlay, overlayPeerConfig, type AttachedOverlay } from './overlay';

interface WatchAnswer {
  viewing: string;
  or: string;
  flow: string;
  offer: { type: 'offer'; sdp: string };
}

/** What the player needs of the API client (ApiClient.send). */
export type Send = <T>(method: string, path: string, body?: unknown) => Promise<T>;

export type PlayerState = 'connecting' | 'playing' | 'reconnecting' | 'forbidden' | 'not-found' | 'error';

/** ICE gathering for the answer is cut short after this: the candidates found so far go with it. */
const GATHER_MS = 2000;
/**
 * No RTP packet for this long means the media path is gone (network drop, Janus or the gateway restarted): the
 * player starts a new viewing at once rather than waiting for ICE to time out (5-30 s). A flow keeps sending even
 * when its picture stands still (the gateway encodes every composed frame, concealed or not), so silence is never
 * normal. Packets, not painted frames: a browser too busy to paint is no reason to reconnect.
 */
export const STALL_MS = 900;
/** How often the receiver's packet count is read (getStats). */
const PROBE_MS = 200;
/**
 * A new connection gets this long to connect (ICE and DTLS, slow in a browser busy with other pages) before it is
 * retried, and then this long more than a stall for its first packet.
 */
const CONNECT_MS = 8000;
const FIRST_PACKET_MS = 1000;
/** Retries of a failed (re)connection: quick first, then no more often than this. */
const RETRY_MS = [150, 300, 600, 1000];

/**
 * One flow of a live OR in one video element: asks the server for a viewing (the server brokers the WebRTC session
 * with its SFU), answers Janus's offer and plays the receive-only H.264 track. It reconnects by itself: when frames
 * stop for {@link STALL_MS}, when the PeerConnection fails, or when a (re)connection attempt fails other than by
 * 403/404, it stops the old viewing and watches again, retrying quickly.
 */
export class FlowPlayer {
  readonly video: HTMLVideoElement;
  private pc: RTCPeerConnection | undefined;
  private viewing: string | undefined;
  private overlay: AttachedOverlay | undefined;
  private disposed = false;
  private attempt = 0;
  private generation = 0;
  private lastPacketAt = 0;
  private packets = -1;
  /** The answer is with Janus: frames are due, and their absence is a stall. */
  private live = false;
  private readonly watchdog: ReturnType<typeof setInterval>;
  /** Reconnections done (for the page's figures and tests). */
  reconnects = 0;
  state: PlayerState = 'connecting';

  constructor(
    private readonly send: Send,
    private readonly base: string,
    readonly flow: string,
    private readonly onState: (p: FlowPlayer, state: PlayerState, text: string) => void,
  ) {
    this.video = h('video', {
      class: 'or-video',
      'data-testid': 'or-video',
      'data-flow': flow,
      autoplay: true,
      muted: true,
      playsinline: true,
    });
    this.video.muted = true;
    this.video.addEventListener('playing', () => this.set('playing', ''));
    type WithRvfc = HTMLVideoElement & { requestVideoFrameCallback?: (cb: () => void) => number };
    const v = this.video as WithRvfc;
    const onFrame = (): void => {
      if (this.disposed) return;
      if (this.state !== 'playing') this.set('playing', '');
      v.requestVideoFrameCallback?.(onFrame);
    };
    v.requestVideoFrameCallback?.(onFrame);
    this.watchdog = setInterval(() => void this.probe(), PROBE_MS);
    void this.connect();
  }

  /** Reconnects when no packet came for {@link STALL_MS}. */
  private async probe(): Promise<void> {
    const peer = this.pc;
    if (!this.live || !peer) return;
    let packets = -1;
    try {
      (await peer.getStats()).forEach((r: { type: string; kind?: string; packetsReceived?: number }) => {
        if (r.type === 'inbound-rtp' && r.kind === 'video') packets = r.packetsReceived ?? 0;
      });
    } catch {
      return; // closed meanwhile
    }
    if (peer !== this.pc) return;
    const now = performance.now();
    if (packets > this.packets) {
      this.packets = packets;
      this.lastPacketAt = now;
    } else if (now - this.lastPacketAt > STALL_MS) {
      this.reconnect('no packets');
    }
  }

  /** The receiver of the video track, for the flow sync's jitterBufferTarget. */
  receiver(): RTCRtpReceiver | undefined {
    return this.pc?.getReceivers().find((r) => r.track.kind === 'video');
  }

  private set(state: PlayerState, text: string): void {
    if (this.disposed) return;
    this.state = state;
    this.video.setAttribute('data-state', state);
    this.onState(this, state, text);
  }

  private reconnect(why: string): void {
    if (this.disposed || !this.live) return;
    this.live = false;
    this.reconnects++;
    this.video.setAttribute('data-reconnects', String(this.reconnects));
    this.set('reconnecting', `Reconnecting (${why})…`);
    void this.connect();
  }

  private async connect(): Promise<void> {
    const gen = ++this.generation;
    this.live = false;
    this.stopViewing();
    try {
      await this.watch(gen);
      this.attempt = 0;
    } catch (e) {
      if (this.disposed || gen !== this.generation) return;
      if (e instanceof ApiError && e.status === 403) {
        this.set('forbidden', 'You may not watch this OR: the administrator decides who may.');
        return;
      }
      if (e instanceof ApiError && e.status === 404) {
        this.set('not-found', 'There is no such OR or flow.');
        return;
      }
      const wait = RETRY_MS[Math.min(this.attempt++, RETRY_MS.length - 1)];
      if (this.state !== 'reconnecting') this.set('reconnecting', 'Reconnecting…');
      setTimeout(() => {
        if (!this.disposed && gen === this.generation) void this.connect();
      }, wait);
    }
  }

  private async watch(gen: number): Promise<void> {
    const w = await this.send<WatchAnswer>('POST', `${this.base}/watch`, { flow: this.flow });
    if (this.disposed || gen !== this.generation) {
      void this.send('POST', `${this.base}/viewings/${encodeURIComponent(w.viewing)}/stop`).catch(() => undefined);
      return;
    }
    this.viewing = w.viewing;
    const peer = (this.pc = new RTCPeerConnection(overlayPeerConfig()));
    const viewing = w.viewing;
    peer.ontrack = (e) => {
      this.overlay?.detach();
      this.overlay = attachOverlay(
        this.video,
        e.receiver,
        `${this.base}/viewings/${encodeURIComponent(viewing)}/metadata`,
      );
      this.video.srcObject = e.streams[0] ?? new MediaStream([e.track]);
    };
    peer.onconnectionstatechange = () => {
      if (peer !== this.pc) return;
      if (peer.connectionState === 'connected') this.lastPacketAt = performance.now() + FIRST_PACKET_MS;
      if (peer.connectionState === 'failed' || peer.connectionState === 'closed') {
        this.reconnect('connection ' + peer.connectionState);
      }
    };
    await peer.setRemoteDescription(w.offer);
    await peer.setLocalDescription(await peer.createAnswer());
    // One answer with the candidates gathered (no trickle race between the answer and its candidates).
    await new Promise<void>((resolve) => {
      if (peer.iceGatheringState === 'complete') return resolve();
      const done = setTimeout(resolve, GATHER_MS);
      peer.addEventListener('icegatheringstatechange', () => {
        if (peer.iceGatheringState === 'complete') {
          clearTimeout(done);
          resolve();
        }
      });
    });
    const path = `${this.base}/viewings/${encodeURIComponent(w.viewing)}`;
    await this.send('POST', `${path}/answer`, { sdp: peer.localDescription!.sdp });
    await this.send('POST', `${path}/candidates`, { candidates: [], completed: true });
    // Packets are due from now: a connection that never delivers any is retried like a stalled one.
    if (peer.connectionState !== 'connected') this.lastPacketAt = performance.now() + CONNECT_MS;
    this.packets = -1;
    this.live = gen === this.generation && !this.disposed;
  }

  private stopViewing(): void {
    const v = this.viewing;
    this.viewing = undefined;
    this.overlay?.detach();
    this.overlay = undefined;
    const peer = this.pc;
    this.pc = undefined;
    peer?.close();
    if (v) void this.send('POST', `${this.base}/viewings/${encodeURIComponent(v)}/stop`).catch(() => undefined);
  }

  /** The viewing id now, for the page's figures. */
  currentViewing(): string | undefined {
    return this.viewing;
  }

  dispose(): void {
    this.disposed = true;
    this.generation++;
    clearInterval(this.watchdog);
    this.stopViewing();
  }
}
