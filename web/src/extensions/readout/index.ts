/** Synchronized readout: signaling, WebRTC mesh, view sync, floor, chat, audio (docs/readout-protocol.md). */
export { EarlyJoin, ReadoutSession, type SyncViewer, type StudyLoader, type SessionState } from './session';
export { createReadoutPanel } from './panel';
