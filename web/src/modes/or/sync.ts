/**
 * Side-by-side flows in sync: frames of equal RTV RTP timestamp on screen together (docs/or-gateway.md "The page").
 *
 * The flows of one OR are stamped on one media clock (ST 2110-10: the RTP timestamp is TAI in 90 kHz units, modulo
 * 2^32), so a frame's age — display time minus its timestamp — is comparable across flows, and two flows show frames
 * of equal timestamp together exactly when their ages are equal. Each flow is decoded by its own PeerConnection,
 * with its own jitter buffer: the flow that runs ahead (younger frames) is held back by raising its receiver's
 * `jitterBufferTarget` by the difference, until every flow shows the age of the slowest.
 *
 * What the RTV timestamp of the frame on screen is comes from outside: the SFU rewrites RTP timestamps per viewer,
 * and the mapping back is the metadata's (metadata.ts); a test pattern's stamp can also be read from its pixels
 * (stamp.ts).
 */

/** The RTV RTP timestamp of the frame `video` shows now (call it in requestVideoFrameCallback), if known. */
export type RtvTimestampOf = (video: HTMLVideoElement) => number | undefined;

const WRAP = 2 ** 32;
/** TAI − UTC (s), as the RTV devices' SystemMediaClock uses. */
const TAI_MINUS_UTC_S = 37;

/**
 * How old (ms) the frame with RTV timestamp `rtv` is when shown at `wallMs` (ms since the Unix epoch, UTC): the
 * glass-to-glass latency when this host's clock and the OR's agree. Unwrapped into [−2^31, 2^31) ticks so a clock a
 * little behind gives a small negative age rather than 13 hours.
 */
export function ageMs(rtv: number, wallMs: number): number {
  const now90k = ((wallMs + TAI_MINUS_UTC_S * 1000) * 90) % WRAP;
  let d = (now90k - rtv) % WRAP;
  if (d < 0) d += WRAP;
  if (d >= WRAP / 2) d -= WRAP;
  return d / 90;
}

/** Holding back less than this is not worth a change: jitter buffers move in steps of about a frame. */
const DEADBAND_MS = 15;
/** Chrome's upper bound for jitterBufferTarget. */
const MAX_HOLD_MS = 4000;

/**
 * The control loop's arithmetic, without the DOM: fed each flow's frame ages, it says how much extra delay each
 * flow's receiver should hold so that all show the same age.
 */
export class SyncController<K> {
  private readonly ages = new Map<K, number[]>();
  private readonly holds_ = new Map<K, number>();

  constructor(private readonly window = 15) {}

  /** One displayed frame of flow `key`, `age` ms old (see {@link ageMs}). */
  sample(key: K, age: number): void {
    const a = this.ages.get(key) ?? [];
    a.push(age);
    if (a.length > this.window) a.shift();
    this.ages.set(key, a);
    if (!this.holds_.has(key)) this.holds_.set(key, 0);
  }

  forget(key: K): void {
    this.ages.delete(key);
    this.holds_.delete(key);
  }

  /** Each flow's median age over its last frames; flows without frames are absent. */
  medians(): Map<K, number> {
    const out = new Map<K, number>();
    for (const [k, a] of this.ages) {
      if (a.length === 0) continue;
      const s = [...a].sort((x, y) => x - y);
      out.set(k, s[Math.floor(s.length / 2)]);
    }
    return out;
  }

  /** The current hold (ms) per flow. */
  holds(): Map<K, number> {
    return new Map(this.holds_);
  }

  /** Largest minus smallest median age (ms): how far apart the flows are on screen; 0 with fewer than two flows. */
  spread(): number {
    const m = [...this.medians().values()];
    return m.length < 2 ? 0 : Math.max(...m) - Math.min(...m);
  }

  /**
   * One step of the loop: the new hold (ms of extra delay) per flow. The oldest flow is the reference; each other
   * flow's hold grows by how much younger it is; then all holds shift so the smallest is 0 (nobody waits needlessly).
   * The ages measured after this step include the new holds, so the samples are cleared.
   */
  step(): Map<K, number> {
    const med = this.medians();
    if (med.size < 2) return new Map(this.holds_);
    const oldest = Math.max(...med.values());
    const next = new Map<K, number>();
    for (const [k, hold] of this.holds_) {
      const age = med.get(k);
      const gap = age === undefined ? 0 : oldest - age;
      next.set(k, Math.abs(gap) < DEADBAND_MS ? hold : hold + gap);
    }
    const floor = Math.min(...next.values());
    let changed = false;
    for (const [k, v] of next) {
      const h = Math.min(MAX_HOLD_MS, Math.max(0, v - floor));
      if (h !== this.holds_.get(k)) changed = true;
      this.holds_.set(k, h);
    }
    if (changed) for (const a of this.ages.values()) a.length = 0;
    return new Map(this.holds_);
  }
}

type FrameMeta = { presentationTime: number; expectedDisplayTime: number };
type WithRvfc = HTMLVideoElement & {
  requestVideoFrameCallback?: (cb: (now: number, meta: FrameMeta) => void) => number;
  cancelVideoFrameCallback?: (id: number) => void;
};
type WithTarget = RTCRtpReceiver & { jitterBufferTarget?: number | null };

/** One flow in a {@link FlowSync}: its video and (once connected) the receiver of its video track. */
export interface SyncedFlow {
  video: HTMLVideoElement;
  receiver: () => RTCRtpReceiver | undefined;
}

/**
 * Keeps the given flows' videos on frames of equal RTV timestamp: samples each displayed frame's age in
 * requestVideoFrameCallback and, every `periodMs`, moves the receivers' jitterBufferTarget. `spread()` is how far
 * apart (ms) the flows still are, for the page to show.
 */
export class FlowSync {
  readonly controller = new SyncController<HTMLVideoElement>();
  private readonly flows: SyncedFlow[] = [];
  private readonly callbacks = new Map<HTMLVideoElement, number>();
  private readonly timer: ReturnType<typeof setInterval>;
  private stopped = false;

  constructor(
    private readonly rtvTimestampOf: RtvTimestampOf,
    periodMs = 1000,
  ) {
    this.timer = setInterval(() => this.apply(), periodMs);
  }

  add(flow: SyncedFlow): void {
    this.flows.push(flow);
    const v = flow.video as WithRvfc;
    const onFrame = (_now: number, meta: FrameMeta): void => {
      if (this.stopped || !this.flows.includes(flow)) return;
      const rtv = this.rtvTimestampOf(flow.video);
      if (rtv !== undefined) {
        this.controller.sample(flow.video, ageMs(rtv, performance.timeOrigin + meta.expectedDisplayTime));
      }
      this.callbacks.set(flow.video, v.requestVideoFrameCallback(onFrame));
    };
    if (v.requestVideoFrameCallback) this.callbacks.set(flow.video, v.requestVideoFrameCallback(onFrame));
  }

  remove(video: HTMLVideoElement): void {
    const i = this.flows.findIndex((f) => f.video === video);
    if (i >= 0) {
      const [f] = this.flows.splice(i, 1);
      setHold(f.receiver(), 0);
    }
    const id = this.callbacks.get(video);
    if (id !== undefined) (video as WithRvfc).cancelVideoFrameCallback?.(id);
    this.callbacks.delete(video);
    this.controller.forget(video);
  }

  /** How far apart the flows' frames are on screen (ms; 0 with fewer than two flows or no timestamps). */
  spread(): number {
    return this.controller.spread();
  }

  /** The hold (ms) each video's receiver is asked for now. */
  holds(): Map<HTMLVideoElement, number> {
    return this.controller.holds();
  }

  private apply(): void {
    if (this.flows.length < 2) return;
    const holds = this.controller.step();
    for (const f of this.flows) setHold(f.receiver(), holds.get(f.video) ?? 0);
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    for (const f of [...this.flows]) this.remove(f.video);
  }
}

function setHold(receiver: RTCRtpReceiver | undefined, ms: number): void {
  if (!receiver) return;
  const r = receiver as WithTarget;
  if ('jitterBufferTarget' in r) r.jitterBufferTarget = ms;
}
