import { encodePointer, type PeerMsg } from './codec';
import { isDriver, type SessionState } from './state';
import type { DataPath } from './transport';
import type { SyncViewer } from './viewer';

/** Runs `fn` before the next repaint (requestAnimationFrame in the browser). */
export type FrameScheduler = (fn: () => void) => void;

export const nextFrame: FrameScheduler = (fn) => void requestAnimationFrame(fn);

/**
 * The telepointer (docs/readout-protocol.md, POINTER): the driver's pointer over the image, in image fractions,
 * coalesced to animation frames; a follower shows the latest of the current driver's. Writes `state.pointer`.
 */
export class Telepointer {
  private seq = 0;
  private framePending = false;
  private pending: { visible: boolean; x: number; y: number } | undefined;
  private lastFrom = 0;
  private lastSeq = 0;
  private readonly cleanups: (() => void)[] = [];

  constructor(
    private readonly state: SessionState,
    viewer: SyncViewer,
    private readonly data: DataPath,
    private readonly changed: () => void,
    private readonly frame: FrameScheduler = nextFrame,
  ) {
    const onMove = (e: PointerEvent): void => {
      if (!isDriver(this.state)) return;
      const r = viewer.element.getBoundingClientRect();
      const p = viewer.canvasToImage(e.clientX - r.left, e.clientY - r.top);
      if (p) this.queue({ visible: true, x: p[0], y: p[1] });
    };
    const onLeave = (): void => {
      if (isDriver(this.state)) this.queue({ visible: false, x: 0, y: 0 });
    };
    viewer.element.addEventListener('pointermove', onMove);
    viewer.element.addEventListener('pointerleave', onLeave);
    this.cleanups.push(
      () => viewer.element.removeEventListener('pointermove', onMove),
      () => viewer.element.removeEventListener('pointerleave', onLeave),
    );
  }

  /** The current driver's POINTER (already admitted); an older one than the last of the same driver is dropped. */
  receive(from: number, p: Extract<PeerMsg, { type: 'pointer' }>): void {
    if (p.seq <= this.lastSeq && from === this.lastFrom) return;
    this.lastFrom = from;
    this.lastSeq = p.seq;
    this.state.pointer = { visible: p.visible, x: p.x, y: p.y };
    this.changed();
  }

  /** The driver changed or the connection ended: its pointer goes with it. */
  hide(): void {
    this.state.pointer = { visible: false, x: 0, y: 0 };
  }

  close(): void {
    for (const c of this.cleanups) c();
  }

  private queue(p: { visible: boolean; x: number; y: number }): void {
    this.pending = p;
    if (this.framePending) return;
    this.framePending = true;
    this.frame(() => {
      this.framePending = false;
      const q = this.pending;
      if (!q || !this.data.connected) return;
      this.data.sendData(encodePointer(++this.seq, q.visible, q.x, q.y));
    });
  }
}
