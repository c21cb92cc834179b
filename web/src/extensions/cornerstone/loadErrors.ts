import { getString } from '../../platform/dicom/json';
import { Tag } from '../../platform/dicom/tags';
import { h } from '../../platform/ui/dom';
import { transferSyntaxName } from './displayability';
import type { StackEntry } from './imageIds';

const TRANSFER_SYNTAX_UID = '00020010';

/**
 * The error line under a viewport: the first image that could not be shown, in words, and how many more
 * failed. A decoder's own exception text is not for the user: it goes to the console for whoever debugs.
 */
export class LoadErrorLine {
  readonly element: HTMLElement;
  private readonly failures = new Map<string, string>();

  constructor() {
    this.element = h('div', { class: 'viewer-error', 'data-testid': 'viewer-error', role: 'alert', hidden: true });
  }

  /** Records the failure of `entry` (image `index` of `count`) and shows the summary. */
  report(entry: StackEntry, index: number, count: number, error: unknown): void {
    if (!this.failures.has(entry.imageId)) console.warn('Image load failed:', entry.imageId, error);
    this.failures.set(entry.imageId, describeLoadError(entry, index, count, error));
    this.show(summarize([...this.failures.values()]));
  }

  /** Shows a message of the caller's (null hides the line). */
  show(message: string | null): void {
    this.element.hidden = !message;
    this.element.textContent = message ?? '';
  }

  clear(): void {
    this.failures.clear();
    this.show(null);
  }
}

/** "first message (2 more images failed)". */
export function summarize(messages: readonly string[]): string | null {
  if (!messages.length) return null;
  const more = messages.length - 1;
  return messages[0] + (more ? ` (${more} more image${more > 1 ? 's' : ''} failed)` : '');
}

/** "Image 3/144 (SOP Instance 1.2.3, series 2 "CT HEAD") could not be shown: HTTP 404 (Not Found)." */
export function describeLoadError(entry: StackEntry, index: number, count: number, error: unknown): string {
  const seriesNumber = getString(entry.instance, Tag.SeriesNumber);
  const seriesDescription = getString(entry.instance, Tag.SeriesDescription);
  const series = [seriesNumber && `series ${seriesNumber}`, seriesDescription && `"${seriesDescription}"`]
    .filter(Boolean)
    .join(' ');
  const frame = entry.numberOfFrames > 1 ? `, frame ${entry.frame}` : '';
  const syntax = getString(entry.instance, TRANSFER_SYNTAX_UID);
  return `Image ${index + 1}/${count} (SOP Instance ${entry.sopInstanceUid}${frame}${series ? `, ${series}` : ''}) could not be shown: ${reasonOf(error, syntax)}.`;
}

/**
 * A short human reason for a loader failure: an HTTP status, the network, a timeout, or a decoding or display
 * failure named by the image's transfer syntax (never the exception text of the decoder or renderer).
 */
export function reasonOf(error: unknown, transferSyntaxUid?: string): string {
  const seen = new Set<unknown>();
  let e: unknown = error;
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    const o = e as { status?: unknown; statusText?: unknown; message?: unknown; error?: unknown };
    if (typeof o.status === 'number' && o.status > 0) {
      return `HTTP ${o.status}${typeof o.statusText === 'string' && o.statusText ? ` (${o.statusText})` : ''}`;
    }
    if (typeof o.message === 'string' && o.message && o.message !== 'request failed') {
      if (o.message.startsWith('not loaded')) return o.message;
      break;
    }
    e = o.error;
  }
  if (typeof XMLHttpRequest !== 'undefined' && error instanceof XMLHttpRequest && error.status === 0)
    return 'network error';
  const name = transferSyntaxName(transferSyntaxUid);
  return `its pixel data could not be decoded or displayed${name ? ` (${name})` : ''}; the file may be damaged or use a variant the viewer does not read`;
}
