import type { ApiClient } from '../../platform/api/client';
import { h } from '../../platform/ui/dom';
import { ArchiveFormatError } from './archiveApi';
import { formatBytes } from './bytes';
import { formatStarted } from './libraryTable';

/** GET /api/archive/integrity (docs/archive-api.md, "Integrity"), checked field by field. */
export interface CopyState {
  blob: string;
  location: string;
  /** 'missing' | 'damaged' | 'lost' | 'repaired' */
  state: string;
  checkedAt: string | null;
  detail: string | null;
}

export interface FixityRun {
  id: string;
  jobId: string | null;
  node: string;
  startedAt: string | null;
  finishedAt: string | null;
  checked: number;
  damaged: number;
  missing: number;
  repaired: number;
  lost: number;
  bytesRead: number;
}

export interface Integrity {
  /** 'ok' or 'degraded' */
  status: string;
  damaged: number;
  missing: number;
  lost: number;
  locations: string[];
  coverage: { blobs: number; neverChecked: number; oldestCheck: string | null };
  copies: CopyState[];
  runs: FixityRun[];
}

type Obj = Record<string, unknown>;

function obj(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ArchiveFormatError(path, 'is not an object');
  return v as Obj;
}

function list(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw new ArchiveFormatError(path, 'is not an array');
  return v;
}

function text(o: Obj, key: string, path: string): string {
  if (typeof o[key] !== 'string') throw new ArchiveFormatError(`${path}.${key}`, 'is not a string');
  return o[key];
}

function optText(o: Obj, key: string, path: string): string | null {
  return o[key] === undefined || o[key] === null ? null : text(o, key, path);
}

function count(o: Obj, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    throw new ArchiveFormatError(`${path}.${key}`, 'is not a count');
  }
  return v;
}

function idText(o: Obj, key: string, path: string): string | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'string' && v) return v;
  throw new ArchiveFormatError(`${path}.${key}`, 'is not an id');
}

export function parseIntegrity(body: unknown): Integrity {
  const o = obj(body, 'answer');
  const cov = obj(o.coverage, 'answer.coverage');
  return {
    status: text(o, 'status', 'answer'),
    damaged: count(o, 'damaged', 'answer'),
    missing: count(o, 'missing', 'answer'),
    lost: count(o, 'lost', 'answer'),
    locations: list(o.locations, 'answer.locations').map((l, i) => {
      if (typeof l !== 'string') throw new ArchiveFormatError(`answer.locations[${i}]`, 'is not a string');
      return l;
    }),
    coverage: {
      blobs: count(cov, 'blobs', 'answer.coverage'),
      neverChecked: count(cov, 'neverChecked', 'answer.coverage'),
      oldestCheck: optText(cov, 'oldestCheck', 'answer.coverage'),
    },
    copies: list(o.copies, 'answer.copies').map((c, i) => {
      const p = `copies[${i}]`;
      const x = obj(c, p);
      return {
        blob: text(x, 'blob', p),
        location: text(x, 'location', p),
        state: text(x, 'state', p),
        checkedAt: optText(x, 'checkedAt', p),
        detail: optText(x, 'detail', p),
      };
    }),
    runs: list(o.runs, 'answer.runs').map((r, i) => {
      const p = `runs[${i}]`;
      const x = obj(r, p);
      return {
        id: idText(x, 'id', p) ?? '',
        jobId: idText(x, 'jobId', p),
        node: text(x, 'node', p),
        startedAt: optText(x, 'startedAt', p),
        finishedAt: optText(x, 'finishedAt', p),
        checked: count(x, 'checked', p),
        damaged: count(x, 'damaged', p),
        missing: count(x, 'missing', p),
        repaired: count(x, 'repaired', p),
        lost: count(x, 'lost', p),
        bytesRead: count(x, 'bytesRead', p),
      };
    }),
  };
}

export async function fetchIntegrity(client: ApiClient, signal?: AbortSignal): Promise<Integrity> {
  return parseIntegrity(await client.json<unknown>('/api/archive/integrity', { signal }));
}

/** Bytes in decimal units, as storage is sold. */
function when(t: string | null): string {
  return t ? formatStarted(t) : '–';
}

/** What the banner says: whether every copy verifies, else the counts and what a lost object asks of the admin. */
export function integrityBanner(i: Integrity): { ok: boolean; text: string } {
  if (i.status === 'ok') return { ok: true, text: 'Every checked copy verifies.' };
  return {
    ok: false,
    text:
      `Integrity degraded: ${i.damaged} damaged, ${i.missing} missing, ${i.lost} lost copies.` +
      (i.lost > 0 ? ' A lost object has no good copy left: restore it from a backup.' : ''),
  };
}

/**
 * The "Integrity" section: a banner that says whether every copy verifies, the copies that do not (and those
 * repaired lately), and the latest fixity runs by node.
 */
export function integritySection(i: Integrity): HTMLElement {
  const b = integrityBanner(i);
  const banner = h(
    'p',
    {
      class: `integrity-banner ${b.ok ? 'ok' : 'degraded'}`,
      'data-testid': 'integrity-status',
      'data-status': i.status,
      role: b.ok ? 'status' : 'alert',
    },
    b.text,
  );
  const coverage = h(
    'p',
    { class: 'muted', 'data-testid': 'integrity-coverage' },
    `${i.coverage.blobs} blobs in ${i.locations.length} location${i.locations.length === 1 ? '' : 's'}` +
      ` (${i.locations.join('; ')}); ${i.coverage.neverChecked} never checked; oldest check ${when(i.coverage.oldestCheck)}.`,
  );
  const copies = i.copies.length
    ? h(
        'table',
        { class: 'worklist-table compact-table', 'data-testid': 'integrity-copies', 'aria-label': 'Copies' },
        h(
          'thead',
          {},
          h('tr', {}, ...['State', 'Blob', 'Location', 'Checked', 'Detail'].map((c) => h('th', { scope: 'col' }, c))),
        ),
        h(
          'tbody',
          {},
          ...i.copies.map((c) =>
            h(
              'tr',
              { 'data-testid': 'integrity-copy', 'data-state': c.state, class: `copy-${c.state}` },
              h('td', {}, c.state),
              h('td', { class: 'mono', title: c.blob }, `${c.blob.slice(0, 16)}…`),
              h('td', {}, c.location),
              h('td', {}, when(c.checkedAt)),
              h('td', {}, c.detail ?? ''),
            ),
          ),
        ),
      )
    : h('p', { class: 'table-status', 'data-testid': 'integrity-no-copies' }, 'No damaged, missing or repaired copy.');
  const runs = h(
    'table',
    { class: 'worklist-table compact-table', 'data-testid': 'integrity-runs', 'aria-label': 'Fixity runs' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['Started', 'Node', 'Checked', 'Damaged', 'Missing', 'Repaired', 'Lost', 'Read'].map((c) =>
          h('th', { scope: 'col' }, c),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      ...i.runs.map((r) =>
        h(
          'tr',
          { 'data-testid': 'integrity-run' },
          h('td', {}, when(r.startedAt), r.finishedAt ? '' : ' (running)'),
          h('td', {}, r.node),
          h('td', { class: 'num' }, r.checked),
          h('td', { class: 'num' }, r.damaged),
          h('td', { class: 'num' }, r.missing),
          h('td', { class: 'num' }, r.repaired),
          h('td', { class: 'num' }, r.lost),
          h('td', { class: 'num' }, formatBytes(r.bytesRead)),
        ),
      ),
    ),
  );
  return h(
    'section',
    { class: 'integrity', 'data-testid': 'integrity', 'aria-labelledby': 'integrity-title' },
    h('h2', { id: 'integrity-title' }, 'Integrity'),
    banner,
    coverage,
    h('h3', {}, 'Copies that need attention'),
    copies,
    h('h3', {}, 'Latest fixity runs'),
    runs,
  );
}
