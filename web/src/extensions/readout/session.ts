import { Emitter } from '../../platform/events';
import { decodeServer, enc, type ServerMsg } from './codec';
import { PeerInbox } from './peerInbox';
import { PeerRefusals } from './peerRefusals';
import { Telepointer } from './pointer';
import { SignalingChannel, webSocketConnection, type Connection } from './signaling';
import { initialState, isDriver, type SessionState } from './state';
import { Transport } from './transport';
import type { StudyLoader, SyncViewer } from './viewer';
import { ViewSync } from './viewSync';

/**
 * A readout's signaling connection and microphone, started before the viewer is ready: a late joiner's WELCOME (the
 * driver's view and the chat) then waits for nobody, and only the messages' handling waits for Cornerstone.
 */
export class EarlyJoin {
  readonly connection: Connection;
  readonly mic: Promise<MediaStreamTrack | undefined>;
  /**
   * The WELCOME, as soon as it arrives, however long the viewer takes to start: the page fetches the study the
   * driver shows meanwhile. Never settles when the socket closes first (the session reports that).
   */
  readonly welcome: Promise<Extract<ServerMsg, { type: 'welcome' }>>;

  constructor(readoutId: string) {
    // No microphone (or no permission): listen only.
    this.mic = navigator.mediaDevices.getUserMedia({ audio: true }).then(
      (s) => s.getAudioTracks()[0],
      () => undefined,
    );
    let welcomed: (m: Extract<ServerMsg, { type: 'welcome' }>) => void = () => undefined;
    this.welcome = new Promise((resolve) => (welcomed = resolve));
    let seen = false;
    this.connection = webSocketConnection(readoutId, (data) => {
      if (seen) return;
      try {
        const m = decodeServer(new Uint8Array(data));
        if (m.type !== 'welcome') return;
        seen = true;
        welcomed(m);
      } catch {
        // Undecodable: the session's own decoding reports it.
      }
    });
  }

  /** The page went away before the session started. */
  close(): void {
    this.connection.close(1000, 'left');
    void this.mic.then((t) => t?.stop());
  }
}

export interface SessionEvents extends Record<string, unknown> {
  change: SessionState;
  /** A WELCOME arrived (a new connection is in sync from here). */
  welcome: undefined;
  /** The driver sent VIEW `seq` showing image `imageIndex`. */
  viewSent: { seq: number; imageIndex: number };
  /** A follower applied VIEW `seq` showing image `imageIndex` (again when re-applied, e.g. on snap-back). */
  viewApplied: { seq: number; imageIndex: number };
}

/** How often the speaking indicator reads the audio levels. */
const SPEAKING_POLL_MS = 500;

/**
 * One participant's readout: wires the signaling channel, the transport (mesh, relay, SFU audio), the view sync,
 * the telepointer and the data-channel inbox, and handles what the server keeps itself (roster, chat, errors).
 */
export class ReadoutSession {
  readonly events = new Emitter<SessionEvents>();
  readonly state: SessionState = initialState();
  readonly refusals = new PeerRefusals();
  readonly signaling: SignalingChannel;
  readonly transport: Transport;
  private readonly viewSync: ViewSync;
  private readonly pointer: Telepointer;
  private readonly inbox: PeerInbox;
  private mic: MediaStreamTrack | undefined;
  private readonly speaking: ReturnType<typeof setInterval>;
  /** Mixed audio: who the mixer last said talks (SPEAKING), before muted participants are taken out. */
  private mixTalking: number[] = [];

  constructor(
    private readonly readoutId: string,
    viewer: SyncViewer,
    loadStudy: StudyLoader,
  ) {
    const changed = (): void => this.changed();
    this.signaling = new SignalingChannel(() => webSocketConnection(readoutId), {
      message: (m) => void this.onServer(m),
      lost: (reconnecting, reason) => this.onLost(reconnecting, reason),
    });
    const send = (bytes: Uint8Array): void => this.signaling.send(bytes);
    this.transport = new Transport(this.state, send, {
      peerMessage: (from, data) => this.inbox.fromPeer(from, data),
      relayBatch: (data) => this.inbox.fromRelay(data),
      refused: (from, reason, detail) => this.refusals.record({ from, reason, detail }),
      channelOpen: () => this.viewSync.sendFull(),
      changed,
    });
    this.viewSync = new ViewSync({
      state: this.state,
      viewer,
      loadStudy,
      data: this.transport,
      sendServer: send,
      sendStatus: () => this.sendStatus(),
      changed,
      sent: (seq, imageIndex) => this.events.emit('viewSent', { seq, imageIndex }),
      applied: (seq, imageIndex) => this.events.emit('viewApplied', { seq, imageIndex }),
    });
    this.pointer = new Telepointer(this.state, viewer, this.transport, changed);
    this.inbox = new PeerInbox(this.state, this.refusals, {
      view: (from, view) => this.viewSync.receive(from, view),
      pointer: (from, p) => this.pointer.receive(from, p),
    });
    this.speaking = setInterval(() => void this.pollSpeaking(), SPEAKING_POLL_MS);
  }

  get isDriver(): boolean {
    return isDriver(this.state);
  }

  /** Joins with `early` (the connection and microphone the page started while the viewer was being set up), or anew. */
  async start(early = new EarlyJoin(this.readoutId)): Promise<void> {
    this.mic = await early.mic;
    this.transport.microphone = this.mic;
    this.signaling.start(early.connection);
  }

  // --- user actions ---
  requestFloor(take = false): void {
    this.signaling.send(enc.floorRequest(take));
  }
  releaseFloor(): void {
    this.signaling.send(enc.floorRelease());
  }
  handOver(peer: number): void {
    this.signaling.send(enc.floorHandOver(peer));
  }
  chat(text: string): void {
    if (text.trim()) this.signaling.send(enc.chat(text));
  }
  goTo(index: number): void {
    if (this.isDriver && index >= 0 && index < this.state.worklist.length) this.signaling.send(enc.worklistGoto(index));
  }
  async setMuted(muted: boolean): Promise<void> {
    this.state.muted = muted;
    if (this.mic) this.mic.enabled = !muted;
    await this.transport.setMuted(muted);
    this.sendStatus();
    this.changed();
  }
  /** The user changed the view outside the viewer pane (the mode's toolbar and keys): see ViewSync.browsedLocally. */
  browsedLocally(): void {
    this.viewSync.browsedLocally();
  }
  setFollowing(on: boolean): void {
    this.viewSync.setFollowing(on);
  }

  close(): void {
    this.signaling.close();
    this.transport.close();
    this.mic?.stop();
    this.viewSync.close();
    this.pointer.close();
    clearInterval(this.speaking);
  }

  private onLost(reconnecting: boolean, reason: string): void {
    if (reason) this.state.lastError = reason;
    this.transport.disconnected();
    this.viewSync.disconnected();
    this.pointer.hide();
    this.state.me = 0;
    this.state.connection = reconnecting ? 'reconnecting' : 'closed';
    this.changed();
  }

  private async onServer(m: ServerMsg): Promise<void> {
    const s = this.state;
    switch (m.type) {
      case 'welcome': {
        this.events.emit('welcome', undefined);
        s.connection = 'connected';
        s.me = m.you;
        s.role = m.role;
        s.worklist = m.worklist;
        s.floor = m.floor;
        s.chat = m.chat;
        this.viewSync.welcome(m.worklistIndex, m.snapshot);
        // The study loads while the peer connections are set up: a late joiner's first frame waits for neither.
        void this.viewSync.loadWelcomed();
        await this.transport.welcome(
          m.iceServers.map((i) => ({ urls: i.urls, username: i.username, credential: i.credential })),
        );
        this.changed();
        // A reconnected participant is new to the server: tell it at once whether we are ready and following.
        this.sendStatus();
        return;
      }
      case 'roster':
        s.peers = m.peers;
        this.transport.roster();
        if (s.audioPath === 'mix') this.applyMixTalking();
        this.changed();
        return;
      case 'signal':
        await this.transport.signal(m);
        return;
      case 'topology':
        this.transport.topology(m);
        // Nothing is lost in the switch: chat, floor and worklist are on this socket, and the driver sends a
        // full view on the new path at once (again when its relay channel opens).
        this.viewSync.sendFull();
        this.changed();
        return;
      case 'floor':
        // The old driver's pointer goes with its floor.
        if (m.holder !== s.floor.holder) this.pointer.hide();
        this.viewSync.floor(m);
        return;
      case 'chat':
        s.chat = [
          ...s.chat,
          { seq: m.seq, from: m.from, name: m.name, time: m.time, text: m.text, role: m.role, guest: m.guest },
        ].slice(-500);
        this.changed();
        return;
      case 'worklist':
        await this.viewSync.worklist(m.index);
        return;
      case 'audio':
        await this.transport.audio(m);
        return;
      case 'speaking':
        // Mixed audio: one stream cannot tell the voices apart, the mixer can and says who talks.
        this.mixTalking = m.peers;
        if (s.audioPath !== 'mix') return;
        this.applyMixTalking();
        this.changed();
        return;
      case 'error':
        s.lastError = `${m.code}: ${m.message}`;
        console.warn(`readout: server refused a message: ${s.lastError}`);
        this.changed();
        return;
    }
  }

  private sendStatus(): void {
    const s = this.state;
    this.signaling.send(enc.status(s.ready ? s.loadedIndex : -1, s.ready, s.following, s.muted));
  }

  /**
   * The mixer's talkers, less ourselves (as on the other paths, which never carry our own voice back) and the
   * muted: a muted microphone sends nothing, and the mixer only notices silence in packets it still gets.
   */
  private applyMixTalking(): void {
    const s = this.state;
    const muted = new Set(s.peers.filter((p) => p.muted).map((p) => p.id));
    s.speaking = new Set(this.mixTalking.filter((p) => p !== s.me && !muted.has(p)));
  }

  private async pollSpeaking(): Promise<void> {
    if (!this.transport.connected || this.state.audioPath === 'mix') return;
    const stats = await this.transport.audioStats();
    const speaking = new Set<number>();
    for (const [peer, st] of stats) if (st.level > 0.01) speaking.add(peer);
    const before = [...this.state.speaking].join();
    this.state.speaking = speaking;
    if ([...speaking].join() !== before) this.changed();
  }

  private changed(): void {
    this.events.emit('change', this.state);
  }
}
