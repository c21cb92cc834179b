import { AudioLeg, SignalKind, type AudioStream } from './codec';

export interface SfuAudioHandlers {
  /** An AUDIO message for the server (it passes it to the SFU): leg, kind, payload; the feed is always ours. */
  send(leg: number, kind: number, payload: string): void;
  /** Our microphone's connection to the SFU is up: the mesh may stop carrying it. */
  publishing(): void;
}

/** The mix's key in {@link SfuAudio.audioStats}: not a peer (peer ids count from 1). */
export const MIX_FEED = 0;

/**
 * Audio in relay mode (docs/readout-protocol.md, "Audio in relay mode"): our microphone is published to the
 * server's SFU (Janus) on one connection, the others' feeds arrive on a second one, one stream per feed. Both are
 * negotiated through the signaling socket only: the browser never talks to the SFU's API.
 *
 * Mixed (TOPOLOGY audio `mix`, "Mixed audio"): the publish connection is sendrecv and carries back one mix of
 * everyone else's voices, whatever the group's size; there is no subscribe connection. Our Opus encoder uses DTX
 * there, so a silent microphone sends almost nothing and costs the mixer no decoding.
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
    readonly mixed = false,
  ) {}

  /** Publishes the microphone (without one, this participant only listens: mixed, on a connection of its own). */
  async start(muted: boolean): Promise<void> {
    this.muted = muted;
    if ((!this.mic && !this.mixed) || this.closed) return;
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
    if (this.mixed) {
      // Without a microphone the transceiver still says sendrecv (AudioBridge mixes for participants that send).
      const t = pc.addTransceiver('audio', { direction: 'sendrecv' });
      if (this.mic) await t.sender.replaceTrack(this.mic);
      pc.ontrack = (e) => this.play('mix', MIX_FEED, e.track, 'mix-audio');
    } else {
      pc.addTransceiver(this.mic as MediaStreamTrack, {
        direction: 'sendonly',
        streams: [new MediaStream([this.mic as MediaStreamTrack])],
      });
    }
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
      await this.pub?.setRemoteDescription({ type: 'answer', sdp: this.mixed ? withOpusDtx(payload) : payload });
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
        this.play(mid, this.feeds.get(mid) ?? 0, e.track, 'sfu-audio');
      };
      await this.answer(pc, payload);
    }
  }

  /** Plays a received track in a hidden audio element (tests find it by `testId` and `data-peer-id`). */
  private play(key: string, feed: number, track: MediaStreamTrack, testId: string): void {
    const audio = document.createElement('audio');
    audio.autoplay = true;
    audio.hidden = true;
    audio.setAttribute('data-testid', testId);
    audio.setAttribute('data-peer-id', String(feed));
    audio.srcObject = new MediaStream([track]);
    this.audios.get(key)?.remove();
    this.audios.set(key, audio);
    document.body.append(audio);
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

  /**
   * Inbound audio bytes, level and energy per remote feed (peer id), from the subscribe connection; mixed, the one
   * mix under {@link MIX_FEED}.
   */
  async audioStats(): Promise<Map<number, { bytes: number; level: number; energy: number }>> {
    const out = new Map<number, { bytes: number; level: number; energy: number }>();
    const pc = this.mixed ? this.pub : this.sub;
    if (!pc) return out;
    const stats = await pc.getStats();
    stats.forEach(
      (s: {
        type: string;
        kind?: string;
        mid?: string;
        bytesReceived?: number;
        audioLevel?: number;
        totalAudioEnergy?: number;
      }) => {
        if (s.type !== 'inbound-rtp' || s.kind !== 'audio') return;
        const feed = this.mixed ? MIX_FEED : this.feeds.get(s.mid ?? '');
        if (feed !== undefined && (feed !== 0 || this.mixed))
          out.set(feed, { bytes: s.bytesReceived ?? 0, level: s.audioLevel ?? 0, energy: s.totalAudioEnergy ?? 0 });
      },
    );
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

/**
 * Opus DTX for what we send: the receiver's fmtp decides it, so Janus's answer gets `usedtx=1` (silence then costs
 * one small packet every 400 ms instead of 50 a second).
 */
export function withOpusDtx(sdp: string): string {
  const pt = /^a=rtpmap:(\d+) opus\/48000/im.exec(sdp)?.[1];
  if (!pt) return sdp;
  const fmtp = new RegExp(`^a=fmtp:${pt} (.*)$`, 'm');
  if (fmtp.test(sdp)) return /usedtx=/.test(sdp) ? sdp : sdp.replace(fmtp, (line) => `${line};usedtx=1`);
  return sdp.replace(new RegExp(`^(a=rtpmap:${pt} opus/48000.*)$`, 'im'), `$1\r\na=fmtp:${pt} usedtx=1`);
}

/** The ICE user fragment of an SDP (the first a=ice-ufrag line): equal for the offers of one SFU connection. */
function iceUfrag(sdp: string): string {
  return /^a=ice-ufrag:(\S+)/m.exec(sdp)?.[1] ?? '';
}
