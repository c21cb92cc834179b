/**
 * The Cornerstone3D adapter: the only module of the app that imports @cornerstonejs/*.
 * Modes use it through these exports.
 */
export { forgetImages, initCornerstone } from './init';
export { StackViewer, type ViewerState } from './StackViewer';
export { loadSeriesStack, registerSeriesStack, preloadFirstImage, preloadImage, type SeriesStack } from './seriesStack';
export { CT_PRESETS, type WindowPreset } from './presets';
export type { SyncView } from './viewSync';
export type { PrefetchProgress } from './prefetch';
export type { RenderingChoice, RenderingDecision } from './rendering';
