import { getString } from '../../platform/dicom/json';
import { Tag } from '../../platform/dicom/tags';
import type { StackEntry } from './imageIds';

/** "Image 3/144 (SOP Instance 1.2.3, series 2 "CT HEAD") could not be shown: HTTP 404 (Not Found)." */
export function describeLoadError(entry: StackEntry, index: number, count: number, error: unknown): string {
  const seriesNumber = getString(entry.instance, Tag.SeriesNumber);
  const seriesDescription = getString(entry.instance, Tag.SeriesDescription);
  const series = [seriesNumber && `series ${seriesNumber}`, seriesDescription && `"${seriesDescription}"`]
    .filter(Boolean)
    .join(' ');
  const frame = entry.numberOfFrames > 1 ? `, frame ${entry.frame}` : '';
  return `Image ${index + 1}/${count} (SOP Instance ${entry.sopInstanceUid}${frame}${series ? `, ${series}` : ''}) could not be shown: ${reasonOf(error)}.`;
}

/** A short human reason for a loader failure: an XHR status, an Error message, or a generic text. */
export function reasonOf(error: unknown): string {
  const seen = new Set<unknown>();
  let e: unknown = error;
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    const o = e as { status?: unknown; statusText?: unknown; message?: unknown; error?: unknown };
    if (typeof o.status === 'number' && o.status > 0) {
      return `HTTP ${o.status}${typeof o.statusText === 'string' && o.statusText ? ` (${o.statusText})` : ''}`;
    }
    if (typeof o.message === 'string' && o.message && o.message !== 'request failed') {
      return o.message.startsWith('not loaded') ? o.message : `decoding failed (${o.message})`;
    }
    e = o.error;
  }
  if (typeof error === 'string' && error) return error;
  if (typeof XMLHttpRequest !== 'undefined' && error instanceof XMLHttpRequest && error.status === 0)
    return 'network error';
  return 'unknown error';
}
