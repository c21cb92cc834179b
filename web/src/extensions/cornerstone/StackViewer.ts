import { cache, Enums, eventTarget, RenderingEngine, utilities, type Types } from '@cornerstonejs/core';
import { Emitter } from '../../platform/events';
import { h } from '../../platform/ui/dom';
import { Cine } from './cine';
import { CrosshairOverlay } from './crosshair';
import type { StackEntry } from './imageIds';
import { renderingDecision } from './init';
import { LoadErrorLine } from './loadErrors';
import { CornerOverlays } from './overlays';
import { prefetchStack, type PrefetchProgress } from './prefetch';
import { ProgressBar } from './progressBar';
import { storeRenderingChoice, type RenderingChoice, type RenderingDecision } from './rendering';
import { SeriesNotice, type DownloadInstance } from './seriesNotice';
import type { SeriesStack } from './seriesStack';
import { SliceBar } from './sliceBar';
import { createStackToolGroup, destroyStackToolGroup } from './tools';
import { cameraToView, fromFraction, planeOf, toFraction, viewToCamera, type SyncView } from './viewSync';

const { Events, InterpolationType, ViewportType } = Enums;

/** What the viewport shows, as published on every render. */
export interface ViewerState {
  seriesInstanceUid: string | undefined;
  index: number;
  count: number;
  voi: { center: number; width: number } | undefined;
  /** Display scale: CSS pixels per image pixel (1 = true size). */
  zoom: number | undefined;
  smoothing: boolean;
  crosshair: boolean;
  cine: boolean;
  fps: number;
}

export interface StackViewerEvents extends Record<string, unknown> {
  state: ViewerState;
  progress: PrefetchProgress;
  /** Something a synchronized view holds may have changed (image, window, camera, crosshair, cine, smoothing). */
  view: void;
}

let instances = 0;
const WATCHDOG_MS = 20_000;
let sharedEngine: RenderingEngine | undefined;

/**
 * One rendering engine, so one WebGL context, for every viewer the page ever shows. An engine per viewer
 * kept its context after destroy() until garbage collection: opening about sixteen studies in one tab made
 * Chromium drop the oldest live context, and a viewport went blank.
 */
function renderingEngine(): RenderingEngine {
  sharedEngine ??= new RenderingEngine('medsync-engine');
  return sharedEngine;
}

export interface StackViewerOptions {
  /** Offered for objects the viewport does not show (reports, structure sets...); none: no download button. */
  download?: DownloadInstance;
}

/**
 * One Cornerstone3D StackViewport with its overlays, slice slider, prefetch progress, error line and the
 * notice for what it does not show. `root` is the pane to place in a layout; `element` is the viewport
 * element `[data-testid=viewport]`, which carries live state attributes (data-image-index, data-image-count,
 * data-voi, data-zoom, data-rendered) updated on every IMAGE_RENDERED.
 */
export class StackViewer {
  readonly events = new Emitter<StackViewerEvents>();
  readonly root: HTMLElement;
  readonly element: HTMLDivElement;
  private readonly sliceBar: SliceBar;
  private readonly progressBar = new ProgressBar();
  private readonly errorLine = new LoadErrorLine();
  private readonly notice: SeriesNotice;
  private readonly cine = new Cine(() => this.cineStep());
  private readonly overlays = new CornerOverlays();
  private readonly crosshair = new CrosshairOverlay();
  private readonly engine: RenderingEngine;
  private readonly viewportId: string;
  private readonly toolGroupId: string;
  private readonly resizeObserver: ResizeObserver;
  private readonly cleanups: (() => void)[] = [];

  private stack: SeriesStack | undefined;
  private displayedIndex = -1;
  /** The image showSeries shows first (until the series is ready, the one being waited for). */
  private firstIndex = 0;
  private ready = false;
  private loadToken = 0;
  private stopPrefetch: (() => void) | undefined;
  private smoothing = false;
  private crosshairOn = false;
  private crosshairWorld: Types.Point3 | undefined;
  /** The camera shows the whole image as reset left it (no zoom or pan by the user since). */
  private fitted = true;
  /** Set while we move the camera ourselves, so CAMERA_MODIFIED is not taken for the user's doing. */
  private ownCameraChange = false;
  private resizeFrame = 0;
  /**
   * The window set through setProperties (the window/level tool, setWindow, a readout's VIEW) since the series was
   * shown or reset. WebGL keeps it on every new image; Cornerstone's CPU path replaces it with each new image's own
   * window, so there the viewer puts it back (keepWindow).
   */
  private heldVoi: Types.VOIRange | undefined;
  /** Set while Cornerstone resets the window to the image's own, so that VOI_MODIFIED is not taken as a held window. */
  private resettingVoi = false;
  private readonly cpu = renderingDecision()?.cpu === true;
  private watchdog: ReturnType<typeof setTimeout> | undefined;
  private destroyed = false;

  constructor(options: StackViewerOptions = {}) {
    const n = ++instances;
    this.viewportId = `medsync-stack-${n}`;
    this.toolGroupId = `medsync-stack-tools-${n}`;
    this.element = h('div', {
      class: 'viewport',
      'data-testid': 'viewport',
      tabindex: 0,
      role: 'img',
      'aria-label': 'Image viewport: wheel or arrow keys to scroll, drag to window/level',
      'data-image-index': -1,
      'data-image-count': 0,
      'data-rendered': 'false',
      'data-rendering': this.cpu ? 'cpu' : 'gpu',
    });
    this.element.addEventListener('contextmenu', (e) => e.preventDefault());
    this.sliceBar = new SliceBar((index) => this.scrollTo(index));
    this.notice = new SeriesNotice(options.download);
    this.element.append(...this.overlays.elements, this.crosshair.element);
    this.root = h(
      'section',
      { class: 'viewer-pane', 'aria-label': 'Image' },
      h('div', { class: 'viewport-frame' }, this.element, this.progressBar.element, this.notice.element),
      this.errorLine.element,
      this.sliceBar.element,
    );

    this.engine = renderingEngine();
    this.engine.enableElement({
      viewportId: this.viewportId,
      type: ViewportType.STACK,
      element: this.element,
      defaultOptions: { background: [0, 0, 0] as Types.Point3 },
    });
    const group = createStackToolGroup(this.toolGroupId);
    group.addViewport(this.viewportId, this.engine.id);

    this.listen(this.element, Events.PRE_STACK_NEW_IMAGE, () => this.markDirty());
    // The wheel scrolls inside Cornerstone (StackScrollTool), which has set the new target by now: the view goes out
    // on the input, not when the new image is drawn (on the CPU path no VOI event follows the image at all).
    this.listen(this.element, Events.STACK_VIEWPORT_SCROLL, () => {
      this.markDirty();
      this.events.emit('view', undefined);
    });
    this.listen(this.element, Events.VOI_MODIFIED, (e) => {
      if (this.cpu && !this.resettingVoi) this.heldVoi = (e as CustomEvent<{ range: Types.VOIRange }>).detail.range;
      this.markDirty();
      this.events.emit('view', undefined);
    });
    this.listen(this.element, Events.CAMERA_MODIFIED, () => {
      this.markDirty();
      this.events.emit('view', undefined);
      if (!this.ownCameraChange) this.fitted = false;
    });
    this.listen(this.element, Events.STACK_NEW_IMAGE, (e) =>
      this.onNewImage(e as CustomEvent<{ imageIdIndex: number }>),
    );
    this.listen(this.element, Events.IMAGE_RENDERED, () => this.onRendered());
    this.listen(eventTarget, Events.IMAGE_LOAD_ERROR, (e) => this.onLoadError(e as CustomEvent));
    this.listen(eventTarget, Events.IMAGE_LOAD_FAILED, (e) => this.onLoadError(e as CustomEvent));
    this.listen(this.element, 'pointerdown', (e) => this.onPointerDown(e as PointerEvent));
    // Some decoder failures escape the loader's promise chain (the load then never settles): attribute
    // them to the image we are waiting for, so the user gets a message instead of a blank viewport.
    this.listen(window, 'unhandledrejection', (e) => {
      const reason: unknown = (e as PromiseRejectionEvent).reason;
      if (reason instanceof Error) this.failPendingImage(reason);
    });

    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(this.element);
  }

  private get viewport(): Types.IStackViewport {
    return this.engine.getViewport<Types.IStackViewport>(this.viewportId);
  }

  get currentSeries(): string | undefined {
    return this.stack?.seriesInstanceUid;
  }

  /**
   * The instance on screen and where its pixels lie in the viewport element (CSS pixels), for the viewer's photo
   * mode; undefined while nothing is drawn.
   */
  shownImage():
    | {
        studyInstanceUid: string;
        seriesInstanceUid: string;
        sopInstanceUid: string;
        rect: { left: number; top: number; width: number; height: number };
      }
    | undefined {
    if (!this.ready || !this.stack || this.displayedIndex < 0) return undefined;
    const entry = this.stack.entries[this.displayedIndex];
    const image = entry ? cache.getImage(entry.imageId) : undefined;
    if (!entry || !image) return undefined;
    const tl = utilities.imageToWorldCoords(entry.imageId, [0, 0]);
    const br = utilities.imageToWorldCoords(entry.imageId, [image.columns, image.rows]);
    if (!tl || !br) return undefined;
    const a = this.viewport.worldToCanvas(tl);
    const b = this.viewport.worldToCanvas(br);
    return {
      studyInstanceUid: this.stack.studyInstanceUid,
      seriesInstanceUid: this.stack.seriesInstanceUid,
      sopInstanceUid: entry.sopInstanceUid,
      rect: {
        left: Math.min(a[0], b[0]),
        top: Math.min(a[1], b[1]),
        width: Math.abs(b[0] - a[0]),
        height: Math.abs(b[1] - a[1]),
      },
    };
  }

  /**
   * Shows a series: image `startIndex` (a readout's late joiner starts where the driver is) as soon as it is
   * decoded, then caches the rest outward from it, with progress.
   */
  async showSeries(stack: SeriesStack, startIndex = 0): Promise<void> {
    const token = ++this.loadToken;
    const count = stack.imageIds.length;
    const start = Math.max(0, Math.min(count - 1, Math.round(startIndex) || 0));
    this.cine.stop();
    this.armWatchdog(start);
    this.stopPrefetch?.();
    this.errorLine.clear();
    this.stack = stack;
    this.ready = false;
    this.displayedIndex = -1;
    this.firstIndex = start;
    this.element.setAttribute('data-series-uid', stack.seriesInstanceUid);
    this.element.setAttribute('data-image-count', String(count));
    this.element.setAttribute('data-image-index', '-1');
    this.heldVoi = undefined;
    this.markDirty();
    this.sliceBar.reset(count, start);
    this.setProgress({ loaded: 0, failed: 0, total: count, complete: count === 0 });
    this.element.toggleAttribute('data-empty', count === 0);
    if (stack.others.length) this.notice.show(stack.others, count > 0);
    else this.notice.hide();
    if (count === 0) {
      // data-empty hides what the previous series left on the canvas (styles.css).
      if (!stack.others.length) this.errorLine.show(`Series ${stack.seriesInstanceUid} holds no objects.`);
      return;
    }
    let firstFailed = false;
    try {
      await this.viewport.setStack(stack.imageIds, start);
    } catch (error) {
      firstFailed = true;
      if (token === this.loadToken) this.reportError(stack.imageIds[start], error);
    }
    if (token !== this.loadToken || this.destroyed) return;
    if (!firstFailed) {
      try {
        this.resetCamera();
        this.resetProperties();
        this.applyInterpolation();
        this.ready = true;
        this.viewport.render();
      } catch (error) {
        // Cornerstone can fail to set up an unusual image it decoded (a uniform MONOCHROME1 image threw in
        // setColormapGPU): the user gets the image's error line, not a viewer stuck half-way.
        this.ready = false;
        this.reportError(stack.imageIds[start], error);
      }
    }
    this.stopPrefetch = prefetchStack(
      stack.imageIds,
      start,
      (p) => token === this.loadToken && this.setProgress(p),
      (f) => token === this.loadToken && this.reportError(f.imageId, f.error),
    );
  }

  /** Keyboard navigation; returns true when the key was used. */
  handleKey(e: KeyboardEvent): boolean {
    if (!this.stack || e.altKey || e.ctrlKey || e.metaKey) return false;
    const index = this.targetIndex();
    switch (e.key) {
      case 'ArrowUp':
        this.scrollTo(index - 1);
        return true;
      case 'ArrowDown':
        this.scrollTo(index + 1);
        return true;
      case 'PageUp':
        this.scrollTo(index - 10);
        return true;
      case 'PageDown':
        this.scrollTo(index + 10);
        return true;
      case 'Home':
        this.scrollTo(0);
        return true;
      case 'End':
        this.scrollTo(this.stack.imageIds.length - 1);
        return true;
      default:
        return false;
    }
  }

  scrollTo(index: number): void {
    if (!this.stack || !this.ready) return;
    const target = Math.max(0, Math.min(this.stack.imageIds.length - 1, Math.round(index)));
    if (target === this.targetIndex() && target === this.displayedIndex) return;
    this.markDirty();
    this.armWatchdog(target);
    this.sliceBar.show(target, this.stack.imageIds.length);
    this.viewport
      .setImageIdIndex(target)
      .catch((error: unknown) => this.reportError(this.stack?.imageIds[target] ?? '', error));
    // After setImageIdIndex, which sets the target the synchronized view reads: emitted before it, the view still
    // named the old image, and the new one left only with the next event (on the CPU path, the next input).
    this.events.emit('view', undefined);
  }

  /** Sets the VOI window (DICOM linear function). */
  setWindow(center: number, width: number): void {
    if (!this.ready || !Number.isFinite(center) || !Number.isFinite(width) || width < 1) return;
    this.viewport.setProperties({ voiRange: utilities.windowLevel.toLowHighRange(width, center) });
    this.viewport.render();
  }

  zoomBy(factor: number): void {
    if (!this.ready) return;
    this.fitted = false;
    this.viewport.setZoom(this.viewport.getZoom() * factor);
    this.viewport.render();
  }

  /** Fits the image again and returns to the image's default window. */
  reset(): void {
    if (!this.ready) return;
    this.markDirty();
    this.resetCamera();
    this.resetProperties();
    this.applyInterpolation();
    this.crosshairWorld = undefined;
    this.viewport.render();
    this.renderCrosshair();
  }

  setSmoothing(on: boolean): void {
    this.smoothing = on;
    if (!this.ready) return;
    this.markDirty();
    this.applyInterpolation();
    this.viewport.render();
    this.publish();
  }

  /** The path Cornerstone draws on in this page and why (undefined before initCornerstone). */
  get rendering(): RenderingDecision | undefined {
    return renderingDecision();
  }

  /** Stores the user's rendering choice; it applies from the next page load (Cornerstone fixes its path at start). */
  chooseRendering(choice: RenderingChoice): void {
    storeRenderingChoice(choice, window.localStorage);
  }

  get isSmoothing(): boolean {
    return this.smoothing;
  }

  setCrosshair(on: boolean): void {
    this.crosshairOn = on;
    if (!on) this.crosshairWorld = undefined;
    this.renderCrosshair();
    this.publish();
    this.events.emit('view', undefined);
  }

  get isCrosshair(): boolean {
    return this.crosshairOn;
  }

  setCine(on: boolean): void {
    this.cine.stop();
    if (on && this.stack && this.stack.imageIds.length > 1) this.cine.play();
    this.publish();
    this.events.emit('view', undefined);
  }

  get isCine(): boolean {
    return this.cine.playing;
  }

  setFps(fps: number): void {
    this.cine.setFps(fps);
    this.publish();
  }

  showError(message: string | null): void {
    this.errorLine.show(message);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.loadToken++;
    clearTimeout(this.watchdog);
    this.cine.stop();
    this.stopPrefetch?.();
    cancelAnimationFrame(this.resizeFrame);
    this.resizeObserver.disconnect();
    for (const cleanup of this.cleanups) cleanup();
    destroyStackToolGroup(this.toolGroupId);
    this.engine.disableElement(this.viewportId);
  }

  /** The view to synchronize (docs/readout-protocol.md, VIEW), or undefined before the first image. */
  syncView(): SyncView | undefined {
    if (!this.stack || !this.ready) return undefined;
    const plane = planeOf(this.viewport);
    const range = this.viewport.getProperties().voiRange;
    if (!plane || !range) return undefined;
    const cam = cameraToView(this.viewport, plane);
    const [cx, cy] = this.crosshairOn && this.crosshairWorld ? toFraction(plane, this.crosshairWorld) : [0.5, 0.5];
    return {
      seriesUid: this.stack.seriesInstanceUid,
      imageIndex: this.targetIndex(),
      voiLower: range.lower,
      voiUpper: range.upper,
      ...cam,
      crosshair: this.crosshairOn,
      crosshairX: cx,
      crosshairY: cy,
      cine: this.isCine,
      cineFps: this.cine.fps,
      smoothing: this.smoothing,
    };
  }

  /** Shows a synchronized view of the current series (the caller loads another series first). */
  applySyncView(v: SyncView): void {
    if (!this.stack || !this.ready || v.seriesUid !== this.stack.seriesInstanceUid) return;
    if (v.smoothing !== this.smoothing) this.setSmoothing(v.smoothing);
    // Draws only when the window or camera changed: a new image draws itself once it is in place (drawing
    // now would draw the old one first), and the driver's periodic full state usually changes nothing. On a
    // software GL a frame costs tens of milliseconds that the next real change would wait for.
    let redraw = false;
    if (v.imageIndex !== this.targetIndex()) this.scrollTo(v.imageIndex);
    const range = this.viewport.getProperties().voiRange;
    if (!range || range.lower !== v.voiLower || range.upper !== v.voiUpper) {
      this.viewport.setProperties({ voiRange: { lower: v.voiLower, upper: v.voiUpper } });
      redraw = true;
    }
    const plane = planeOf(this.viewport);
    if (plane && viewToCamera(this.viewport, plane, v)) {
      this.fitted = false;
      redraw = true;
    }
    if (v.crosshair !== this.crosshairOn || (v.crosshair && plane)) {
      this.crosshairOn = v.crosshair;
      this.crosshairWorld =
        v.crosshair && plane
          ? fromFraction(plane, v.crosshairX, v.crosshairY, this.viewport.getCamera().focalPoint!)
          : undefined;
      this.renderCrosshair();
    }
    if (redraw) this.viewport.render();
    this.publish();
  }

  /** A point of the element (CSS pixels) as fractions of the image, for telepointers. */
  canvasToImage(x: number, y: number): [number, number] | undefined {
    const plane = this.ready ? planeOf(this.viewport) : undefined;
    return plane ? toFraction(plane, this.viewport.canvasToWorld([x, y])) : undefined;
  }

  /** Fractions of the image to element coordinates (CSS pixels). */
  imageToCanvas(fx: number, fy: number): [number, number] | undefined {
    const plane = this.ready ? planeOf(this.viewport) : undefined;
    if (!plane) return undefined;
    const [x, y] = this.viewport.worldToCanvas(fromFraction(plane, fx, fy, this.viewport.getCamera().focalPoint!));
    return [x, y];
  }

  // --- internals ---

  /** Back to the image's own window: nothing held any more, so later images show their own (as WebGL does). */
  private resetProperties(): void {
    this.heldVoi = undefined;
    this.resettingVoi = true;
    try {
      this.viewport.resetProperties();
    } finally {
      this.resettingVoi = false;
    }
  }

  /**
   * Cornerstone's CPU path, after STACK_NEW_IMAGE, sets the viewport's reported window to the new image's own while
   * it keeps drawing with the previous image's: the user's window is lost on scrolling (and a readout's driver would
   * send the image's window while showing its own). WebGL instead keeps a window set through setProperties and
   * otherwise takes the new image's. The same here: put that window back in a microtask, which runs after
   * Cornerstone's synchronous image update and before the frame it requested, so no frame shows another window.
   * Suppressed events: nothing the readout sends changes (the VIEW went out with the input).
   */
  private keepWindow(): void {
    queueMicrotask(() => {
      if (this.destroyed || !this.stack) return;
      const wanted = this.heldVoi ?? this.viewport.getProperties().voiRange;
      if (wanted) this.viewport.setProperties({ voiRange: { lower: wanted.lower, upper: wanted.upper } }, true);
    });
  }

  private resetCamera(): void {
    this.ownCameraChange = true;
    try {
      this.viewport.resetCamera();
    } finally {
      this.ownCameraChange = false;
    }
    this.fitted = true;
  }

  /**
   * Follows element size changes: the canvas gets the new size; a fitted image is fitted again (so a
   * W x H element shows a W x H image 1:1), a zoomed or panned one keeps its camera. Cornerstone skips
   * a resize while a render is pending, so this re-checks on the next frames until the canvas matches.
   */
  private resize(attempt = 0): void {
    if (this.destroyed) return;
    cancelAnimationFrame(this.resizeFrame);
    this.markDirty();
    this.ownCameraChange = true;
    try {
      this.engine.resize(true, !this.fitted);
      if (this.fitted && this.ready) this.viewport.resetCamera();
    } finally {
      this.ownCameraChange = false;
    }
    if (this.ready) this.viewport.render();
    this.renderCrosshair();
    const canvas = this.element.querySelector('canvas');
    const dpr = window.devicePixelRatio || 1;
    const matches =
      !canvas ||
      (canvas.width === Math.round(this.element.clientWidth * dpr) &&
        canvas.height === Math.round(this.element.clientHeight * dpr));
    if (!matches && attempt < 30) this.resizeFrame = requestAnimationFrame(() => this.resize(attempt + 1));
  }

  private targetIndex(): number {
    return this.viewport.getTargetImageIdIndex();
  }

  private cineStep(): void {
    if (!this.stack || !this.ready) return;
    const next = (this.targetIndex() + 1) % this.stack.imageIds.length;
    // Wait for the next frame to arrive rather than queue requests faster than they load.
    if (
      next !== this.displayedIndex &&
      !cache.isLoaded(this.stack.imageIds[next]) &&
      this.targetIndex() !== this.displayedIndex
    )
      return;
    this.scrollTo(next);
  }

  private applyInterpolation(): void {
    const wanted = this.smoothing ? InterpolationType.LINEAR : InterpolationType.NEAREST;
    if (this.viewport.getProperties().interpolationType !== wanted) {
      this.viewport.setProperties({ interpolationType: wanted });
    }
  }

  private markDirty(): void {
    this.element.setAttribute('data-rendered', 'false');
  }

  /** Reports the image at `index` if it is still not displayed after a while. */
  private armWatchdog(index: number): void {
    clearTimeout(this.watchdog);
    const token = this.loadToken;
    this.watchdog = setTimeout(() => {
      if (token !== this.loadToken || !this.stack || this.displayedIndex === index) return;
      if (this.stack.imageIds[index])
        this.reportError(this.stack.imageIds[index], new Error(`not loaded after ${WATCHDOG_MS / 1000} s`));
    }, WATCHDOG_MS);
  }

  private failPendingImage(reason: Error): void {
    if (!this.stack || this.destroyed) return;
    const target = this.ready ? this.targetIndex() : this.firstIndex;
    if (target === this.displayedIndex) return;
    const imageId = this.stack.imageIds[target];
    if (imageId) this.reportError(imageId, reason);
  }

  private onNewImage(e: CustomEvent<{ imageIdIndex: number }>): void {
    this.displayedIndex = e.detail.imageIdIndex;
    if (this.cpu) this.keepWindow();
    if (this.displayedIndex === this.viewport.getTargetImageIdIndex()) clearTimeout(this.watchdog);
    // Cornerstone resets interpolation to linear on new stacks and some image changes.
    this.applyInterpolation();
  }

  private onRendered(): void {
    if (!this.stack || this.destroyed) return;
    const vp = this.viewport;
    const index = this.displayedIndex;
    const count = this.stack.imageIds.length;
    const voi = this.currentVoi();
    const zoom = this.displayScale();
    this.element.setAttribute('data-image-index', String(index));
    this.element.setAttribute('data-image-count', String(count));
    if (voi) this.element.setAttribute('data-voi', `${round(voi.center)},${round(voi.width)}`);
    if (zoom !== undefined) this.element.setAttribute('data-zoom', String(round(zoom, 4)));
    const target = vp.getTargetImageIdIndex();
    if (index >= 0) this.sliceBar.show(target, count);
    const entry: StackEntry | undefined = this.stack.entries[index];
    this.overlays.update({
      instance: entry?.instance,
      frame: entry?.frame ?? 1,
      numberOfFrames: entry?.numberOfFrames ?? 1,
      index,
      count,
      voi,
      zoom,
    });
    this.renderCrosshair();
    const rendered = this.ready && index >= 0 && index === target;
    this.element.setAttribute('data-rendered', String(rendered));
    this.publish();
  }

  private publish(): void {
    this.events.emit('state', {
      seriesInstanceUid: this.stack?.seriesInstanceUid,
      index: this.displayedIndex,
      count: this.stack?.imageIds.length ?? 0,
      voi: this.ready ? this.currentVoi() : undefined,
      zoom: this.ready ? this.displayScale() : undefined,
      smoothing: this.smoothing,
      crosshair: this.crosshairOn,
      cine: this.isCine,
      fps: this.cine.fps,
    });
  }

  private currentVoi(): { center: number; width: number } | undefined {
    const range = this.viewport.getProperties().voiRange;
    if (!range) return undefined;
    const { windowCenter, windowWidth } = utilities.windowLevel.toWindowLevel(range.lower, range.upper);
    return { center: windowCenter, width: windowWidth };
  }

  /** CSS pixels per image pixel (row direction). */
  private displayScale(): number | undefined {
    try {
      const camera = this.viewport.getCamera();
      const data = this.viewport.getImageData();
      const spacing = data?.spacing?.[1];
      if (!camera.parallelScale || !spacing) return undefined;
      return (this.element.clientHeight / (2 * camera.parallelScale)) * spacing;
    } catch {
      return undefined;
    }
  }

  private setProgress(p: PrefetchProgress): void {
    this.progressBar.show(p);
    this.events.emit('progress', p);
  }

  private onLoadError(e: CustomEvent): void {
    const detail = e.detail as { imageId?: string; error?: unknown } | undefined;
    if (detail?.imageId) this.reportError(detail.imageId, detail.error);
  }

  private reportError(imageId: string, error: unknown): void {
    if (!this.stack || this.destroyed) return;
    const index = this.stack.imageIds.indexOf(imageId);
    if (index < 0) return;
    this.errorLine.report(this.stack.entries[index], index, this.stack.imageIds.length, error);
  }

  private onPointerDown(down: PointerEvent): void {
    if (!this.crosshairOn || down.button !== 0 || down.shiftKey) return;
    const up = (e: PointerEvent): void => {
      window.removeEventListener('pointerup', up, true);
      if (Math.hypot(e.clientX - down.clientX, e.clientY - down.clientY) > 4) return;
      const rect = this.element.getBoundingClientRect();
      this.crosshairWorld = this.viewport.canvasToWorld([e.clientX - rect.left, e.clientY - rect.top]);
      this.renderCrosshair();
      this.events.emit('view', undefined);
    };
    window.addEventListener('pointerup', up, true);
  }

  private renderCrosshair(): void {
    if (!this.crosshairOn || !this.ready) {
      this.crosshair.hide();
      return;
    }
    const width = this.element.clientWidth;
    const height = this.element.clientHeight;
    let x = width / 2;
    let y = height / 2;
    if (this.crosshairWorld) {
      [x, y] = this.viewport.worldToCanvas(this.crosshairWorld);
    } else {
      this.crosshairWorld = this.viewport.canvasToWorld([x, y]);
    }
    this.crosshair.show(x, y, width, height);
  }

  private listen(target: EventTarget, type: string, fn: (e: Event) => void): void {
    target.addEventListener(type, fn);
    this.cleanups.push(() => target.removeEventListener(type, fn));
  }
}

function round(n: number, digits = 2): number {
  return Number(n.toFixed(digits));
}
