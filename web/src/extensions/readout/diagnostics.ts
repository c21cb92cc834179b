import { enc } from './codec';
import type { PeerRefusal } from './peerRefusals';
import type { ReadoutSession } from './session';
import type { AudioStats } from './transport';
import type { SyncViewer } from './viewer';

/** localStorage key of the page flag that installs the diagnostics (web/README.md, "Readout"). */
export const DIAGNOSTICS_FLAG = 'medsync.diagnostics';

/** Whether this page asked for the diagnostics: localStorage `medsync.diagnostics` is `1`. */
export function diagnosticsRequested(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): boolean {
  try {
    return storage?.getItem(DIAGNOSTICS_FLAG) === '1';
  } catch {
    return false; // storage denied (e.g. an opaque origin)
  }
}

/**
 * One VIEW in the trace. Times are ms on the clock every page of one browser shares:
 * performance.timeOrigin + performance.now().
 */
export interface ViewTraceEntry {
  seq: number;
  imageIndex: number;
  /** Driver: when it went to the data channels. */
  sentAt?: number;
  /** Follower: when it was applied to the viewer. */
  appliedAt?: number;
  /** When the viewer first drew this entry's image after it was sent or applied (Cornerstone IMAGE_RENDERED). */
  renderedAt?: number;
}

const TRACE_LENGTH = 2048;

/** For benchmarks: when WELCOME arrived and the last 2048 VIEWs sent or applied, with when each was drawn. */
export class ViewTrace {
  welcomeAt = 0;
  readonly views: ViewTraceEntry[] = [];

  sent(seq: number, imageIndex: number, at: number): void {
    this.push({ seq, imageIndex, sentAt: at });
  }

  /** A re-application of the same VIEW (snap-back) is not a new entry. */
  applied(seq: number, imageIndex: number, at: number): void {
    if (this.views.at(-1)?.seq !== seq) this.push({ seq, imageIndex, appliedAt: at });
  }

  /** Stamps the latest not yet drawn entries that show `imageIndex`, the image just drawn (a later VIEW may reuse it). */
  rendered(imageIndex: number, at: number): void {
    const views = this.views;
    for (let i = views.length - 1; i >= 0 && i >= views.length - 8 && views[i].renderedAt === undefined; i--) {
      if (views[i].imageIndex === imageIndex) views[i].renderedAt = at;
    }
  }

  private push(e: ViewTraceEntry): void {
    this.views.push(e);
    if (this.views.length > TRACE_LENGTH) this.views.splice(0, this.views.length - TRACE_LENGTH);
  }
}

/** `window.__medsyncReadout`: what tests and benchmarks reach (web/README.md, "Readout"). */
export interface ReadoutDiagnostics {
  /** The session: its state and user actions (a test may go around the UI with them: the server enforces roles). */
  readonly session: ReadoutSession;
  readonly diagnostics: ViewTrace;
  audioStats(): Promise<AudioStats>;
  meshPeers(): number[];
  sendRawAudio(leg: number, kind: number, feed: number, payload: string): void;
  dropConnection(): void;
  sendRawToPeers(bytes: Uint8Array): number;
  readonly rejectedPeerMessages: number;
  readonly peerRefusals: readonly PeerRefusal[];
}

const now = (): number => performance.timeOrigin + performance.now();

/**
 * Installs `window.__medsyncReadout` for `session` (call before it starts, so the first WELCOME is traced); returns
 * the uninstall. Only pages that asked for it (diagnosticsRequested) get it: it lets a page send what the app never
 * would (forged audio, raw data-channel bytes), which tests of the server's and the peers' refusals need.
 */
export function installDiagnostics(session: ReadoutSession, viewer: SyncViewer): () => void {
  const trace = new ViewTrace();
  const offs = [
    session.events.on('welcome', () => (trace.welcomeAt = now())),
    session.events.on('viewSent', (v) => trace.sent(v.seq, v.imageIndex, now())),
    session.events.on('viewApplied', (v) => trace.applied(v.seq, v.imageIndex, now())),
  ];
  // The viewer sets data-image-index and data-rendered in its own (earlier) listener of this event.
  const onRendered = (): void => {
    const el = viewer.element;
    if (el.getAttribute('data-rendered') === 'true') trace.rendered(Number(el.getAttribute('data-image-index')), now());
  };
  viewer.element.addEventListener('CORNERSTONE_IMAGE_RENDERED', onRendered);
  const surface: ReadoutDiagnostics = {
    session,
    diagnostics: trace,
    audioStats: () => session.transport.audioStats(),
    meshPeers: () => session.transport.meshLinks?.peers() ?? [],
    sendRawAudio: (leg, kind, feed, payload) => session.signaling.send(enc.audio(leg, kind, feed, payload)),
    dropConnection: () => session.signaling.connection?.close(4000, 'dropped'),
    sendRawToPeers: (bytes) => session.transport.meshLinks?.broadcast(bytes) ?? 0,
    get rejectedPeerMessages() {
      return session.refusals.count;
    },
    get peerRefusals() {
      return session.refusals.recent;
    },
  };
  const w = window as unknown as { __medsyncReadout?: ReadoutDiagnostics };
  w.__medsyncReadout = surface;
  return () => {
    offs.forEach((off) => off());
    viewer.element.removeEventListener('CORNERSTONE_IMAGE_RENDERED', onRendered);
    if (w.__medsyncReadout === surface) delete w.__medsyncReadout;
  };
}
