import { decodeBatch, decodePeer, RELAY_PEER, type PeerMsg, type ViewMsg } from './codec';
import type { PeerRefusals } from './peerRefusals';
import { isDriver, type SessionState } from './state';

export interface PeerInboxHandlers {
  view(from: number, view: ViewMsg): void;
  pointer(from: number, p: Extract<PeerMsg, { type: 'pointer' }>): void;
}

/**
 * Admits data-channel messages (docs/readout-protocol.md, "Peer to peer"): format first, then sender; only the floor
 * holder's VIEW and POINTER reach the handlers, and only on a follower. Everything else is counted and logged as a
 * refusal.
 */
export class PeerInbox {
  constructor(
    private readonly state: SessionState,
    private readonly refusals: PeerRefusals,
    private readonly handlers: PeerInboxHandlers,
  ) {}

  /** A message straight from mesh peer `from`. */
  fromPeer(from: number, data: Uint8Array): void {
    let msg;
    try {
      msg = decodePeer(data);
    } catch (e) {
      this.refusals.record({ from, reason: 'malformed', detail: (e as Error).message });
      return;
    }
    this.admit(from, msg, '');
  }

  /**
   * A BATCH from the relay: decoded as strictly as a peer's message, then each message it carries is checked
   * like one straight from its sender (`from`, which must be the floor holder as this participant knows it).
   */
  fromRelay(data: Uint8Array): void {
    let batch;
    try {
      batch = decodeBatch(data);
    } catch (e) {
      this.refusals.record({ from: RELAY_PEER, reason: 'malformed', detail: (e as Error).message });
      return;
    }
    for (const m of batch.messages) this.admit(batch.from, m, ' through the relay');
  }

  private admit(from: number, msg: PeerMsg, via: string): void {
    const holder = this.state.floor.holder;
    if (from !== holder) {
      // Also the old driver's last messages right after a floor change, and the new one's before FLOOR arrives.
      this.refusals.record({
        from,
        reason: 'not-driver',
        detail: `${msg.type.toUpperCase()} from peer ${from}${via}; ${holder ? `peer ${holder}` : 'nobody'} drives`,
      });
      return;
    }
    if (isDriver(this.state)) return; // a driver follows nobody
    if (msg.type === 'pointer') this.handlers.pointer(from, msg);
    else this.handlers.view(from, msg.view);
  }
}
