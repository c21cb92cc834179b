import { thumbnailUrl } from '../../platform/api/medsyncApi';
import type { DicomJsonDataset } from '../../platform/api/types';
import { getNumber, getString } from '../../platform/dicom/json';
import { Tag } from '../../platform/dicom/tags';
import { h } from '../../platform/ui/dom';

export interface SeriesSummary {
  seriesInstanceUid: string;
  seriesNumber: number | undefined;
  description: string;
  modality: string;
  instanceCount: number | undefined;
}

/** QIDO-RS series results as summaries, ordered by SeriesNumber. */
export function summarizeSeries(results: DicomJsonDataset[]): SeriesSummary[] {
  return results
    .map((ds) => ({
      seriesInstanceUid: getString(ds, Tag.SeriesInstanceUID) ?? '',
      seriesNumber: getNumber(ds, Tag.SeriesNumber),
      description: getString(ds, Tag.SeriesDescription) ?? '',
      modality: getString(ds, Tag.Modality) ?? '',
      instanceCount: getNumber(ds, Tag.NumberOfSeriesRelatedInstances),
    }))
    .filter((s) => s.seriesInstanceUid)
    .sort((a, b) => (a.seriesNumber ?? Infinity) - (b.seriesNumber ?? Infinity));
}

/** The series thumbnails of a study; clicking one asks for it to be shown. */
export class SeriesPanel {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private readonly status: HTMLElement;

  constructor(
    private readonly source: string,
    private readonly study: string,
    private readonly onSelect: (series: SeriesSummary) => void,
  ) {
    this.list = h('ul', { class: 'series-list', role: 'list' });
    this.status = h('div', { class: 'panel-status', role: 'status' }, 'Loading series…');
    this.element = h(
      'nav',
      { class: 'series-panel', 'aria-label': 'Series' },
      h('h2', {}, 'Series'),
      this.status,
      this.list,
    );
  }

  showError(message: string): void {
    this.status.hidden = false;
    this.status.className = 'panel-status error';
    this.status.textContent = message;
  }

  show(series: SeriesSummary[]): void {
    this.status.hidden = series.length > 0;
    if (!series.length) this.status.textContent = 'This study has no series.';
    this.list.replaceChildren(...series.map((s) => this.item(s)));
  }

  setActive(seriesInstanceUid: string): void {
    for (const el of this.list.querySelectorAll<HTMLElement>('[data-testid=series-thumbnail]')) {
      const active = el.dataset.seriesUid === seriesInstanceUid;
      el.classList.toggle('active', active);
      el.setAttribute('aria-pressed', String(active));
    }
  }

  private item(s: SeriesSummary): HTMLElement {
    const img = h('img', {
      src: thumbnailUrl(this.source, this.study, s.seriesInstanceUid),
      alt: '',
      width: 96,
      height: 96,
      loading: 'lazy',
      decoding: 'async',
    });
    img.addEventListener('error', () =>
      img.replaceWith(h('div', { class: 'thumb-missing' }, s.modality || 'No preview')),
    );
    const label = [s.seriesNumber !== undefined ? `#${s.seriesNumber}` : '', s.description].filter(Boolean).join(' ');
    const button = h(
      'button',
      {
        type: 'button',
        class: 'series-thumbnail',
        'data-testid': 'series-thumbnail',
        'data-series-uid': s.seriesInstanceUid,
        'aria-pressed': 'false',
        title: label,
      },
      img,
      h('span', { class: 'series-label' }, label || s.seriesInstanceUid),
      h('span', { class: 'series-count' }, `${s.modality ? `${s.modality} · ` : ''}${s.instanceCount ?? '?'} images`),
    );
    button.addEventListener('click', () => this.onSelect(s));
    return h('li', {}, button);
  }
}
