/** Study browser: the worklist table, upload panel and the series thumbnails of a study. */
export { WorklistTable } from './worklistTable';
export { UploadPanel } from './uploadPanel';
export { SeriesPanel, summarizeSeries, type SeriesSummary } from './seriesPanel';
