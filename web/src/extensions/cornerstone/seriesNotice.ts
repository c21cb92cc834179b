import { srLines } from '../../platform/dicom/srText';
import { h } from '../../platform/ui/dom';
import { noticeFor, type NotDisplayable } from './displayability';

/** Fetches one instance as a DICOM file and hands it to the user; rejects with a message to show. */
export type DownloadInstance = (sopInstanceUid: string) => Promise<void>;

/** At most this many download buttons (a series of hundreds of reports is read elsewhere). */
const MAX_DOWNLOADS = 20;

/**
 * The panel shown over the viewport in place of an image: what the series holds, in words, why the viewer
 * does not show it, the text of a structured report, and a download of each object.
 * `[data-testid=series-notice]` carries `data-kind` (docs: web/README.md test hooks).
 */
export class SeriesNotice {
  readonly element: HTMLElement;

  constructor(private readonly download: DownloadInstance | undefined) {
    this.element = h('div', { class: 'series-notice', 'data-testid': 'series-notice', role: 'status', hidden: true });
  }

  /** Shows what `others` are; a compact line when `alongsideImages` (the images of the series are shown). */
  show(others: readonly NotDisplayable[], alongsideImages: boolean): void {
    const notice = noticeFor(others);
    if (!notice) {
      this.hide();
      return;
    }
    this.element.hidden = false;
    this.element.setAttribute('data-kind', notice.kind);
    this.element.classList.toggle('compact', alongsideImages);
    if (alongsideImages) {
      this.element.replaceChildren(
        h('span', { 'data-testid': 'series-notice-title' }, `Not shown here: ${notice.title}`),
      );
      return;
    }
    const parts: HTMLElement[] = [
      h('h3', { 'data-testid': 'series-notice-title' }, notice.title),
      h('p', {}, notice.detail),
    ];
    // The downloads come before a report's text, which can be long.
    if (this.download) parts.push(this.downloads(others, this.download));
    if (notice.kind === 'report') parts.push(this.reportText(others[0]));
    this.element.replaceChildren(...parts);
  }

  hide(): void {
    this.element.hidden = true;
    this.element.removeAttribute('data-kind');
    this.element.replaceChildren();
  }

  private reportText(report: NotDisplayable): HTMLElement {
    const lines = srLines(report.instance);
    if (!lines.length)
      return h(
        'p',
        { class: 'notice-muted', 'data-testid': 'report-text-missing' },
        'The report text is not available to you here (roles that see studies de-identified do not receive it).',
      );
    return h(
      'div',
      { class: 'report-text', 'data-testid': 'report-text' },
      ...lines.map((l) =>
        h('div', { class: l.depth === 0 ? 'report-title' : '', style: `--depth:${l.depth}` }, l.text),
      ),
    );
  }

  private downloads(others: readonly NotDisplayable[], download: DownloadInstance): HTMLElement {
    const status = h('span', { class: 'notice-muted', role: 'status' });
    const buttons = others.slice(0, MAX_DOWNLOADS).map((o, i) => {
      const label = others.length > 1 ? `Download file ${i + 1} (DICOM)` : 'Download (DICOM file)';
      const button = h('button', { type: 'button', class: 'btn', 'data-testid': 'download-instance' }, label);
      button.addEventListener('click', () => {
        button.disabled = true;
        status.textContent = '';
        download(o.sopInstanceUid)
          .catch((e: unknown) => {
            status.textContent = `The download failed: ${e instanceof Error ? e.message : 'unknown error'}`;
          })
          .finally(() => {
            button.disabled = false;
          });
      });
      return button;
    });
    const more =
      others.length > MAX_DOWNLOADS
        ? h('span', { class: 'notice-muted' }, `and ${others.length - MAX_DOWNLOADS} more`)
        : '';
    return h('div', { class: 'notice-actions' }, ...buttons, more, status);
  }
}
