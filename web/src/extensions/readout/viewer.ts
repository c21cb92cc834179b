import type { ViewFields, WorklistItem } from './codec';

/** What the readout needs from the viewer (the Cornerstone StackViewer satisfies it). */
export interface SyncViewer {
  readonly element: HTMLElement;
  readonly root: HTMLElement;
  readonly events: { on(type: 'view' | 'state', fn: () => void): () => void };
  syncView(): Omit<ViewFields, 'worklistIndex'> | undefined;
  applySyncView(v: Omit<ViewFields, 'worklistIndex'>): void;
  canvasToImage(x: number, y: number): [number, number] | undefined;
  imageToCanvas(fx: number, fy: number): [number, number] | undefined;
  readonly currentSeries: string | undefined;
}

/**
 * Loads worklist entry `index` into the viewer (the series `seriesUid`, else the largest), showing image
 * `imageIndex` (default the first) first; resolves when shown.
 */
export type StudyLoader = (item: WorklistItem, index: number, seriesUid?: string, imageIndex?: number) => Promise<void>;
