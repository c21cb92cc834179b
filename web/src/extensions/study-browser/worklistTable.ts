import type { WorklistStudy } from '../../platform/api/types';
import { formatDate, formatPersonName } from '../../platform/dicom/json';
import { formatRoute } from '../../platform/router';
import { h } from '../../platform/ui/dom';

const COLUMNS = [
  'Patient name',
  'Patient ID',
  'Study date',
  'Description',
  'Modalities',
  'Series / images',
  'Video',
  'Source',
];

/** The worklist table: one focusable row per study; click or Enter opens it. */
export class WorklistTable {
  readonly element: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private readonly status: HTMLElement;

  constructor(
    private readonly onOpen: (study: WorklistStudy) => void,
    private readonly sourceName: (id: string) => string,
  ) {
    this.body = h('tbody');
    this.status = h('div', { class: 'table-status', 'data-testid': 'worklist-status', role: 'status' });
    this.element = h(
      'div',
      { class: 'worklist-table-wrap' },
      h(
        'table',
        { class: 'worklist-table', 'data-testid': 'worklist-table', 'aria-label': 'Studies' },
        h('thead', {}, h('tr', {}, ...COLUMNS.map((c) => h('th', { scope: 'col' }, c)))),
        this.body,
      ),
      this.status,
    );
  }

  showLoading(): void {
    this.element.setAttribute('aria-busy', 'true');
    this.setStatus('Loading studies…', 'loading');
  }

  showError(message: string): void {
    this.element.removeAttribute('aria-busy');
    this.body.replaceChildren();
    this.setStatus(`Could not load the worklist: ${message}`, 'error');
  }

  show(studies: WorklistStudy[], filtered: boolean): void {
    this.element.removeAttribute('aria-busy');
    this.body.replaceChildren(...studies.map((s) => this.row(s)));
    if (studies.length === 0) {
      this.setStatus(
        filtered ? 'No studies match the search.' : 'No studies yet. Upload DICOM files or check the sources.',
        'empty',
      );
    } else {
      this.setStatus('', 'ok');
    }
  }

  /** Some sources did not answer: the list lacks their studies, and says so rather than look complete. */
  showUnavailable(names: string[]): void {
    if (names.length === 0) return;
    this.setStatus(`Not answering: ${names.join(', ')}. The list shows the other sources only.`, 'error');
  }

  private setStatus(text: string, kind: string): void {
    this.status.textContent = text;
    this.status.hidden = !text;
    this.status.setAttribute('data-state', kind);
    this.status.className = `table-status ${kind}`;
  }

  /** The study's archived recordings this user may see, as a link to them in the archive; nothing when none. */
  private recordingsLink(s: WorklistStudy): HTMLElement | string {
    const n = s.recordings ?? 0;
    if (n === 0) return '';
    const link = h(
      'a',
      {
        href: formatRoute({ name: 'archive', study: s.studyInstanceUid }),
        'data-testid': 'worklist-recordings',
        'aria-label': `${n} recording${n === 1 ? '' : 's'} of this study`,
      },
      `▶ ${n}`,
    );
    // The row opens the viewer; the link goes to the recordings instead.
    link.addEventListener('click', (e) => e.stopPropagation());
    link.addEventListener('keydown', (e) => e.stopPropagation());
    return link;
  }

  private row(s: WorklistStudy): HTMLTableRowElement {
    const counts = `${s.numberOfSeries ?? '–'} / ${s.numberOfInstances ?? '–'}`;
    const tr = h(
      'tr',
      {
        'data-testid': 'worklist-row',
        'data-source': s.source,
        'data-study-uid': s.studyInstanceUid,
        tabindex: 0,
        class: 'worklist-row',
        'aria-label': `Open study ${formatPersonName(s.patientName)} ${s.studyDescription ?? ''}`.trim(),
      },
      h('td', {}, formatPersonName(s.patientName)),
      h('td', {}, s.patientId ?? ''),
      h('td', {}, formatDate(s.studyDate)),
      h('td', {}, s.studyDescription ?? ''),
      h('td', {}, (s.modalities ?? []).join(', ')),
      h('td', { class: 'num' }, counts),
      h('td', { class: 'num' }, this.recordingsLink(s)),
      h('td', {}, this.sourceName(s.source)),
    );
    tr.addEventListener('click', () => this.onOpen(s));
    tr.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        this.onOpen(s);
      } else if (e.key === 'ArrowDown') {
        e.preventDefault();
        (tr.nextElementSibling as HTMLElement | null)?.focus();
      } else if (e.key === 'ArrowUp') {
        e.preventDefault();
        (tr.previousElementSibling as HTMLElement | null)?.focus();
      }
    });
    return tr;
  }
}
