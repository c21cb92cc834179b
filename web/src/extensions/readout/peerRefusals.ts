/** Why a receiver ignored a data-channel message (docs/readout-protocol.md, "Peer to peer"). */
export type PeerRefusalReason = 'too-large' | 'malformed' | 'not-driver';

export interface PeerRefusal {
  from: number;
  reason: PeerRefusalReason;
  detail: string;
}

/**
 * The data-channel messages this participant refused: counted, the last 100 kept, each logged as a console
 * warning (at most 10 a second, so a flooding peer cannot flood the console too). A refused message never
 * touches the view; this makes the refusal visible to tests and to whoever opens the console.
 */
export class PeerRefusals {
  private readonly kept: PeerRefusal[] = [];
  private total = 0;
  private windowStart = 0;
  private logged = 0;
  private suppressed = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  get count(): number {
    return this.total;
  }

  /** The last refusals, oldest first. */
  get recent(): readonly PeerRefusal[] {
    return this.kept;
  }

  record(r: PeerRefusal): void {
    this.total++;
    this.kept.push(r);
    if (this.kept.length > 100) this.kept.shift();
    const t = this.now();
    if (t - this.windowStart >= 1000) {
      if (this.suppressed) console.warn(`readout: ${this.suppressed} more data-channel messages refused`);
      this.windowStart = t;
      this.logged = 0;
      this.suppressed = 0;
    }
    if (this.logged++ < 10)
      console.warn(`readout: refused a data-channel message from peer ${r.from}: ${r.reason} (${r.detail})`);
    else this.suppressed++;
  }
}
