import { h } from '../../platform/ui/dom';
import type { RecordingSummary } from './archiveApi';
import { formatClock } from './timeline';

/** Human words for the catalog's recording states (unknown states are shown as they come). */
export const STATUS_LABELS: Record<string, string> = {
  uploaded: 'Uploaded',
  processing: 'Processing',
  ready: 'Ready',
  failed: 'Failed',
};

export function formatStarted(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * The recordings table: thumbnail (the storyboard's first tile), what and where, status, duration. Patient columns
 * only for viewers the server shows patients to (`withPatient`); rows open the player on click or Enter.
 */
export class LibraryTable {
  readonly element: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private readonly status: HTMLElement;

  constructor(
    private readonly withPatient: boolean,
    private readonly onOpen: (r: RecordingSummary) => void,
  ) {
    const columns = [
      '',
      'Recording',
      ...(withPatient ? ['Patient'] : []),
      'OR',
      'Surgeon',
      'Started',
      'Duration',
      'Status',
    ];
    this.body = h('tbody');
    this.status = h('div', { class: 'table-status', 'data-testid': 'library-status', role: 'status' });
    this.element = h(
      'div',
      { class: 'worklist-table-wrap' },
      h(
        'table',
        { class: 'worklist-table library-table', 'data-testid': 'library-table', 'aria-label': 'Recordings' },
        h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', { scope: 'col' }, c)))),
        this.body,
      ),
      this.status,
    );
  }

  showLoading(): void {
    this.setStatus('Loading recordings…', 'loading');
  }

  showError(message: string): void {
    this.body.replaceChildren();
    this.setStatus(`Could not load the recordings: ${message}`, 'error');
  }

  show(recordings: RecordingSummary[], filtered: boolean): void {
    this.body.replaceChildren(...recordings.map((r) => this.row(r)));
    if (recordings.length > 0) this.setStatus('', 'ok');
    else this.setStatus(filtered ? 'No recordings match the search.' : 'No recordings yet.', 'empty');
  }

  private setStatus(text: string, kind: string): void {
    this.status.textContent = text;
    this.status.hidden = !text;
    this.status.setAttribute('data-state', kind);
    this.status.className = `table-status ${kind}`;
  }

  private row(r: RecordingSummary): HTMLTableRowElement {
    const thumb = h('div', { class: 'rec-thumb', 'data-testid': 'recording-thumbnail' });
    // Tiles are 160 px wide (contract); the sheet's first tile sits at its top-left corner.
    if (r.thumbnail) thumb.style.backgroundImage = `url("${r.thumbnail}")`;
    else thumb.classList.add('none');
    const name = r.title || r.procedure || `Recording ${r.id}`;
    const tr = h(
      'tr',
      {
        class: 'worklist-row',
        tabindex: 0,
        'data-testid': 'recording-row',
        'data-recording-id': r.id,
        'data-status': r.status,
        'aria-label': `Open recording ${name}`,
      },
      h('td', { class: 'thumb-cell' }, thumb),
      h(
        'td',
        {},
        h(
          'div',
          {},
          name,
          r.anonymized ? h('span', { class: 'tag', 'data-testid': 'anonymized-tag' }, 'anonymized') : null,
        ),
        r.procedure && r.procedure !== name ? h('div', { class: 'muted' }, r.procedure) : null,
      ),
      this.withPatient
        ? h('td', {}, r.patientName ?? '', r.patientId ? h('div', { class: 'muted' }, r.patientId) : null)
        : null,
      h('td', {}, r.operatingRoom ?? ''),
      h('td', {}, r.operator ?? ''),
      h('td', {}, formatStarted(r.startedAt)),
      h('td', { class: 'num' }, r.durationSeconds != null ? formatClock(r.durationSeconds) : ''),
      h(
        'td',
        { title: r.statusMessage ?? '' },
        h('span', { class: `status status-${r.status}` }, STATUS_LABELS[r.status] ?? r.status),
      ),
    );
    tr.addEventListener('click', () => this.onOpen(r));
    tr.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        this.onOpen(r);
      }
    });
    return tr;
  }
}
