/** Synchronized readout: signaling, WebRTC mesh, view sync, floor, chat, audio (docs/readout-protocol.md). */
export { EarlyJoin, ReadoutSession } from './session';
export type { SessionState } from './state';
export type { StudyLoader, SyncViewer } from './viewer';
export { diagnosticsRequested, installDiagnostics } from './diagnostics';
export { createReadoutPanel } from './panel';
