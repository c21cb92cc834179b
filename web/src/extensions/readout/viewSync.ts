import { enc, type FloorMsg, type ViewFields, type ViewMsg } from './codec';
import { nextFrame, type FrameScheduler } from './pointer';
import { isDriver, type SessionState } from './state';
import type { DataPath } from './transport';
import { ViewDriver } from './viewDriver';
import type { StudyLoader, SyncViewer } from './viewer';
import { ViewFollower } from './viewFollower';

/** When the driver repeats its settled view after the last change (see scheduleRepair). */
const REPAIR_AFTER_MS = [50, 250];
/** The driver's full state at least this often (docs/readout-protocol.md, VIEW). */
const FULL_EVERY_MS = 1000;
/** The latest full view goes to the server for late joiners this long after a change. */
const SNAPSHOT_AFTER_MS = 100;
/** At most one VIEW per display frame. */
const MIN_SEND_INTERVAL_MS = 16;

export interface ViewSyncDeps {
  state: SessionState;
  viewer: SyncViewer;
  loadStudy: StudyLoader;
  data: DataPath;
  /** A message for the server (the snapshot). */
  sendServer(bytes: Uint8Array): void;
  /** STATUS: this participant's ready/following changed. */
  sendStatus(): void;
  changed(): void;
  /** A VIEW left (driver) or was applied (follower): `seq` and the image it shows. */
  sent(seq: number, imageIndex: number): void;
  applied(seq: number, imageIndex: number): void;
  frame?: FrameScheduler;
}

/**
 * View sync: the driver sends its view on every change (coalesced to frames, full state every second and on demand,
 * repeated when a burst settles, a snapshot for late joiners), a follower applies the driver's latest view and loads
 * the study it shows, until it browses on its own. Writes the state's `worklistIndex`, `loadedIndex`, `ready`,
 * `following`, `floor`, `sentSeq`, `appliedSeq` and (on a failed load) `lastError`.
 */
export class ViewSync {
  private readonly driver = new ViewDriver();
  private readonly follower = new ViewFollower();
  private readonly frame: FrameScheduler;
  private framePending = false;
  private lastSend = 0;
  private snapshotTimer: ReturnType<typeof setTimeout> | undefined;
  private repairTimers: ReturnType<typeof setTimeout>[] = [];
  private loading: Promise<void> | undefined;
  private loadingKey = '';
  private readonly cleanups: (() => void)[] = [];

  constructor(private readonly d: ViewSyncDeps) {
    this.frame = d.frame ?? nextFrame;
    this.cleanups.push(d.viewer.events.on('view', () => this.onLocalView()));
    const onInput = (e: Event): void => {
      if (e.isTrusted) this.browsedLocally();
    };
    for (const type of ['wheel', 'pointerdown', 'keydown']) {
      d.viewer.root.addEventListener(type, onInput, true);
      this.cleanups.push(() => d.viewer.root.removeEventListener(type, onInput, true));
    }
    const full = setInterval(() => this.sendFull(), FULL_EVERY_MS);
    this.cleanups.push(() => clearInterval(full));
  }

  private get state(): SessionState {
    return this.d.state;
  }

  /** WELCOME: the worklist position and, for a late joiner, the driver's view; then the study is loaded. */
  welcome(worklistIndex: number, snapshot: ViewMsg | null): void {
    this.state.worklistIndex = worklistIndex;
    if (snapshot && this.state.floor.holder) this.follower.accept(this.state.floor.holder, snapshot);
  }

  /** Loads the study WELCOME named, at the driver's series and image when a snapshot came with it. */
  loadWelcomed(): Promise<void> {
    const latest = this.follower.latest;
    return this.ensureStudy(this.state.worklistIndex, latest?.seriesUid, latest?.imageIndex);
  }

  /** FLOOR: a new driver's view base starts afresh; a participant that just got the floor drives from its own view. */
  floor(m: FloorMsg): void {
    const wasDriver = isDriver(this.state);
    // A FLOOR that only queues a request keeps the base: resetting there made followers drop deltas until the next
    // full state (up to a second).
    if (m.holder !== this.state.floor.holder) this.follower.reset();
    this.state.floor = { epoch: m.epoch, holder: m.holder, requests: m.requests };
    if (isDriver(this.state) && !wasDriver) {
      this.state.following = true;
      this.driver.requestFull();
      this.sendView(true);
      this.d.sendStatus();
    }
    this.d.changed();
  }

  /** WORKLIST: the readout moved to entry `index`; the driver and followers load it. */
  async worklist(index: number): Promise<void> {
    this.state.worklistIndex = index;
    this.d.changed();
    if (isDriver(this.state) || this.state.following) await this.ensureStudy(index);
  }

  /** The driver's VIEW (admitted by the inbox). */
  receive(from: number, view: ViewMsg): void {
    if (this.follower.accept(from, view)) this.applyLatest();
  }

  /** A driver sends its full view now (a channel opened, the data path switched, or the periodic full state). */
  sendFull(): void {
    if (isDriver(this.state)) this.sendView(true);
  }

  /**
   * The user changed the view themselves: a follower stops following (free-browse). Input inside the viewer pane
   * is seen here; the mode reports what the pane does not see (its toolbar, keys handled at document level).
   */
  browsedLocally(): void {
    if (!isDriver(this.state) && this.state.following) this.setFollowing(false);
  }

  setFollowing(on: boolean): void {
    this.state.following = on;
    this.d.sendStatus();
    this.d.changed();
    if (on) this.applyLatest();
  }

  /** The connection ended: the next one starts from a new driver state. */
  disconnected(): void {
    this.follower.reset();
  }

  close(): void {
    clearTimeout(this.snapshotTimer);
    this.repairTimers.forEach(clearTimeout);
    for (const c of this.cleanups) c();
  }

  private onLocalView(): void {
    if (!isDriver(this.state)) return;
    if (performance.now() - this.lastSend >= MIN_SEND_INTERVAL_MS) {
      this.sendView(false);
    } else if (!this.framePending) {
      this.framePending = true;
      this.frame(() => {
        this.framePending = false;
        this.sendView(false);
      });
    }
  }

  private currentView(): ViewFields | undefined {
    if (this.state.loadedIndex !== this.state.worklistIndex || this.loading) return undefined;
    const v = this.d.viewer.syncView();
    return v ? { worklistIndex: this.state.loadedIndex, ...v } : undefined;
  }

  private sendView(periodic: boolean): void {
    const view = this.currentView();
    if (!view || !this.d.data.connected) return;
    if (periodic) this.driver.requestFull();
    const out = this.driver.next(view, performance.now());
    if (!out) return;
    this.lastSend = performance.now();
    this.d.data.sendData(out.bytes);
    this.state.sentSeq = this.driver.sequence;
    this.d.sent(this.driver.sequence, view.imageIndex);
    this.d.viewer.element.setAttribute('data-sync-seq', String(this.driver.sequence));
    if (!periodic) this.scheduleRepair();
    if (!this.snapshotTimer) {
      this.snapshotTimer = setTimeout(() => {
        this.snapshotTimer = undefined;
        const v = this.currentView();
        if (v && isDriver(this.state)) this.d.sendServer(enc.snapshot(this.driver.snapshot(v)));
      }, SNAPSHOT_AFTER_MS);
    }
  }

  /**
   * The view channel drops lost messages (maxRetransmits 0), and a follower that missed the last change of a
   * burst would otherwise wait for the next periodic full state, up to a second. Repeating the settled state as
   * a full state shortly after the burst ends bounds that wait; while the driver keeps changing the view, each
   * change cancels the repeats, so continuous scrolling costs nothing extra.
   */
  private scheduleRepair(): void {
    this.repairTimers.forEach(clearTimeout);
    this.repairTimers = REPAIR_AFTER_MS.map((ms) => setTimeout(() => this.sendFull(), ms));
  }

  private applyLatest(): void {
    const v = this.follower.latest;
    const s = this.state;
    if (!v || isDriver(s) || !s.following) return;
    if (v.worklistIndex !== s.loadedIndex || (this.d.viewer.currentSeries !== v.seriesUid && !this.loading)) {
      void this.ensureStudy(v.worklistIndex, v.seriesUid, v.imageIndex);
      return;
    }
    if (this.loading) return;
    this.d.viewer.applySyncView(v);
    this.d.applied(this.follower.latestSeq, v.imageIndex);
    s.appliedSeq = this.follower.latestSeq;
    this.d.viewer.element.setAttribute('data-sync-seq', String(this.follower.latestSeq));
    this.d.changed();
  }

  private async ensureStudy(index: number, seriesUid?: string, imageIndex?: number): Promise<void> {
    const s = this.state;
    const item = s.worklist[index];
    if (!item) return;
    const key = `${index}|${seriesUid ?? ''}`;
    if (s.loadedIndex === index && (!seriesUid || this.d.viewer.currentSeries === seriesUid)) return;
    if (this.loading && this.loadingKey === key) return this.loading;
    this.loadingKey = key;
    s.ready = false;
    this.d.sendStatus();
    const mine = (this.loading = this.d.loadStudy(item, index, seriesUid, imageIndex).then(
      () => {
        if (this.loading !== mine) return;
        this.loading = undefined;
        s.loadedIndex = index;
        s.ready = true;
        this.d.sendStatus();
        this.d.changed();
        if (isDriver(s)) this.sendView(true);
        else this.applyLatest();
      },
      (e: unknown) => {
        if (this.loading === mine) this.loading = undefined;
        s.lastError = `load: ${(e as Error).message}`;
        this.d.changed();
      },
    ));
    return mine;
  }
}
