/** Fakes for the readout's unit tests (Vitest, no browser): peer connections, SFU audio, a viewer. */
import { SignalKind, type AudioStream } from './codec';
import type { MeshHandlers } from './mesh';
import type { SfuAudioHandlers } from './sfuAudio';
import type { AudioStats, PeerLinks, SfuLinks, TransportParts } from './transport';
import type { SyncViewer } from './viewer';
import type { ViewFields } from './codec';

/** A set of peer connections that open, fail and carry data only when a test says so. */
export class FakeLinks implements PeerLinks {
  readonly links = new Map<number, { open: boolean; failed: boolean }>();
  readonly sent: Uint8Array[] = [];
  readonly offers: number[] = [];
  readonly signals: { from: number; kind: number }[] = [];
  sendAudio = true;
  muted = false;
  closed = 0;

  constructor(
    readonly handlers: MeshHandlers,
    readonly mic: MediaStreamTrack | undefined,
    readonly maxMessageBytes: number | undefined,
  ) {}

  peers(): number[] {
    return [...this.links.keys()];
  }
  has(peer: number): boolean {
    return this.links.has(peer);
  }
  isOpen(peer: number): boolean {
    return this.links.get(peer)?.open ?? false;
  }
  failed(peer: number): boolean {
    return this.links.get(peer)?.failed ?? false;
  }
  offerTo(peer: number): Promise<void> {
    this.links.set(peer, { open: false, failed: false });
    this.offers.push(peer);
    return Promise.resolve();
  }
  onSignal(from: number, kind: number): Promise<void> {
    this.signals.push({ from, kind });
    if (kind === SignalKind.OFFER) this.links.set(from, { open: false, failed: false });
    return Promise.resolve();
  }
  broadcast(data: Uint8Array): number {
    const n = [...this.links.values()].filter((l) => l.open).length;
    if (n) this.sent.push(data);
    return n;
  }
  setMuted(muted: boolean): Promise<void> {
    this.muted = muted;
    return Promise.resolve();
  }
  setSendAudio(on: boolean): Promise<void> {
    this.sendAudio = on;
    return Promise.resolve();
  }
  remove(peer: number): void {
    if (this.links.delete(peer)) this.handlers.peersChanged();
  }
  close(): void {
    this.closed++;
    for (const p of this.peers()) this.remove(p);
  }
  audioStats(): Promise<AudioStats> {
    return Promise.resolve(new Map(this.peers().map((p) => [p, { bytes: 100, level: 0.5 }])));
  }

  /** The data channel to `peer` opened. */
  open(peer: number): void {
    this.links.get(peer)!.open = true;
    this.handlers.channelOpen(peer);
  }
  /** The connection to `peer` failed for good. */
  fail(peer: number): void {
    this.links.get(peer)!.failed = true;
    this.handlers.peersChanged();
  }
}

/** The SFU audio connections: publishing once a test says so. */
export class FakeSfu implements SfuLinks {
  startedMuted: boolean | undefined;
  muted = false;
  closed = false;
  publishing = false;
  readonly audio: { leg: number; kind: number; streams: AudioStream[] }[] = [];

  constructor(
    readonly handlers: SfuAudioHandlers,
    readonly mic: MediaStreamTrack | undefined,
    readonly mixed = false,
  ) {}

  start(muted: boolean): Promise<void> {
    this.startedMuted = muted;
    this.muted = muted;
    return Promise.resolve();
  }
  onAudio(leg: number, kind: number, _payload: string, streams: AudioStream[]): Promise<void> {
    this.audio.push({ leg, kind, streams });
    return Promise.resolve();
  }
  setMuted(muted: boolean): Promise<void> {
    this.muted = muted;
    return Promise.resolve();
  }
  audioStats(): Promise<AudioStats> {
    return Promise.resolve(new Map([[99, { bytes: 7, level: 0 }]]));
  }
  close(): void {
    this.closed = true;
  }

  /** Our microphone's connection to the SFU came up. */
  publish(): void {
    this.publishing = true;
    this.handlers.publishing();
  }
}

/** Transport parts that record what they made: `links[0]` is a connection's mesh, relay links have no microphone. */
export class FakeParts implements TransportParts {
  readonly made: FakeLinks[] = [];
  readonly sfus: FakeSfu[] = [];

  links(_ice: RTCIceServer[], mic: MediaStreamTrack | undefined, h: MeshHandlers, max?: number): FakeLinks {
    const l = new FakeLinks(h, mic, max);
    this.made.push(l);
    return l;
  }
  sfu(_ice: RTCIceServer[], mic: MediaStreamTrack | undefined, h: SfuAudioHandlers, mixed = false): FakeSfu {
    const s = new FakeSfu(h, mic, mixed);
    this.sfus.push(s);
    return s;
  }
}

/** A DOM-less element: attributes and event listeners. */
export class FakeElement {
  readonly attributes = new Map<string, string>();
  readonly listeners = new Map<string, Set<(e: unknown) => void>>();

  setAttribute(k: string, v: string): void {
    this.attributes.set(k, v);
  }
  getAttribute(k: string): string | null {
    return this.attributes.get(k) ?? null;
  }
  addEventListener(type: string, fn: (e: unknown) => void): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(fn);
  }
  removeEventListener(type: string, fn: (e: unknown) => void): void {
    this.listeners.get(type)?.delete(fn);
  }
  dispatch(type: string, e: unknown = {}): void {
    for (const fn of this.listeners.get(type) ?? []) fn(e);
  }
  getBoundingClientRect(): { left: number; top: number } {
    return { left: 10, top: 20 };
  }
}

/** A viewer showing `view` (a test changes it and calls `changed()`); applied views are recorded. */
export class FakeViewer {
  readonly element = new FakeElement();
  readonly root = new FakeElement();
  view: Omit<ViewFields, 'worklistIndex'> | undefined = viewOf(0);
  currentSeries: string | undefined = '1.2.3';
  readonly applied: Omit<ViewFields, 'worklistIndex'>[] = [];
  private readonly viewListeners = new Set<() => void>();
  readonly events = {
    on: (type: 'view' | 'state', fn: () => void): (() => void) => {
      if (type !== 'view') return () => undefined;
      this.viewListeners.add(fn);
      return () => this.viewListeners.delete(fn);
    },
  };

  syncView(): Omit<ViewFields, 'worklistIndex'> | undefined {
    return this.view;
  }
  applySyncView(v: Omit<ViewFields, 'worklistIndex'>): void {
    this.applied.push(v);
    this.view = v;
    this.currentSeries = v.seriesUid;
  }
  canvasToImage(x: number, y: number): [number, number] | undefined {
    return x >= 0 && y >= 0 ? [x / 100, y / 100] : undefined;
  }
  imageToCanvas(fx: number, fy: number): [number, number] {
    return [fx * 100, fy * 100];
  }
  /** The user (or a toolbar) changed the view. */
  changed(): void {
    for (const fn of this.viewListeners) fn();
  }
  get asSyncViewer(): SyncViewer {
    return this as unknown as SyncViewer;
  }
}

/** A view of series 1.2.3 at `imageIndex`. */
export function viewOf(imageIndex: number, seriesUid = '1.2.3'): Omit<ViewFields, 'worklistIndex'> {
  return {
    seriesUid,
    imageIndex,
    voiLower: -100,
    voiUpper: 300,
    scale: 1,
    panX: 0,
    panY: 0,
    crosshair: false,
    crosshairX: 0.5,
    crosshairY: 0.5,
    cine: false,
    cineFps: 20,
    smoothing: true,
  };
}
