import { h } from '../../platform/ui/dom';
import type { Job, RecordingDetail, Rendition } from './archiveApi';
import { formatStarted } from './libraryTable';

const FINISHED_JOB_STATES = new Set(['done', 'failed']);
const FINISHED_RECORDING_STATES = new Set(['ready', 'failed']);

/** Whether the page should ask again: a job has not finished, or the recording is not settled yet. */
export function needsPolling(r: Pick<RecordingDetail, 'jobs' | 'status'>): boolean {
  if (r.jobs.some((j) => !FINISHED_JOB_STATES.has(j.state))) return true;
  return !FINISHED_RECORDING_STATES.has(r.status);
}

/** The poll interval after `n` unchanged answers: 1 s, growing to 10 s while nothing moves. */
export function pollDelay(unchanged: number): number {
  return Math.min(10_000, 1000 * 2 ** Math.min(4, Math.max(0, unchanged)));
}

export function formatBitrate(bps: number | null): string {
  if (bps == null) return '';
  return bps >= 1e6 ? `${(bps / 1e6).toFixed(1)} Mb/s` : `${Math.round(bps / 1e3)} kb/s`;
}

/** The renditions with how close each is to the source: PSNR (dB) and SSIM, "copied" for an untouched master. */
export function renditionsTable(renditions: readonly Rendition[]): HTMLElement {
  return h(
    'table',
    { class: 'worklist-table compact-table', 'data-testid': 'renditions', 'aria-label': 'Renditions' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['Rendition', 'Codec', 'Size', 'Bitrate', 'PSNR', 'SSIM'].map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    h(
      'tbody',
      {},
      ...renditions.map((r) =>
        h(
          'tr',
          {
            'data-testid': 'rendition-row',
            'data-name': r.name,
            'data-psnr': r.psnr ?? '',
            'data-ssim': r.ssim ?? '',
          },
          h('td', {}, r.name),
          h('td', {}, [r.codec, r.profile, r.pixelFormat].filter(Boolean).join(' · ')),
          h('td', {}, r.width && r.height ? `${r.width}×${r.height}` : ''),
          h('td', { class: 'num' }, formatBitrate(r.bitrate)),
          h('td', { class: 'num' }, r.copied ? 'copied' : r.psnr != null ? `${r.psnr.toFixed(2)} dB` : '–'),
          h('td', { class: 'num' }, r.copied ? '' : r.ssim != null ? r.ssim.toFixed(4) : '–'),
        ),
      ),
    ),
  );
}

/** The recording's jobs, newest first: state, stage, a progress bar while running, the error when failed. */
export function jobsList(jobs: readonly Job[]): HTMLElement {
  const sorted = [...jobs].sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
  return h(
    'ul',
    { class: 'jobs', 'data-testid': 'jobs' },
    ...sorted.map((j) => {
      const running = !FINISHED_JOB_STATES.has(j.state);
      const percent = j.progress != null ? Math.round(j.progress * 100) : undefined;
      return h(
        'li',
        {
          class: `job job-${j.state}`,
          'data-testid': 'job-row',
          'data-job-id': j.id,
          'data-kind': j.kind,
          'data-state': j.state,
          'data-progress': j.progress ?? '',
        },
        h('strong', {}, j.kind),
        ` ${j.state}`,
        j.stage ? ` · ${j.stage}` : '',
        j.attempts > 1 ? ` · attempt ${j.attempts}` : '',
        running && percent !== undefined
          ? h('progress', { max: 100, value: percent, 'aria-label': `${j.kind} progress` }, `${percent}%`)
          : null,
        running && percent !== undefined ? ` ${percent}%` : '',
        j.finishedAt ? h('span', { class: 'muted' }, ` · ${formatStarted(j.finishedAt)}`) : null,
        j.message
          ? h('div', { class: j.state === 'failed' ? 'job-error' : 'muted', 'data-testid': 'job-message' }, j.message)
          : null,
      );
    }),
  );
}
