/** Photo intake (issue 15): sending photos of a screen, their status, the 4-corner fallback. */
export { PhotoApi, attachTo, parseAttach, isSettled, statusText, type PhotoState, type AttachKind } from './photoApi';
export { PhotoCard } from './photoCard';
export { PhotoModeOverlay, photoModeLayout, type ShownImage } from './photoModeOverlay';
