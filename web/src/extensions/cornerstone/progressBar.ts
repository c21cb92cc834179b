import { h } from '../../platform/ui/dom';
import type { PrefetchProgress } from './prefetch';

/** The thin series-loading bar over the viewport's bottom edge, hidden once every image is in. */
export class ProgressBar {
  readonly element: HTMLElement;
  private readonly fill: HTMLElement;

  constructor() {
    this.fill = h('div', { class: 'progress-fill' });
    this.element = h(
      'div',
      {
        class: 'series-progress',
        'data-testid': 'series-progress',
        role: 'progressbar',
        'aria-label': 'Series loading',
        'data-loaded': 0,
        'data-total': 0,
        'data-complete': 'false',
        hidden: true,
      },
      this.fill,
    );
  }

  show(p: PrefetchProgress): void {
    const bar = this.element;
    bar.setAttribute('data-loaded', String(p.loaded));
    bar.setAttribute('data-total', String(p.total));
    bar.setAttribute('data-failed', String(p.failed));
    bar.setAttribute('data-complete', String(p.complete));
    bar.setAttribute('aria-valuemin', '0');
    bar.setAttribute('aria-valuemax', String(p.total));
    bar.setAttribute('aria-valuenow', String(p.loaded));
    bar.hidden = p.complete;
    this.fill.style.width = `${p.total ? (100 * (p.loaded + p.failed)) / p.total : 100}%`;
  }
}
