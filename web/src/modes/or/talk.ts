import { ApiError } from '../../platform/api/client';
import { h } from '../../platform/ui/dom';
import type { Send } from './player';

/** Which end of the OR's talk-back this page is (docs/or-gateway.md "Talk-back"). */
export type TalkSide = 'remote' | 'station';

interface Joined {
  talk: string;
  answer: { type: 'answer'; sdp: string };
  mayTalk: boolean;
  talking: boolean;
}

export type TalkState = 'off' | 'joining' | 'listening' | 'talking' | 'forbidden' | 'error';

/** ICE gathering for the offer is cut short after this: the candidates found so far go with it. */
const GATHER_MS = 2000;
/** A failed connection is joined again after this (network drop, Janus restarted). */
const REJOIN_MS = 1000;

function gathered(pc: RTCPeerConnection, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    const done = (): void => {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', check);
      resolve();
    };
    const check = (): void => {
      if (pc.iceGatheringState === 'complete') done();
    };
    const timer = setTimeout(done, ms);
    pc.addEventListener('icegatheringstatechange', check);
  });
}

/**
 * One page's part in an OR's talk-back: Opus both ways through the server's Janus (an AudioBridge room per OR: the
 * page sends its microphone and plays the mix of the others). The server brokers the session and decides who is
 * heard: a remote page joins silent and speaks only while push-to-talk is held and the server agrees; the station
 * joins with its microphone open.
 */
export class TalkBack {
  readonly audio: HTMLAudioElement;
  mayTalk = false;
  talking = false;
  private pc: RTCPeerConnection | undefined;
  private stream: MediaStream | undefined;
  private talk: string | undefined;
  private disposed = false;
  private rejoin: ReturnType<typeof setTimeout> | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly send: Send,
    private readonly base: string,
    private readonly side: TalkSide,
    private readonly onState: (state: TalkState, text: string) => void,
  ) {
    this.audio = h('audio', { autoplay: true, 'data-testid': 'talk-audio' });
  }

  /** Joins: the microphone, an offer with its candidates, Janus's answer through the server. */
  async join(): Promise<void> {
    this.onState('joining', 'Connecting the talk-back…');
    try {
      // No noise suppression: it removes steady sounds, and a monitor's tone in the OR is information for the expert.
      this.stream ??= await navigator.mediaDevices.getUserMedia({
        audio: { echoCancellation: true, noiseSuppression: false, autoGainControl: false },
      });
      const pc = new RTCPeerConnection();
      this.pc = pc;
      for (const t of this.stream.getAudioTracks()) pc.addTrack(t, this.stream);
      pc.ontrack = (e) => {
        this.audio.srcObject = e.streams[0] ?? new MediaStream([e.track]);
        void this.audio.play().catch(() => undefined);
      };
      pc.onconnectionstatechange = () => {
        if (pc === this.pc && pc.connectionState === 'failed') this.reconnect();
      };
      await pc.setLocalDescription(await pc.createOffer());
      await gathered(pc, GATHER_MS);
      const j = await this.send<Joined>('POST', `${this.base}/talk`, {
        side: this.side,
        sdp: pc.localDescription!.sdp,
      });
      if (this.disposed || pc !== this.pc) {
        void this.send('POST', `${this.base}/talk/${j.talk}/leave`).catch(() => undefined);
        return;
      }
      this.talk = j.talk;
      this.mayTalk = j.mayTalk;
      this.talking = j.talking;
      await pc.setRemoteDescription(j.answer);
      this.report();
    } catch (e) {
      this.close();
      if (e instanceof ApiError && e.status === 403)
        this.onState('forbidden', 'You may not take part in this OR\u2019s talk-back.');
      else this.onState('error', e instanceof Error ? e.message : String(e));
    }
  }

  /** Push-to-talk (the station: microphone on or off); the server decides, the page shows what it decided. */
  setTalking(on: boolean): Promise<void> {
    // One after the other: a quick press and release must reach the server in that order.
    this.queue = this.queue.then(() => this.sendTalking(on));
    return this.queue;
  }

  private async sendTalking(on: boolean): Promise<void> {
    if (!this.talk || (on && !this.mayTalk) || on === this.talking) return;
    try {
      const r = await this.send<{ talking: boolean }>('POST', `${this.base}/talk/${this.talk}/talking`, {
        talking: on,
      });
      this.talking = r.talking;
      this.report();
    } catch (e) {
      this.talking = false;
      if (e instanceof ApiError && e.status === 403) this.onState('forbidden', 'You may listen but not speak.');
      else this.onState('error', e instanceof Error ? e.message : String(e));
    }
  }

  get joined(): boolean {
    return this.talk !== undefined;
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.rejoin);
    this.close();
    for (const t of this.stream?.getTracks() ?? []) t.stop();
  }

  private report(): void {
    if (this.side === 'station')
      this.onState(
        this.talking ? 'talking' : 'listening',
        this.talking ? 'Microphone on: the experts hear the OR' : 'Microphone off',
      );
    else
      this.onState(this.talking ? 'talking' : 'listening', this.talking ? 'Talking to the OR…' : 'Listening to the OR');
  }

  private close(): void {
    if (this.talk) void this.send('POST', `${this.base}/talk/${this.talk}/leave`).catch(() => undefined);
    this.talk = undefined;
    this.talking = false;
    this.pc?.close();
    this.pc = undefined;
  }

  private reconnect(): void {
    this.close();
    this.onState('joining', 'Talk-back lost: reconnecting…');
    clearTimeout(this.rejoin);
    this.rejoin = setTimeout(() => {
      if (!this.disposed) void this.join();
    }, REJOIN_MS);
  }
}

/**
 * The talk-back controls of a page: "Join talk-back" (nothing runs before), then for a remote page "Hold to talk"
 * (pointer or Space) when the server lets the role speak, for the station "Microphone on/off".
 */
export function talkControls(send: Send, base: string, side: TalkSide): { element: HTMLElement; dispose: () => void } {
  const status = h('span', { 'data-testid': 'talk-status', 'data-state': 'off', role: 'status' }, '');
  const join = h('button', { type: 'button', class: 'btn', 'data-testid': 'talk-join' }, 'Join talk-back');
  const ptt = h(
    'button',
    { type: 'button', class: 'btn', 'data-testid': 'talk-ptt', hidden: true, 'aria-pressed': 'false' },
    side === 'station' ? 'Microphone off' : 'Hold to talk',
  );
  const talk = new TalkBack(send, base, side, (state, text) => {
    status.setAttribute('data-state', state);
    status.textContent = text;
    join.hidden = state !== 'off' && state !== 'error' && state !== 'forbidden';
    ptt.hidden = !(talk.joined && talk.mayTalk);
    ptt.setAttribute('aria-pressed', String(talk.talking));
    if (side === 'station') ptt.textContent = talk.talking ? 'Microphone off' : 'Microphone on';
  });
  join.onclick = () => void talk.join();
  if (side === 'station') {
    ptt.onclick = () => void talk.setTalking(!talk.talking);
  } else {
    const down = (): void => void talk.setTalking(true);
    const up = (): void => void talk.setTalking(false);
    // Captured: the release ends the talk wherever the pointer is by then (the page may have moved under it).
    ptt.addEventListener('pointerdown', (e) => {
      ptt.setPointerCapture(e.pointerId);
      down();
    });
    ptt.addEventListener('pointerup', up);
    ptt.addEventListener('pointercancel', up);
    ptt.addEventListener('lostpointercapture', up);
    ptt.addEventListener('keydown', (e) => {
      if (e.key === ' ' && !e.repeat) down();
    });
    ptt.addEventListener('keyup', (e) => {
      if (e.key === ' ') up();
    });
  }
  return {
    element: h('div', { class: 'or-talk', 'data-testid': 'talk', 'data-side': side }, join, ptt, status, talk.audio),
    dispose: () => talk.dispose(),
  };
}
