import { enc, MAX_RELAY_MESSAGE_BYTES, RELAY_PEER, SignalKind, type AudioStream, type ServerMsg } from './codec';
import { Mesh, type MeshHandlers } from './mesh';
import { SfuAudio, type SfuAudioHandlers } from './sfuAudio';
import type { SessionState } from './state';

export type AudioStats = Map<number, { bytes: number; level: number }>;

/** What the transport needs of a set of peer connections (mesh.ts's Mesh; a fake in tests). */
export interface PeerLinks {
  peers(): number[];
  has(peer: number): boolean;
  isOpen(peer: number): boolean;
  failed(peer: number): boolean;
  offerTo(peer: number): Promise<void>;
  onSignal(from: number, kind: number, payload: string): Promise<void>;
  broadcast(data: Uint8Array): number;
  setMuted(muted: boolean): Promise<void>;
  setSendAudio(on: boolean): Promise<void>;
  remove(peer: number): void;
  close(): void;
  audioStats(): Promise<AudioStats>;
}

/** What the transport needs of the SFU audio connections (sfuAudio.ts's SfuAudio; a fake in tests). */
export interface SfuLinks {
  /** Whether this is the mixed path's one connection (TOPOLOGY audio `mix`) rather than the SFU's two. */
  readonly mixed: boolean;
  start(muted: boolean): Promise<void>;
  onAudio(leg: number, kind: number, payload: string, streams: AudioStream[]): Promise<void>;
  setMuted(muted: boolean): Promise<void>;
  audioStats(): Promise<AudioStats>;
  readonly publishing: boolean;
  close(): void;
}

/** Makes the connections; WebRTC in the browser. */
export interface TransportParts {
  links(ice: RTCIceServer[], mic: MediaStreamTrack | undefined, h: MeshHandlers, maxMessageBytes?: number): PeerLinks;
  sfu(ice: RTCIceServer[], mic: MediaStreamTrack | undefined, h: SfuAudioHandlers, mixed: boolean): SfuLinks;
}

export const webRtcParts: TransportParts = {
  links: (ice, mic, h, max) => new Mesh(ice, mic, h, max),
  sfu: (ice, mic, h, mixed) => new SfuAudio(ice, mic, h, mixed),
};

/** Where the driver's view data goes: the view sync and the telepointer send through it. */
export interface DataPath {
  /** Whether there is a path (between WELCOME and the connection's end). */
  readonly connected: boolean;
  sendData(bytes: Uint8Array): void;
}

export interface TransportEvents {
  /** A data-channel message of mesh peer `from` (checked for size and kind only). */
  peerMessage(from: number, data: Uint8Array): void;
  /** A BATCH from the relay (checked for size and kind only). */
  relayBatch(data: Uint8Array): void;
  refused(from: number, reason: 'too-large' | 'malformed', detail: string): void;
  /** A data channel opened (to a peer or the relay): a driver sends its full view on it. */
  channelOpen(): void;
  changed(): void;
}

/** How long a failed relay connection waits before it is offered again. */
const RELAY_RETRY_MS = 1000;

/**
 * The data and audio paths (docs/readout-protocol.md, "Topology", "Relay", "Audio in relay mode"), as the server's
 * TOPOLOGY announces them: the mesh carries view data and audio; in relay mode view data goes through one connection
 * to the server's relay, and audio through the server's SFU when TOPOLOGY says `sfu`, else it stays on the mesh.
 * Writes `topology`, `audioPath`, `topologyEpoch` and `topologySwitches` of the state.
 */
export class Transport implements DataPath {
  /** Our microphone (none: listen only); set before the first WELCOME. */
  microphone: MediaStreamTrack | undefined;
  private mesh: PeerLinks | undefined;
  /** In relay mode: one connection, data only, to the server's relay. */
  private relay: PeerLinks | undefined;
  private relayRetry: ReturnType<typeof setTimeout> | undefined;
  /** In relay mode with the SFU: our microphone to the server's audio SFU and the others' feeds from it. */
  private sfu: SfuLinks | undefined;
  private iceServers: RTCIceServer[] = [];
  private topologyKnown = false;
  /** Whether a ROSTER came on this connection (until then `state.peers` may be the last connection's). */
  private rosterSeen = false;

  constructor(
    private readonly state: SessionState,
    private readonly send: (bytes: Uint8Array) => void,
    private readonly events: TransportEvents,
    private readonly parts: TransportParts = webRtcParts,
  ) {}

  get connected(): boolean {
    return this.mesh !== undefined;
  }

  /** The mesh connections of this connection (diagnostics: which peers, raw bytes to them). */
  get meshLinks(): PeerLinks | undefined {
    return this.mesh;
  }

  /** A new signaling connection was welcomed: a new mesh with the server's ICE servers. */
  async welcome(iceServers: RTCIceServer[]): Promise<void> {
    this.iceServers = iceServers;
    this.mesh = this.parts.links(iceServers, this.microphone, {
      signal: (to, kind, payload) => this.send(enc.signal(to, kind, payload)),
      message: (from, data) => this.events.peerMessage(from, data),
      refused: (from, reason, detail) => this.events.refused(from, reason, detail),
      channelOpen: () => this.events.channelOpen(),
      peersChanged: () => this.events.changed(),
    });
    if (this.state.muted) await this.mesh.setMuted(true);
  }

  /** The ROSTER in `state.peers` is new: connections to those who left go, the mesh is completed. */
  roster(): void {
    this.rosterSeen = true;
    const ids = new Set(this.state.peers.map((p) => p.id));
    for (const peer of this.mesh?.peers() ?? []) if (!ids.has(peer)) this.mesh?.remove(peer);
    this.completeMesh();
  }

  async signal(m: Extract<ServerMsg, { type: 'signal' }>): Promise<void> {
    // Without the mesh (relay mode with the SFU) a mesh offer is a leftover of the switch.
    if (m.from !== RELAY_PEER && m.kind === SignalKind.OFFER && !this.meshWanted) return;
    await (m.from === RELAY_PEER ? this.relay : this.mesh)
      ?.onSignal(m.from, m.kind, m.payload)
      .catch((e: unknown) => console.warn('readout: signal failed', e));
  }

  /** TOPOLOGY: switches the data path, the audio path, or both. */
  topology(m: Extract<ServerMsg, { type: 'topology' }>): void {
    const s = this.state;
    const switched = this.topologyKnown && m.mode !== s.topology;
    if (switched) s.topologySwitches++;
    this.topologyKnown = true;
    s.topology = m.mode;
    s.topologyEpoch = m.epoch;
    if (m.mode === 'relay') {
      // A TOPOLOGY that only moves audio (the SFU failed, or the group grew to be mixed) keeps the relay connection.
      if (!this.relay) this.openRelay();
      if (m.audio !== 'mesh') {
        const mixed = m.audio === 'mix';
        if (this.sfu && this.sfu.mixed !== mixed) this.closeSfu();
        if (!this.sfu) this.startSfuAudio(mixed);
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
  }

  async audio(m: Extract<ServerMsg, { type: 'audio' }>): Promise<void> {
    await this.sfu
      ?.onAudio(m.leg, m.kind, m.payload, m.streams)
      .catch((e: unknown) => console.warn('readout: audio signal failed', e));
  }

  /** The driver's view data: through the relay when its channel is open, else (mesh mode, or while it opens) to every peer. */
  sendData(bytes: Uint8Array): void {
    if (this.state.topology === 'relay' && this.relay?.isOpen(RELAY_PEER)) {
      this.relay.broadcast(bytes);
      return;
    }
    this.mesh?.broadcast(bytes);
  }

  async setMuted(muted: boolean): Promise<void> {
    await Promise.all([this.mesh?.setMuted(muted), this.sfu?.setMuted(muted)]);
  }

  /** Inbound audio per peer on the path audio takes now (the mesh, or the SFU's subscribe connection). */
  audioStats(): Promise<AudioStats> {
    if (this.sfu) return this.sfu.audioStats();
    return this.mesh?.audioStats() ?? Promise.resolve<AudioStats>(new Map());
  }

  /** The signaling connection ended: every connection goes; the next WELCOME and TOPOLOGY start afresh. */
  disconnected(): void {
    this.closeRelay();
    this.stopSfuAudio();
    this.state.topology = 'mesh';
    this.topologyKnown = false;
    this.mesh?.close();
    this.mesh = undefined;
    this.rosterSeen = false;
  }

  close(): void {
    this.closeRelay();
    this.stopSfuAudio();
    this.mesh?.close();
  }

  private openRelay(): void {
    this.closeRelay();
    const relay = this.parts.links(
      this.iceServers,
      undefined,
      {
        signal: (_to, kind, payload) => this.send(enc.signal(RELAY_PEER, kind, payload)),
        message: (_from, data) => this.events.relayBatch(data),
        refused: (from, reason, detail) => this.events.refused(from, reason, detail),
        channelOpen: () => {
          this.events.channelOpen();
          this.dropMeshIfCovered();
        },
        peersChanged: () => {
          // A connection that failed (network change, relay restart) is offered again while relay mode lasts.
          if (this.relay === relay && relay.failed(RELAY_PEER) && !this.relayRetry) {
            this.relayRetry = setTimeout(() => {
              this.relayRetry = undefined;
              if (this.relay === relay && this.state.topology === 'relay') this.openRelay();
            }, RELAY_RETRY_MS);
          }
          this.events.changed();
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

  private startSfuAudio(mixed: boolean): void {
    const sfu = this.parts.sfu(
      this.iceServers,
      this.microphone,
      {
        send: (leg, kind, payload) => this.send(enc.audio(leg, kind, this.state.me, payload)),
        // The mesh carries our microphone until the SFU does: the switch costs no silence (at most a moment of both).
        publishing: () => {
          if (this.sfu !== sfu) return;
          void this.mesh?.setSendAudio(false);
          this.dropMeshIfCovered();
        },
      },
      mixed,
    );
    this.sfu = sfu;
    this.state.audioPath = mixed ? 'mix' : 'sfu';
    if (!mixed) this.state.speaking = new Set();
    if (!this.microphone) void this.mesh?.setSendAudio(false);
    this.dropMeshIfCovered();
    void sfu.start(this.state.muted).catch((e: unknown) => console.warn('readout: audio publish failed', e));
  }

  /** From the SFU's two connections to the mixer's one, or back: the mesh stays as it is. */
  private closeSfu(): void {
    this.sfu?.close();
    this.sfu = undefined;
  }

  private stopSfuAudio(): void {
    if (!this.sfu) return;
    this.sfu.close();
    this.sfu = undefined;
    this.state.audioPath = 'mesh';
    this.state.speaking = new Set();
    void this.mesh?.setSendAudio(true);
    this.events.changed();
  }

  /** The mesh is wanted on the mesh path, and in relay mode while audio is not on the SFU. */
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

  /** Back to the mesh (switch, or audio off the SFU): the connections dropped in relay mode are made anew. */
  private rebuildMesh(): void {
    this.mesh?.close();
    void this.mesh?.setSendAudio(true);
    this.completeMesh();
  }

  /**
   * In relay mode with the SFU each participant holds one data connection (to the relay) and its SFU audio: the
   * mesh is closed once both carry what it carried (make before break), so nothing is lost in the switch.
   */
  private dropMeshIfCovered(): void {
    if (this.meshWanted || !this.relay?.isOpen(RELAY_PEER)) return;
    if (this.microphone && !this.sfu?.publishing) return;
    if (this.mesh?.peers().length) this.mesh.close();
  }
}
