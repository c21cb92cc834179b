export * from './archiveApi';
export { LibraryTable, formatStarted } from './libraryTable';
export { PlayerView, parseClock } from './playerView';
export { ShareDialog } from './shareDialog';
export { jobsList, needsPolling, pollDelay, renditionsTable } from './recordingPanels';
export type { UploadProgress, UploadState } from './uploader';
export { VIDEO_ACCEPT, rejectFile, toLocalInput, type UploadForm } from './uploadMetadata';
export { fetchIntegrity, integrityBanner, integritySection, parseIntegrity, type Integrity } from './integrity';
export { formatBytes } from './bytes';
export {
  fetchStorageModel,
  parseStorageAnswer,
  storagePlot,
  type StorageAnswer,
  type StorageParams,
} from './storageModel';
export { StudyRecordings } from './studyRecordings';
export * from './retention';
