import { diffMask, encodeView, VIEW_ALL, type ViewFields } from './codec';

/** Sending side of VIEW: full state at least every `fullEveryMs` and on demand, otherwise deltas against it. */
export class ViewDriver {
  private seq = 0;
  private full: { seq: number; view: ViewFields; at: number } | undefined;
  private last: ViewFields | undefined;
  private forceFull = true;

  constructor(private readonly fullEveryMs = 1000) {}

  /** Forces the next message to be a full state (a new channel opened, or the driver changed). */
  requestFull(): void {
    this.forceFull = true;
  }

  get sequence(): number {
    return this.seq;
  }

  /** The bytes to send for `view`, or undefined when nothing changed and no full state is due. */
  next(view: ViewFields, now: number): { bytes: Uint8Array; full: boolean } | undefined {
    const due = this.forceFull || !this.full || now - this.full.at >= this.fullEveryMs;
    if (!due && this.last && diffMask(this.last, view) === 0) return undefined;
    this.seq++;
    this.last = view;
    if (due) {
      this.forceFull = false;
      this.full = { seq: this.seq, view, at: now };
      return { bytes: encodeView(this.seq, this.seq, VIEW_ALL, view), full: true };
    }
    const mask = diffMask(this.full!.view, view);
    return { bytes: encodeView(this.seq, this.full!.seq, mask, view), full: false };
  }

  /** The current full state as a snapshot for the server. */
  snapshot(view: ViewFields): Uint8Array {
    return encodeView(this.seq, this.seq, VIEW_ALL, view);
  }
}
