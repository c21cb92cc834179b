import { Emitter } from '../../platform/events';
import {
  decodeBatch,
  decodePeer,
  decodeServer,
  enc,
  encodePointer,
  MAX_RELAY_MESSAGE_BYTES,
  RELAY_PEER,
  SignalKind,
  type ChatMsg,
  type FloorMsg,
  type Peer,
  type PeerMsg,
  type ServerMsg,
  type Topology,
  type ViewFields,
  type WorklistItem,
} from './codec';
import { Mesh } from './mesh';
import { SfuAudio } from './sfuAudio';
import { PeerRefusals, type PeerRefusal } from './peerRefusals';
import { ViewDriver } from './viewDriver';
import { ViewFollower } from './viewFollower';

/** What the session needs from the viewer (the Cornerstone StackViewer satisfies it). */
export interface SyncViewer {
  readonly element: HTMLElement;
  readonly root: HTMLElement;
  readonly events: { on(type: 'view' | 'state', fn: () => void): () => void };
  syncView(): Omit<ViewFields, 'worklistIndex'> | undefined;
  applySyncView(v: Omit<ViewFields, 'worklistIndex'>): void;
  canvasToImage(x: number, y: number): [number, number] | undefined;
  imageToCanvas(fx: number, fy: number): [number, number] | undefined;
  readonly currentSeries: string | undefined;
}

/**
 * Loads worklist entry `index` into the viewer (the series `seriesUid`, else the largest), showing image
 * `imageIndex` (default the first) first; resolves when shown.
 */
export type StudyLoader = (item: WorklistItem, index: number, seriesUid?: string, imageIndex?: number) => Promise<void>;

export interface SessionState {
  connection: 'connecting' | 'connected' | 'reconnecting' | 'closed';
  me: number;
  role: string;
  peers: Peer[];
  floor: FloorMsg;
  worklist: WorklistItem[];
  worklistIndex: number;
  loadedIndex: number;
  ready: boolean;
  following: boolean;
  muted: boolean;
  chat: ChatMsg[];
  speaking: Set<number>;
  lastError: string;
  appliedSeq: number;
  sentSeq: number;
  pointer: { visible: boolean; x: number; y: number };
  /** How view data travels now (the server decides by group size). */
  topology: Topology;
  /** How audio travels, as the server's TOPOLOGY says: on the mesh, or in relay mode through the server's SFU. */
  audioPath: 'mesh' | 'sfu';
  /** Grows by one on every switch; 0 before the first. */
  topologyEpoch: number;
  /** Switches seen while connected (not the topology found on joining): the panel shows a brief notice for each. */
  topologySwitches: number;
}

/**
 * One VIEW in the diagnostics trace (web/README.md). Times are ms on the clock every page of one browser
 * shares: performance.timeOrigin + performance.now().
 */
export interface ViewTraceEntry {
  seq: number;
  imageIndex: number;
  /** Driver: when it went to the data channels. */
  sentAt?: number;
  /** Follower: when it was applied to the viewer. */
  appliedAt?: number;
  /** When the viewer first drew this entry's image after it was sent or applied (Cornerstone IMAGE_RENDERED). */
  renderedAt?: number;
}

/** Diagnostics for benchmarks: when WELCOME arrived and the last 2048 VIEWs sent or applied. */
export interface SessionDiagnostics {
  welcomeAt: number;
  views: ViewTraceEntry[];
}

function openSocket(readoutId: string): WebSocket {
  const ws = new WebSocket(
    `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/readouts/${encodeURIComponent(readoutId)}`,
  );
  ws.binaryType = 'arraybuffer';
  return ws;
}

/**
 * A readout's signaling socket and microphone, started before the viewer is ready: a late joiner's WELCOME (the
 * driver's view and the chat) then waits for nobody, and only the messages' handling waits for Cornerstone.
 * What arrives before the session adopts the socket is kept in order.
 */
export class EarlyJoin {
  readonly ws: WebSocket;
  readonly mic: Promise<MediaStreamTrack | undefined>;
  private readonly queued: MessageEvent[] = [];
  private closedEarly?: CloseEvent;

  constructor(readoutId: string) {
    // No microphone (or no permission): listen only.
    this.mic = navigator.mediaDevices.getUserMedia({ audio: true }).then(
      (s) => s.getAudioTracks()[0],
      () => undefined,
    );
    this.ws = openSocket(readoutId);
    this.ws.onmessage = (e: MessageEvent) => this.queued.push(e);
    this.ws.onclose = (e: CloseEvent) => (this.closedEarly = e);
  }

  /** Hands the socket over: what came so far first, then the rest; `onClose` at once if it closed meanwhile. */
  adopt(onMessage: (e: MessageEvent) => void, onClose: (e?: CloseEvent) => void): void {
    this.ws.onmessage = onMessage;
    this.ws.onclose = onClose;
    for (const e of this.queued.splice(0)) onMessage(e);
    if (this.closedEarly) onClose(this.closedEarly);
  }

  /** The page went away before the session started. */
  close(): void {
    this.ws.close(1000, 'left');
    void this.mic.then((t) => t?.stop());
  }
}

/** When the driver repeats its settled view after the last change (see scheduleRepair). */
const REPAIR_AFTER_MS = [50, 250];
const now = (): number => performance.timeOrigin + performance.now();

export interface SessionEvents extends Record<string, unknown> {
  change: SessionState;
}

/**
 * One participant's readout: the signaling WebSocket, the WebRTC mesh, floor, worklist, view sync (driver
 * sends, followers apply), chat, audio, telepointer, follow/free-browse and reconnection.
 */
export class ReadoutSession {
  readonly events = new Emitter<SessionEvents>();
  readonly state: SessionState = {
    connection: 'connecting',
    me: 0,
    role: '',
    peers: [],
    floor: { epoch: 0, holder: 0, requests: [] },
    worklist: [],
    worklistIndex: 0,
    loadedIndex: -1,
    ready: false,
    following: true,
    muted: false,
    chat: [],
    speaking: new Set(),
    lastError: '',
    appliedSeq: -1,
    sentSeq: -1,
    pointer: { visible: false, x: 0, y: 0 },
    topology: 'mesh',
    audioPath: 'mesh',
    topologyEpoch: 0,
    topologySwitches: 0,
  };
  private ws: WebSocket | undefined;
  private mesh: Mesh | undefined;
  /** In relay mode: one connection, data only, to the server's relay. */
  private relay: Mesh | undefined;
  private relayRetry: ReturnType<typeof setTimeout> | undefined;
  /** In relay mode: our microphone to the server's audio SFU and the others' feeds from it. */
  private sfu: SfuAudio | undefined;
  private iceServers: RTCIceServer[] = [];
  private topologyKnown = false;
  private mic: MediaStreamTrack | undefined;
  private readonly driver = new ViewDriver();
  private readonly follower = new ViewFollower();
  private readonly refusals = new PeerRefusals();
  private closed = false;
  /** Whether a ROSTER came on this connection (until then `state.peers` may be the last connection's). */
  private rosterSeen = false;
  private retry = 0;
  private sendFrame = 0;
  private lastSend = 0;
  private snapshotTimer: ReturnType<typeof setTimeout> | undefined;
  private repairTimers: ReturnType<typeof setTimeout>[] = [];
  private pointerSeq = 0;
  private pointerFrame = 0;
  private pendingPointer: { visible: boolean; x: number; y: number } | undefined;
  private loading: Promise<void> | undefined;
  private loadingKey = '';
  private readonly cleanups: (() => void)[] = [];
  readonly diagnostics: SessionDiagnostics = { welcomeAt: 0, views: [] };

  constructor(
    private readonly readoutId: string,
    private readonly viewer: SyncViewer,
    private readonly loadStudy: StudyLoader,
  ) {
    this.cleanups.push(viewer.events.on('view', () => this.onLocalView()));
    const onInput = (e: Event): void => {
      if (e.isTrusted) this.browsedLocally();
    };
    for (const type of ['wheel', 'pointerdown', 'keydown']) {
      viewer.root.addEventListener(type, onInput, true);
      this.cleanups.push(() => viewer.root.removeEventListener(type, onInput, true));
    }
    const onMove = (e: PointerEvent): void => {
      if (!this.isDriver) return;
      const r = viewer.element.getBoundingClientRect();
      const p = viewer.canvasToImage(e.clientX - r.left, e.clientY - r.top);
      if (p) this.queuePointer({ visible: true, x: p[0], y: p[1] });
    };
    const onLeave = (): void => {
      if (this.isDriver) this.queuePointer({ visible: false, x: 0, y: 0 });
    };
    viewer.element.addEventListener('pointermove', onMove);
    viewer.element.addEventListener('pointerleave', onLeave);
    this.cleanups.push(() => viewer.element.removeEventListener('pointermove', onMove));
    this.cleanups.push(() => viewer.element.removeEventListener('pointerleave', onLeave));
    // The viewer sets data-image-index and data-rendered in its own (earlier) listener of this event.
    const onRendered = (): void => this.traceRendered();
    viewer.element.addEventListener('CORNERSTONE_IMAGE_RENDERED', onRendered);
    this.cleanups.push(() => viewer.element.removeEventListener('CORNERSTONE_IMAGE_RENDERED', onRendered));
    const full = setInterval(() => this.isDriver && this.sendView(true), 1000);
    const speak = setInterval(() => void this.pollSpeaking(), 500);
    this.cleanups.push(
      () => clearInterval(full),
      () => clearInterval(speak),
    );
    (window as unknown as { __medsyncReadout: ReadoutSession }).__medsyncReadout = this;
  }

  get isDriver(): boolean {
    return this.state.me !== 0 && this.state.floor.holder === this.state.me;
  }

  /** Joins with `early` (the socket and microphone the page started while the viewer was being set up), or anew. */
  async start(early = new EarlyJoin(this.readoutId)): Promise<void> {
    this.mic = await early.mic;
    this.connect(early);
  }

  // --- user actions ---
  requestFloor(take = false): void {
    this.send(enc.floorRequest(take));
  }
  releaseFloor(): void {
    this.send(enc.floorRelease());
  }
  handOver(peer: number): void {
    this.send(enc.floorHandOver(peer));
  }
  chat(text: string): void {
    if (text.trim()) this.send(enc.chat(text));
  }
  goTo(index: number): void {
    if (this.isDriver && index >= 0 && index < this.state.worklist.length) this.send(enc.worklistGoto(index));
  }
  async setMuted(muted: boolean): Promise<void> {
    this.state.muted = muted;
    if (this.mic) this.mic.enabled = !muted;
    await Promise.all([this.mesh?.setMuted(muted), this.sfu?.setMuted(muted)]);
    this.sendStatus();
    this.changed();
  }
  /**
   * The user changed the view themselves: a follower stops following (free-browse). Input inside the viewer
   * pane is seen here; the mode reports what the pane does not see (its toolbar, keys handled at document level).
   */
  browsedLocally(): void {
    if (!this.isDriver && this.state.following) this.setFollowing(false);
  }
  setFollowing(on: boolean): void {
    this.state.following = on;
    this.sendStatus();
    this.changed();
    if (on) this.applyLatest();
  }
  /** For tests and diagnostics: inbound audio per peer, on the path audio takes now (mesh, or the SFU in relay mode). */
  audioStats(): Promise<Map<number, { bytes: number; level: number }>> {
    if (this.sfu) return this.sfu.audioStats();
    return this.mesh?.audioStats() ?? Promise.resolve(new Map<number, { bytes: number; level: number }>());
  }
  /** For tests and diagnostics: the peers this participant holds a mesh connection to (none in relay mode with the SFU). */
  meshPeers(): number[] {
    return this.mesh?.peers() ?? [];
  }
  /** Sends a raw AUDIO message (tests: forged feeds and malformed JSEP must be refused by the server). */
  sendRawAudio(leg: number, kind: number, feed: number, payload: string): void {
    this.send(enc.audio(leg, kind, feed, payload));
  }
  /** Simulates a dropped network (tests): the socket closes and the session reconnects by itself. */
  dropConnection(): void {
    this.ws?.close(4000, 'dropped');
  }
  /** Sends raw bytes on every open data channel as if they were ours (tests: forged and malformed input); returns how many channels took them. */
  sendRawToPeers(bytes: Uint8Array): number {
    return this.mesh?.broadcast(bytes) ?? 0;
  }
  /** How many data-channel messages this participant refused (forged sender, malformed, too large). */
  get rejectedPeerMessages(): number {
    return this.refusals.count;
  }
  /** The last refused data-channel messages, oldest first. */
  get peerRefusals(): readonly PeerRefusal[] {
    return this.refusals.recent;
  }

  close(): void {
    this.closed = true;
    this.ws?.close(1000, 'left');
    this.closeRelay();
    this.stopSfuAudio();
    this.mesh?.close();
    this.mic?.stop();
    clearTimeout(this.snapshotTimer);
    this.repairTimers.forEach(clearTimeout);
    for (const c of this.cleanups) c();
  }

  // --- signaling ---
  private connect(early?: EarlyJoin): void {
    const ws = early?.ws ?? openSocket(this.readoutId);
    this.ws = ws;
    const onMessage = (e: MessageEvent): void => {
      let m: ServerMsg;
      try {
        m = decodeServer(new Uint8Array(e.data as ArrayBuffer));
      } catch (err) {
        console.warn('readout: undecodable server message', err);
        return;
      }
      void this.onServer(m);
    };
    const onClose = (e?: CloseEvent): void => {
      if (this.ws !== ws) return;
      // 4001: this session opened a newer socket (another tab); 4003: the readout ended or the invite was
      // revoked or expired. Reconnecting would only take the seat back from the newer tab, or be refused.
      if (e?.code === 4001 || e?.code === 4003) {
        this.closed = true;
        this.state.lastError = e.reason || (e.code === 4001 ? 'opened elsewhere' : 'access ended');
      }
      this.closeRelay();
      this.stopSfuAudio();
      this.state.topology = 'mesh';
      this.topologyKnown = false;
      this.mesh?.close();
      this.mesh = undefined;
      this.rosterSeen = false;
      this.follower.reset();
      this.state.me = 0;
      this.state.pointer = { visible: false, x: 0, y: 0 };
      if (this.closed) {
        this.state.connection = 'closed';
      } else {
        this.state.connection = 'reconnecting';
        const delay = Math.min(5000, 200 * 2 ** this.retry++);
        setTimeout(() => !this.closed && this.connect(), delay);
      }
      this.changed();
    };
    if (early) {
      early.adopt(onMessage, onClose);
    } else {
      ws.onmessage = onMessage;
      ws.onclose = onClose;
    }
  }

  private send(bytes: Uint8Array): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(bytes);
  }

  private async onServer(m: ServerMsg): Promise<void> {
    const s = this.state;
    switch (m.type) {
      case 'welcome': {
        this.diagnostics.welcomeAt = now();
        this.retry = 0;
        s.connection = 'connected';
        s.me = m.you;
        s.role = m.role;
        s.worklist = m.worklist;
        s.worklistIndex = m.worklistIndex;
        s.floor = m.floor;
        s.chat = m.chat;
        const ice: RTCIceServer[] = m.iceServers.map((i) => ({
          urls: i.urls,
          username: i.username,
          credential: i.credential,
        }));
        this.iceServers = ice;
        this.mesh = new Mesh(ice, this.mic, {
          signal: (to, kind, payload) => this.send(enc.signal(to, kind, payload)),
          message: (from, data) => this.onPeer(from, data),
          refused: (from, reason, detail) => this.refusals.record({ from, reason, detail }),
          channelOpen: () => {
            if (this.isDriver) {
              this.driver.requestFull();
              this.sendView(true);
            }
          },
          peersChanged: () => this.changed(),
        });
        if (s.muted) await this.mesh.setMuted(true);
        if (m.snapshot && m.floor.holder) {
          this.follower.accept(m.floor.holder, m.snapshot);
        }
        this.changed();
        // A reconnected participant is new to the server: tell it at once whether we are ready and following.
        this.sendStatus();
        void this.ensureStudy(m.worklistIndex, this.follower.latest?.seriesUid, this.follower.latest?.imageIndex);
        return;
      }
      case 'roster': {
        s.peers = m.peers;
        this.rosterSeen = true;
        const ids = new Set(m.peers.map((p) => p.id));
        for (const peer of this.mesh?.peers() ?? []) if (!ids.has(peer)) this.mesh?.remove(peer);
        this.completeMesh();
        this.changed();
        return;
      }
      case 'signal':
        // In relay mode with the SFU there is no mesh: a mesh offer then is a leftover of the switch.
        if (m.from !== RELAY_PEER && m.kind === SignalKind.OFFER && !this.meshWanted) return;
        await (m.from === RELAY_PEER ? this.relay : this.mesh)
          ?.onSignal(m.from, m.kind, m.payload)
          .catch((e: unknown) => console.warn('readout: signal failed', e));
        return;
      case 'topology': {
        const switched = this.topologyKnown && m.mode !== s.topology;
        if (switched) s.topologySwitches++;
        this.topologyKnown = true;
        s.topology = m.mode;
        s.topologyEpoch = m.epoch;
        if (m.mode === 'relay') {
          // A TOPOLOGY that only moves audio (the SFU failed) keeps the relay connection.
          if (!this.relay) this.openRelay();
          if (m.audio === 'sfu') {
            if (!this.sfu) this.startSfuAudio();
          } else if (this.sfu) {
            this.stopSfuAudio();
            this.rebuildMesh();
          }
        } else {
          this.closeRelay();
          this.stopSfuAudio();
          // On joining, the ROSTER that follows builds the mesh; after a switch the one we dropped is made anew.
          if (switched) this.rebuildMesh();
        }
        // Nothing is lost in the switch: chat, floor and worklist are on this socket, and the driver sends a
        // full view on the new path at once (again when its relay channel opens).
        if (this.isDriver) this.sendView(true);
        this.changed();
        return;
      }
      case 'floor': {
        const wasDriver = this.isDriver;
        const newHolder = m.holder !== s.floor.holder;
        s.floor = { epoch: m.epoch, holder: m.holder, requests: m.requests };
        if (newHolder) {
          // The old driver's pointer and view base go with its floor. A FLOOR that only queues a request keeps
          // them: resetting there made followers drop deltas until the next full state (up to a second).
          s.pointer = { visible: false, x: 0, y: 0 };
          this.follower.reset();
        }
        if (this.isDriver && !wasDriver) {
          s.following = true;
          this.driver.requestFull();
          this.sendView(true);
          this.sendStatus();
        }
        this.changed();
        return;
      }
      case 'chat':
        s.chat = [
          ...s.chat,
          { seq: m.seq, from: m.from, name: m.name, time: m.time, text: m.text, role: m.role, guest: m.guest },
        ].slice(-500);
        this.changed();
        return;
      case 'worklist':
        s.worklistIndex = m.index;
        this.changed();
        if (this.isDriver || s.following) await this.ensureStudy(m.index);
        return;
      case 'audio':
        await this.sfu
          ?.onAudio(m.leg, m.kind, m.payload, m.streams)
          .catch((e: unknown) => console.warn('readout: audio signal failed', e));
        return;
      case 'error':
        s.lastError = `${m.code}: ${m.message}`;
        console.warn(`readout: server refused a message: ${s.lastError}`);
        this.changed();
        return;
    }
  }

  // --- study loading ---
  private async ensureStudy(index: number, seriesUid?: string, imageIndex?: number): Promise<void> {
    const item = this.state.worklist[index];
    if (!item) return;
    const key = `${index}|${seriesUid ?? ''}`;
    if (this.state.loadedIndex === index && (!seriesUid || this.viewer.currentSeries === seriesUid)) return;
    if (this.loading && this.loadingKey === key) return this.loading;
    this.loadingKey = key;
    this.state.ready = false;
    this.sendStatus();
    const mine = (this.loading = this.loadStudy(item, index, seriesUid, imageIndex).then(
      () => {
        if (this.loading !== mine) return;
        this.loading = undefined;
        this.state.loadedIndex = index;
        this.state.ready = true;
        this.sendStatus();
        this.changed();
        if (this.isDriver) this.sendView(true);
        else this.applyLatest();
      },
      (e: unknown) => {
        if (this.loading === mine) this.loading = undefined;
        this.state.lastError = `load: ${(e as Error).message}`;
        this.changed();
      },
    ));
    return mine;
  }

  // --- relay (large groups) ---
  private openRelay(): void {
    this.closeRelay();
    const relay = new Mesh(
      this.iceServers,
      undefined,
      {
        signal: (_to, kind, payload) => this.send(enc.signal(RELAY_PEER, kind, payload)),
        message: (_from, data) => this.onRelayBatch(data),
        refused: (from, reason, detail) => this.refusals.record({ from, reason, detail }),
        channelOpen: () => {
          if (this.isDriver) this.sendView(true);
          this.dropMeshIfCovered();
        },
        peersChanged: () => {
          // A connection that failed (network change, relay restart) is offered again while relay mode lasts.
          if (this.relay === relay && relay.failed(RELAY_PEER) && !this.relayRetry) {
            this.relayRetry = setTimeout(() => {
              this.relayRetry = undefined;
              if (this.relay === relay && this.state.topology === 'relay') this.openRelay();
            }, 1000);
          }
          this.changed();
        },
      },
      MAX_RELAY_MESSAGE_BYTES,
    );
    this.relay = relay;
    void relay.offerTo(RELAY_PEER).catch((e: unknown) => console.warn('readout: relay offer failed', e));
  }

  private closeRelay(): void {
    clearTimeout(this.relayRetry);
    this.relayRetry = undefined;
    this.relay?.close();
    this.relay = undefined;
  }

  // --- audio through the SFU (relay mode) ---
  private startSfuAudio(): void {
    const sfu = new SfuAudio(this.iceServers, this.mic, {
      send: (leg, kind, payload) => this.send(enc.audio(leg, kind, this.state.me, payload)),
      // The mesh carries our microphone until the SFU does: the switch costs no silence (at most a moment of both).
      publishing: () => {
        if (this.sfu !== sfu) return;
        void this.mesh?.setSendAudio(false);
        this.dropMeshIfCovered();
      },
    });
    this.sfu = sfu;
    this.state.audioPath = 'sfu';
    if (!this.mic) void this.mesh?.setSendAudio(false);
    this.dropMeshIfCovered();
    void sfu.start(this.state.muted).catch((e: unknown) => console.warn('readout: audio publish failed', e));
  }

  private stopSfuAudio(): void {
    if (!this.sfu) return;
    this.sfu.close();
    this.sfu = undefined;
    this.state.audioPath = 'mesh';
    void this.mesh?.setSendAudio(true);
    this.changed();
  }

  // --- the mesh ---
  /** The mesh is wanted on the mesh path, and in relay mode while audio has no SFU. */
  private get meshWanted(): boolean {
    return this.state.topology === 'mesh' || this.state.audioPath === 'mesh';
  }

  /**
   * Offers to every peer with a lower id that has no working connection to us. A newcomer has the highest id,
   * so it offers to everyone already there; after a switch back to the mesh every pair is offered exactly once,
   * by its higher id, so two peers never offer to each other at once.
   */
  private completeMesh(): void {
    if (!this.mesh || !this.meshWanted || !this.rosterSeen) return;
    for (const p of this.state.peers) {
      if (p.id < this.state.me && (!this.mesh.has(p.id) || this.mesh.failed(p.id))) {
        void this.mesh.offerTo(p.id).catch((e: unknown) => console.warn('readout: mesh offer failed', e));
      }
    }
  }

  /** Back to the mesh (switch, or no SFU for audio): the connections dropped in relay mode are made anew. */
  private rebuildMesh(): void {
    this.mesh?.close();
    void this.mesh?.setSendAudio(true);
    this.completeMesh();
  }

  /**
   * In relay mode each participant holds one data connection (to the relay) and its SFU audio: the mesh is
   * closed once both carry what it carried (make before break), so nothing is lost in the switch.
   */
  private dropMeshIfCovered(): void {
    if (this.meshWanted || !this.relay?.isOpen(RELAY_PEER)) return;
    if (this.mic && !this.sfu?.publishing) return;
    if (this.mesh?.peers().length) this.mesh.close();
  }

  /** The driver's view data: through the relay when its channel is open, else (mesh mode, or while it opens) to every peer. */
  private sendData(bytes: Uint8Array): void {
    if (this.state.topology === 'relay' && this.relay?.isOpen(RELAY_PEER)) {
      this.relay.broadcast(bytes);
      return;
    }
    this.mesh?.broadcast(bytes);
  }

  private sendStatus(): void {
    const s = this.state;
    this.send(enc.status(s.ready ? s.loadedIndex : -1, s.ready, s.following, s.muted));
  }

  // --- view: driver ---
  private onLocalView(): void {
    if (!this.isDriver) return;
    const since = performance.now() - this.lastSend;
    if (since >= 16) {
      this.sendView(false);
    } else if (!this.sendFrame) {
      this.sendFrame = requestAnimationFrame(() => {
        this.sendFrame = 0;
        this.sendView(false);
      });
    }
  }

  private currentView(): ViewFields | undefined {
    if (this.state.loadedIndex !== this.state.worklistIndex || this.loading) return undefined;
    const v = this.viewer.syncView();
    return v ? { worklistIndex: this.state.loadedIndex, ...v } : undefined;
  }

  private sendView(periodic: boolean): void {
    const view = this.currentView();
    if (!view || !this.mesh) return;
    if (periodic) this.driver.requestFull();
    const out = this.driver.next(view, performance.now());
    if (!out) return;
    this.lastSend = performance.now();
    this.sendData(out.bytes);
    this.state.sentSeq = this.driver.sequence;
    this.trace({ seq: this.driver.sequence, imageIndex: view.imageIndex, sentAt: now() });
    this.viewer.element.setAttribute('data-sync-seq', String(this.driver.sequence));
    if (!periodic) this.scheduleRepair();
    if (!this.snapshotTimer) {
      this.snapshotTimer = setTimeout(() => {
        this.snapshotTimer = undefined;
        const v = this.currentView();
        if (v && this.isDriver) this.send(enc.snapshot(this.driver.snapshot(v)));
      }, 100);
    }
  }

  /**
   * The view channel drops lost messages (maxRetransmits 0), and a follower that missed the last change of a
   * burst would otherwise wait for the next periodic full state, up to a second. Repeating the settled state as
   * a full state shortly after the burst ends bounds that wait; while the driver keeps changing the view, each
   * change cancels the repeats, so continuous scrolling costs nothing extra.
   */
  private scheduleRepair(): void {
    this.repairTimers.forEach(clearTimeout);
    this.repairTimers = REPAIR_AFTER_MS.map((ms) => setTimeout(() => this.isDriver && this.sendView(true), ms));
  }

  private queuePointer(p: { visible: boolean; x: number; y: number }): void {
    this.pendingPointer = p;
    if (this.pointerFrame) return;
    this.pointerFrame = requestAnimationFrame(() => {
      this.pointerFrame = 0;
      const q = this.pendingPointer;
      if (!q || !this.mesh) return;
      this.sendData(encodePointer(++this.pointerSeq, q.visible, q.x, q.y));
    });
  }

  // --- view: follower ---
  /** A data-channel message: format first, then sender (only the floor holder's messages count). */
  private onPeer(from: number, data: Uint8Array): void {
    let msg;
    try {
      msg = decodePeer(data);
    } catch (e) {
      this.refusals.record({ from, reason: 'malformed', detail: (e as Error).message });
      return;
    }
    this.onPeerMessage(from, msg, '');
  }

  /**
   * A BATCH from the relay: decoded as strictly as a peer's message, then each message it carries is checked
   * like one straight from its sender (`from`, which must be the floor holder as this participant knows it).
   */
  private onRelayBatch(data: Uint8Array): void {
    let batch;
    try {
      batch = decodeBatch(data);
    } catch (e) {
      this.refusals.record({ from: RELAY_PEER, reason: 'malformed', detail: (e as Error).message });
      return;
    }
    for (const m of batch.messages) this.onPeerMessage(batch.from, m, ' through the relay');
  }

  /** A VIEW or POINTER of `from`, straight from its channel or unpacked from a relay batch (`via`). */
  private onPeerMessage(from: number, msg: PeerMsg, via: string): void {
    if (from !== this.state.floor.holder) {
      // Also the old driver's last messages right after a floor change, and the new one's before FLOOR arrives.
      const holder = this.state.floor.holder;
      this.refusals.record({
        from,
        reason: 'not-driver',
        detail: `${msg.type.toUpperCase()} from peer ${from}${via}; ${holder ? `peer ${holder}` : 'nobody'} drives`,
      });
      return;
    }
    if (this.isDriver) return; // a driver follows nobody
    if (msg.type === 'pointer') {
      if (msg.seq <= this.rxPointerSeq && from === this.lastPointerFrom) return;
      this.lastPointerFrom = from;
      this.rxPointerSeq = msg.seq;
      this.state.pointer = { visible: msg.visible, x: msg.x, y: msg.y };
      this.changed();
      return;
    }
    if (this.follower.accept(from, msg.view)) this.applyLatest();
  }
  private lastPointerFrom = 0;
  private rxPointerSeq = 0;

  private applyLatest(): void {
    const v = this.follower.latest;
    if (!v || this.isDriver || !this.state.following) return;
    if (v.worklistIndex !== this.state.loadedIndex || (this.viewer.currentSeries !== v.seriesUid && !this.loading)) {
      void this.ensureStudy(v.worklistIndex, v.seriesUid, v.imageIndex);
      return;
    }
    if (this.loading) return;
    this.viewer.applySyncView(v);
    const last = this.diagnostics.views.at(-1);
    if (last?.seq !== this.follower.latestSeq)
      this.trace({ seq: this.follower.latestSeq, imageIndex: v.imageIndex, appliedAt: now() });
    this.state.appliedSeq = this.follower.latestSeq;
    this.viewer.element.setAttribute('data-sync-seq', String(this.follower.latestSeq));
    this.changed();
  }

  private trace(e: ViewTraceEntry): void {
    const views = this.diagnostics.views;
    views.push(e);
    if (views.length > 2048) views.splice(0, views.length - 2048);
  }

  /** Stamps the latest not yet drawn entries that show the image just drawn (a later VIEW may reuse it). */
  private traceRendered(): void {
    const el = this.viewer.element;
    if (el.getAttribute('data-rendered') !== 'true') return;
    const image = Number(el.getAttribute('data-image-index'));
    const views = this.diagnostics.views;
    const at = now();
    for (let i = views.length - 1; i >= 0 && i >= views.length - 8 && views[i].renderedAt === undefined; i--) {
      if (views[i].imageIndex === image) views[i].renderedAt = at;
    }
  }

  private async pollSpeaking(): Promise<void> {
    if (!this.mesh) return;
    const stats = await this.audioStats();
    const speaking = new Set<number>();
    for (const [peer, s] of stats) if (s.level > 0.01) speaking.add(peer);
    const before = [...this.state.speaking].join();
    this.state.speaking = speaking;
    if ([...speaking].join() !== before) this.changed();
  }

  private changed(): void {
    this.events.emit('change', this.state);
  }
}
