import type { ViewFields, ViewMsg } from './codec';

/**
 * Receiving side of VIEW: latest wins by sequence number; a delta applies only on top of the full state it
 * names (otherwise it waits for the next full state, sent at least every second).
 */
export class ViewFollower {
  private base: ViewMsg | undefined;
  private lastSeq = -1;
  private sender = 0;
  latest: ViewFields | undefined;
  latestSeq = -1;

  /** Returns the new complete view, or undefined when the message is stale or cannot be applied. */
  accept(from: number, m: ViewMsg): ViewFields | undefined {
    if (from !== this.sender) {
      this.sender = from;
      this.lastSeq = -1;
      this.base = undefined;
    }
    if (m.seq <= this.lastSeq) return undefined;
    let view: ViewFields;
    if (m.baseSeq === m.seq) {
      this.base = m;
      view = m.fields as ViewFields;
    } else if (this.base && this.base.seq === m.baseSeq) {
      view = { ...(this.base.fields as ViewFields), ...m.fields };
    } else {
      return undefined;
    }
    this.lastSeq = m.seq;
    this.latest = view;
    this.latestSeq = m.seq;
    return view;
  }

  reset(): void {
    this.sender = 0;
    this.lastSeq = -1;
    this.base = undefined;
  }
}
