import { h } from '../../platform/ui/dom';
import { CornerEditor } from './cornerEditor';
import type { Point } from './corners';
import { aiReadText, RESTORATION_NOT_INSTALLED, retakeMessages, statusText, type PhotoState } from './photoApi';

/** One sent photo on the page: its status, the retake advice, the rectified and restored images side by side. */
export class PhotoCard {
  readonly element: HTMLElement;
  private shownStatus = '';

  constructor(
    private readonly onCorners: (id: string, corners: Point[]) => Promise<void>,
    private readonly openStudy: (studyUid: string) => void,
  ) {
    this.element = h('section', { class: 'photo-card', 'data-testid': 'photo-card' });
  }

  show(p: PhotoState): void {
    // Redraw only when something changed: a redraw would reset a corner drag in progress.
    const key = `${p.status}|${p.images.rectified ?? ''}|${p.images.restored ?? ''}|${p.error?.code ?? ''}|${aiReadText(p) ?? ''}`;
    if (key === this.shownStatus) return;
    this.shownStatus = key;
    this.element.setAttribute('data-status', p.status);
    this.element.setAttribute('data-photo-id', p.id);
    const parts: (Node | string)[] = [
      h('p', { class: 'photo-status', role: 'status', 'data-testid': 'photo-status' }, statusText(p)),
    ];
    const advice = retakeMessages(p);
    if (advice.length > 0) {
      parts.push(
        h(
          'ul',
          { class: 'photo-problems', 'data-testid': 'photo-problems' },
          ...p.problems.map((q, i) => h('li', { 'data-code': q.code }, advice[i])),
        ),
      );
    }
    if (p.restoration === RESTORATION_NOT_INSTALLED && p.status !== 'retake') {
      parts.push(
        h(
          'p',
          { class: 'photo-note', 'data-testid': 'photo-restoration' },
          'Restoration not installed: the rectified photo is what is stored.',
        ),
      );
    }
    const read = aiReadText(p);
    if (read) {
      parts.push(h('p', { class: 'photo-ai-read', 'data-testid': 'photo-ai-read', role: 'note' }, read));
    }
    const v = Date.now(); // the image of a status can change after new corners: never show a stale one
    const figures: HTMLElement[] = [];
    if (p.images.rectified) {
      figures.push(
        h(
          'figure',
          {},
          h('img', { src: `${p.images.rectified}?v=${v}`, alt: 'Rectified photo', 'data-testid': 'photo-rectified' }),
          h('figcaption', {}, 'Rectified'),
        ),
      );
    }
    if (p.images.restored) {
      figures.push(
        h(
          'figure',
          {},
          h('img', { src: `${p.images.restored}?v=${v}`, alt: 'Restored photo', 'data-testid': 'photo-restored' }),
          h('figcaption', {}, `Restored (${p.restoration})`),
        ),
      );
    }
    if (figures.length > 0) parts.push(h('div', { class: 'photo-compare' }, ...figures));
    if ((p.status === 'needs-corners' || p.status === 'retake') && p.images.original) {
      parts.push(
        new CornerEditor(p.images.original, p.photo.width, p.photo.height, p.quad?.corners, (corners) =>
          this.onCorners(p.id, corners),
        ).element,
      );
    }
    const sc = p.secondaryCapture;
    if (sc) {
      parts.push(
        h(
          'button',
          {
            type: 'button',
            class: 'btn',
            'data-testid': 'photo-open-study',
            onclick: () => this.openStudy(sc.studyUid),
          },
          'Open in the viewer',
        ),
      );
    }
    this.element.replaceChildren(...parts);
  }
}
