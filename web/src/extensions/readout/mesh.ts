import { MAX_PEER_MESSAGE_BYTES, SignalKind } from './codec';

/** One RTCPeerConnection per other participant: an unordered 'view' data channel and our microphone. */
interface Link {
  pc: RTCPeerConnection;
  channel?: RTCDataChannel;
  pending: RTCIceCandidateInit[];
  audio?: HTMLAudioElement;
}

export interface MeshHandlers {
  signal(to: number, kind: number, payload: string): void;
  message(from: number, data: Uint8Array): void;
  /** A message refused before decoding: `too-large` (over the Mesh's maxMessageBytes) or `malformed` (a text message). */
  refused(from: number, reason: 'too-large' | 'malformed', detail: string): void;
  channelOpen(peer: number): void;
  peersChanged(): void;
}

/**
 * The full mesh. The newcomer offers to everyone already there (they learn of it from the roster and wait
 * for its offer), so two peers never offer to each other at once. In relay mode the session also keeps a Mesh
 * of one, without microphone, to the server's relay (peer RELAY_PEER), which takes larger messages (batches).
 */
export class Mesh {
  private readonly links = new Map<number, Link>();
  private muted = false;
  /** False in relay mode: audio goes through the SFU, the mesh carries none. */
  private sendAudio = true;

  constructor(
    private readonly iceServers: RTCIceServer[],
    private readonly mic: MediaStreamTrack | undefined,
    private readonly handlers: MeshHandlers,
    /** Larger messages are refused `too-large`: MAX_PEER_MESSAGE_BYTES on the mesh, more on the relay link. */
    private readonly maxMessageBytes = MAX_PEER_MESSAGE_BYTES,
  ) {}

  peers(): number[] {
    return [...this.links.keys()];
  }

  has(peer: number): boolean {
    return this.links.has(peer);
  }

  /** Whether the data channel to `peer` is open. */
  isOpen(peer: number): boolean {
    return this.links.get(peer)?.channel?.readyState === 'open';
  }

  /** Whether the connection to `peer` failed for good (ICE or DTLS gave up). */
  failed(peer: number): boolean {
    return this.links.get(peer)?.pc.connectionState === 'failed';
  }

  async offerTo(peer: number): Promise<void> {
    const link = this.create(peer);
    this.attachChannel(peer, link, link.pc.createDataChannel('view', { ordered: false, maxRetransmits: 0 }));
    const offer = await link.pc.createOffer();
    await link.pc.setLocalDescription(offer);
    this.handlers.signal(peer, SignalKind.OFFER, offer.sdp ?? '');
  }

  async onSignal(from: number, kind: number, payload: string): Promise<void> {
    if (kind === SignalKind.OFFER) {
      this.remove(from);
      const link = this.create(from);
      await link.pc.setRemoteDescription({ type: 'offer', sdp: payload });
      await this.flush(link);
      const answer = await link.pc.createAnswer();
      await link.pc.setLocalDescription(answer);
      this.handlers.signal(from, SignalKind.ANSWER, answer.sdp ?? '');
      return;
    }
    const link = this.links.get(from);
    if (!link) return;
    if (kind === SignalKind.ANSWER) {
      await link.pc.setRemoteDescription({ type: 'answer', sdp: payload });
      await this.flush(link);
    } else if (kind === SignalKind.CANDIDATE) {
      const candidate = JSON.parse(payload) as RTCIceCandidateInit;
      if (link.pc.remoteDescription) await link.pc.addIceCandidate(candidate).catch(() => undefined);
      else link.pending.push(candidate);
    }
  }

  /** Sends to every open channel (also raw test bytes: see diagnostics.ts, sendRawToPeers); returns how many took it. */
  broadcast(data: Uint8Array): number {
    let n = 0;
    for (const link of this.links.values()) {
      if (link.channel?.readyState === 'open') {
        link.channel.send(data as Uint8Array<ArrayBuffer>);
        n++;
      }
    }
    return n;
  }

  /** Mute stops sending audio altogether (no RTP), unmute resumes. */
  async setMuted(muted: boolean): Promise<void> {
    this.muted = muted;
    await Promise.all([...this.links.values()].map((l) => this.applyMute(l)));
  }

  /** Whether our microphone goes to the mesh peers (mesh mode) or not (relay mode: the SFU carries it). */
  async setSendAudio(on: boolean): Promise<void> {
    this.sendAudio = on;
    await Promise.all([...this.links.values()].map((l) => this.applyMute(l)));
  }

  remove(peer: number): void {
    const link = this.links.get(peer);
    if (!link) return;
    this.links.delete(peer);
    link.channel?.close();
    link.pc.close();
    link.audio?.remove();
    this.handlers.peersChanged();
  }

  close(): void {
    for (const peer of [...this.links.keys()]) this.remove(peer);
  }

  /** inbound-rtp audio bytes and level per peer (for the speaking indicator and tests). */
  async audioStats(): Promise<Map<number, { bytes: number; level: number }>> {
    const out = new Map<number, { bytes: number; level: number }>();
    for (const [peer, link] of this.links) {
      const stats = await link.pc.getStats();
      stats.forEach((s: { type: string; kind?: string; bytesReceived?: number; audioLevel?: number }) => {
        if (s.type === 'inbound-rtp' && s.kind === 'audio')
          out.set(peer, { bytes: s.bytesReceived ?? 0, level: s.audioLevel ?? 0 });
      });
    }
    return out;
  }

  private create(peer: number): Link {
    const pc = new RTCPeerConnection({ iceServers: this.iceServers });
    const link: Link = { pc, pending: [] };
    this.links.set(peer, link);
    if (this.mic) {
      pc.addTrack(this.mic, new MediaStream([this.mic]));
      void this.applyMute(link);
    }
    pc.onicecandidate = (e) => {
      if (e.candidate) this.handlers.signal(peer, SignalKind.CANDIDATE, JSON.stringify(e.candidate.toJSON()));
    };
    pc.ondatachannel = (e) => this.attachChannel(peer, link, e.channel);
    pc.ontrack = (e) => {
      const audio = link.audio ?? document.createElement('audio');
      audio.autoplay = true;
      audio.setAttribute('data-testid', 'peer-audio');
      audio.setAttribute('data-peer-id', String(peer));
      audio.srcObject = e.streams[0] ?? new MediaStream([e.track]);
      audio.hidden = true;
      if (!link.audio) document.body.append(audio);
      link.audio = audio;
    };
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'failed') this.handlers.peersChanged();
    };
    this.handlers.peersChanged();
    return link;
  }

  private attachChannel(peer: number, link: Link, channel: RTCDataChannel): void {
    channel.binaryType = 'arraybuffer';
    link.channel = channel;
    channel.onopen = () => this.handlers.channelOpen(peer);
    channel.onmessage = (e: MessageEvent<unknown>) => {
      if (!(e.data instanceof ArrayBuffer)) {
        this.handlers.refused(peer, 'malformed', 'a text message; the protocol sends binary only');
      } else if (e.data.byteLength > this.maxMessageBytes) {
        this.handlers.refused(peer, 'too-large', `${e.data.byteLength} bytes, at most ${this.maxMessageBytes}`);
      } else {
        this.handlers.message(peer, new Uint8Array(e.data));
      }
    };
  }

  private async flush(link: Link): Promise<void> {
    for (const c of link.pending.splice(0)) await link.pc.addIceCandidate(c).catch(() => undefined);
  }

  private async applyMute(link: Link): Promise<void> {
    for (const sender of link.pc.getSenders()) {
      if (sender.track?.kind === 'audio' || (sender.track === null && this.mic)) {
        await sender.replaceTrack(this.muted || !this.sendAudio ? null : (this.mic ?? null));
      }
    }
  }
}
