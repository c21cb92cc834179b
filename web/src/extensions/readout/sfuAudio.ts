import { AudioLeg, SignalKind, type AudioStream } from './codec';

export interface SfuAudioHandlers {
  /** An AUDIO message for the server (it passes it to the SFU): leg, kind, payload; the feed is always ours. */
  send(leg: number, kind: number, payload: string): void;
  /** Our microphone's connection to the SFU is up: the mesh may stop carrying it. */
  publishing(): void;
}

/**
 * Audio in relay mode (docs/readout-protocol.md, "Audio in relay mode"): our microphone is published to the
 * server's SFU (Janus) on one connection, the others' feeds arrive on a second one, one stream per feed. Both are
 * negotiated through the signaling socket only: the browser never talks to the SFU's API.
 */
export class SfuAudio {
  private pub: RTCPeerConnection | undefined;
  private sub: RTCPeerConnection | undefined;
  /** mid → feed (peer id) of the current subscribe connection. */
  private feeds = new Map<string, number>();
  private readonly audios = new Map<string, HTMLAudioElement>();
  private muted = false;
  private closed = false;

  constructor(
    private readonly iceServers: RTCIceServer[],
    private readonly mic: MediaStreamTrack | undefined,
    private readonly handlers: SfuAudioHandlers,
  ) {}

  /** Publishes the microphone (without one, this participant only listens). */
  async start(muted: boolean): Promise<void> {
    this.muted = muted;
    if (!this.mic || this.closed) return;
    this.pub?.close();
    const pc = new RTCPeerConnection({ iceServers: this.iceServers });
    this.pub = pc;
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'connected' && this.pub === pc) this.handlers.publishing();
      // A publish connection that failed (network change, SFU restart) is offered again; the new feed replaces it.
      if (pc.connectionState === 'failed' && this.pub === pc) {
        setTimeout(() => {
          if (this.pub === pc && !this.closed)
            void this.start(this.muted).catch((e: unknown) => console.warn('readout: audio publish failed', e));
        }, 1000);
      }
    };
    pc.addTransceiver(this.mic, { direction: 'sendonly', streams: [new MediaStream([this.mic])] });
    await this.applyMute();
    pc.onicecandidate = (e) => {
      if (e.candidate && this.pub === pc)
        this.handlers.send(AudioLeg.PUBLISH, SignalKind.CANDIDATE, JSON.stringify(e.candidate.toJSON()));
    };
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    if (this.pub === pc) this.handlers.send(AudioLeg.PUBLISH, SignalKind.OFFER, offer.sdp ?? '');
  }

  /** An AUDIO message from the server: the SFU's answer to our publish offer, or a (new) subscribe offer. */
  async onAudio(leg: number, kind: number, payload: string, streams: AudioStream[]): Promise<void> {
    if (this.closed) return;
    if (leg === AudioLeg.PUBLISH && kind === SignalKind.ANSWER) {
      await this.pub?.setRemoteDescription({ type: 'answer', sdp: payload });
    } else if (leg === AudioLeg.SUBSCRIBE && kind === SignalKind.OFFER) {
      const current = this.sub;
      if (current && payload && iceUfrag(payload) === iceUfrag(current.remoteDescription?.sdp ?? '')) {
        // Same SFU connection, more feeds: renegotiate in place, the feeds already heard go on.
        this.feeds = new Map(streams.map((s) => [s.mid, s.feed]));
        await this.answer(current, payload);
        return;
      }
      this.closeSubscriber();
      if (!payload) return; // nobody else publishes
      const pc = new RTCPeerConnection({ iceServers: this.iceServers });
      this.sub = pc;
      this.feeds = new Map(streams.map((s) => [s.mid, s.feed]));
      pc.onicecandidate = (e) => {
        if (e.candidate && this.sub === pc)
          this.handlers.send(AudioLeg.SUBSCRIBE, SignalKind.CANDIDATE, JSON.stringify(e.candidate.toJSON()));
      };
      pc.ontrack = (e) => {
        const mid = e.transceiver.mid ?? '';
        const audio = document.createElement('audio');
        audio.autoplay = true;
        audio.hidden = true;
        audio.setAttribute('data-testid', 'sfu-audio');
        audio.setAttribute('data-peer-id', String(this.feeds.get(mid) ?? 0));
        audio.srcObject = new MediaStream([e.track]);
        this.audios.get(mid)?.remove();
        this.audios.set(mid, audio);
        document.body.append(audio);
      };
      await this.answer(pc, payload);
    }
  }

  private async answer(pc: RTCPeerConnection, offer: string): Promise<void> {
    await pc.setRemoteDescription({ type: 'offer', sdp: offer });
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    if (this.sub === pc) this.handlers.send(AudioLeg.SUBSCRIBE, SignalKind.ANSWER, answer.sdp ?? '');
  }

  /** Mute stops sending audio altogether (no RTP to the SFU), unmute resumes. */
  async setMuted(muted: boolean): Promise<void> {
    this.muted = muted;
    await this.applyMute();
  }

  /** Inbound audio bytes and level per remote feed (peer id), from the subscribe connection. */
  async audioStats(): Promise<Map<number, { bytes: number; level: number }>> {
    const out = new Map<number, { bytes: number; level: number }>();
    const pc = this.sub;
    if (!pc) return out;
    const stats = await pc.getStats();
    stats.forEach((s: { type: string; kind?: string; mid?: string; bytesReceived?: number; audioLevel?: number }) => {
      if (s.type !== 'inbound-rtp' || s.kind !== 'audio') return;
      const feed = this.feeds.get(s.mid ?? '');
      if (feed) out.set(feed, { bytes: s.bytesReceived ?? 0, level: s.audioLevel ?? 0 });
    });
    return out;
  }

  /** Whether our microphone's connection to the SFU is up (tests, diagnostics). */
  get publishing(): boolean {
    return this.pub?.connectionState === 'connected';
  }

  close(): void {
    this.closed = true;
    this.pub?.close();
    this.pub = undefined;
    this.closeSubscriber();
  }

  private closeSubscriber(): void {
    this.sub?.close();
    this.sub = undefined;
    this.feeds = new Map();
    for (const a of this.audios.values()) a.remove();
    this.audios.clear();
  }

  private async applyMute(): Promise<void> {
    if (this.mic) this.mic.enabled = !this.muted;
    for (const sender of this.pub?.getSenders() ?? [])
      await sender.replaceTrack(this.muted ? null : (this.mic ?? null));
  }
}

/** The ICE user fragment of an SDP (the first a=ice-ufrag line): equal for the offers of one SFU connection. */
function iceUfrag(sdp: string): string {
  return /^a=ice-ufrag:(\S+)/m.exec(sdp)?.[1] ?? '';
}
