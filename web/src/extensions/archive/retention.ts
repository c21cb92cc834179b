import type { ApiClient } from '../../platform/api/client';
import { h } from '../../platform/ui/dom';

/**
 * Retention, legal holds and deletion (docs/archive-api.md "Retention and legal hold"), typed and checked like the
 * rest of the archive API: a field of the wrong type is a {@link RetentionFormatError} naming it.
 */

export interface Hold {
  id: string;
  scope: 'recording' | 'patient' | 'case';
  hospital: string | null;
  target: string;
  reason: string;
  placedBy: string;
  placedAt: string;
  active: boolean;
  liftedAt: string | null;
  liftedBy: string | null;
  liftReason: string | null;
}

export interface Policy {
  id: string;
  hospital: string | null;
  procedure: string | null;
  years: number;
  anchor: 'last-visit' | 'recording';
  note: string | null;
}

export interface RetentionInfo {
  until: string | null;
  explanation: string;
  ended: boolean;
  deletable: boolean;
  holds: Hold[];
}

export interface ExpiryRun {
  id: string;
  startedAt: string;
  finishedAt: string | null;
  deleteExpired: boolean;
  examined: number;
  expired: number;
  deleted: number;
  held: number;
  failed: number;
}

export interface ExpiryItem {
  recording: string;
  hospital: string;
  retentionEnd: string;
  outcome: 'reported' | 'deleted' | 'held' | 'failed';
  detail: string | null;
}

export class RetentionFormatError extends Error {
  constructor(path: string, problem: string) {
    super(`The server's answer is not understood: ${path} ${problem}`);
    this.name = 'RetentionFormatError';
  }
}

type Obj = Record<string, unknown>;

function object(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new RetentionFormatError(path, 'is not an object');
  return v as Obj;
}

function array(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw new RetentionFormatError(path, 'is not an array');
  return v;
}

function str(o: Obj, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new RetentionFormatError(`${path}.${key}`, 'is not a string');
  return v;
}

function optStr(o: Obj, key: string, path: string): string | null {
  return o[key] === undefined || o[key] === null ? null : str(o, key, path);
}

function num(o: Obj, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new RetentionFormatError(`${path}.${key}`, 'is not a number');
  return v;
}

function bool(o: Obj, key: string, path: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') throw new RetentionFormatError(`${path}.${key}`, 'is not true or false');
  return v;
}

function oneOf<T extends string>(o: Obj, key: string, path: string, values: readonly T[]): T {
  const v = str(o, key, path);
  if (!(values as readonly string[]).includes(v))
    throw new RetentionFormatError(`${path}.${key}`, `is not one of ${values.join(', ')}`);
  return v as T;
}

function anyId(o: Obj, key: string, path: string): string {
  const v = o[key];
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return str(o, key, path);
}

export function parseHold(v: unknown, path = 'hold'): Hold {
  const o = object(v, path);
  return {
    id: str(o, 'id', path),
    scope: oneOf(o, 'scope', path, ['recording', 'patient', 'case'] as const),
    hospital: optStr(o, 'hospital', path),
    target: str(o, 'target', path),
    reason: str(o, 'reason', path),
    placedBy: str(o, 'placedBy', path),
    placedAt: str(o, 'placedAt', path),
    active: bool(o, 'active', path),
    liftedAt: optStr(o, 'liftedAt', path),
    liftedBy: optStr(o, 'liftedBy', path),
    liftReason: optStr(o, 'liftReason', path),
  };
}

export function parsePolicy(v: unknown, path = 'policy'): Policy {
  const o = object(v, path);
  return {
    id: anyId(o, 'id', path),
    hospital: optStr(o, 'hospital', path),
    procedure: optStr(o, 'procedure', path),
    years: num(o, 'years', path),
    anchor: oneOf(o, 'anchor', path, ['last-visit', 'recording'] as const),
    note: optStr(o, 'note', path),
  };
}

/** A recording's retention; null when the answer has none (a viewer who sees no identities). */
export function parseRetention(v: unknown, path = 'retention'): RetentionInfo | null {
  if (v === undefined || v === null) return null;
  const o = object(v, path);
  return {
    until: optStr(o, 'until', path),
    explanation: str(o, 'explanation', path),
    ended: bool(o, 'ended', path),
    deletable: bool(o, 'deletable', path),
    holds: array(o.holds ?? [], `${path}.holds`).map((x, i) => parseHold(x, `${path}.holds[${i}]`)),
  };
}

export function parseRun(v: unknown, path = 'run'): ExpiryRun {
  const o = object(v, path);
  return {
    id: anyId(o, 'id', path),
    startedAt: str(o, 'startedAt', path),
    finishedAt: optStr(o, 'finishedAt', path),
    deleteExpired: bool(o, 'deleteExpired', path),
    examined: num(o, 'examined', path),
    expired: num(o, 'expired', path),
    deleted: num(o, 'deleted', path),
    held: num(o, 'held', path),
    failed: num(o, 'failed', path),
  };
}

export function parseItem(v: unknown, path = 'item'): ExpiryItem {
  const o = object(v, path);
  return {
    recording: str(o, 'recording', path),
    hospital: str(o, 'hospital', path),
    retentionEnd: str(o, 'retentionEnd', path),
    outcome: oneOf(o, 'outcome', path, ['reported', 'deleted', 'held', 'failed'] as const),
    detail: optStr(o, 'detail', path),
  };
}

/** The day a retention ends, as people read it ("2046-12-02"): the server's instants are midnights UTC. */
export function retentionDay(until: string | null): string {
  return until ? until.slice(0, 10) : 'no end';
}

/** What the recording page says: the hold badge (null without a standing hold) and the retention line. */
export function retentionLines(r: RetentionInfo): { badge: string | null; holds: string; until: string } {
  const standing = r.holds.filter((x) => x.active);
  return {
    badge: standing.length === 0 ? null : standing.length === 1 ? 'legal hold' : `${standing.length} legal holds`,
    holds: standing.map((x) => `${x.reason} (${x.placedBy}, ${x.placedAt.slice(0, 10)})`).join('; '),
    until: r.ended ? `Retention ended ${retentionDay(r.until)}` : `Kept until ${retentionDay(r.until)}`,
  };
}

/** The hold badge and the retention lines of a recording page. */
export function retentionSection(r: RetentionInfo): HTMLElement {
  const lines = retentionLines(r);
  return h(
    'section',
    { class: 'recording-section', 'data-testid': 'retention' },
    h('h3', {}, 'Retention'),
    lines.badge
      ? h('p', {}, h('span', { class: 'tag hold-badge', 'data-testid': 'hold-badge' }, lines.badge), ' ', lines.holds)
      : null,
    h('p', { 'data-testid': 'retention-until' }, lines.until),
    h('p', { class: 'hint' }, r.explanation),
  );
}

const enc = encodeURIComponent;

/** The retention routes of the server. */
export class RetentionApi {
  constructor(readonly client: ApiClient) {}

  async policies(): Promise<Policy[]> {
    const o = object(await this.client.json<unknown>('/api/archive/retention/policies'), 'answer');
    return array(o.policies, 'answer.policies').map((p, i) => parsePolicy(p, `policies[${i}]`));
  }

  async setPolicy(p: {
    hospital: string | null;
    procedure: string | null;
    years: number;
    anchor: string;
    note: string | null;
  }): Promise<Policy> {
    return parsePolicy(await this.client.send<unknown>('PUT', '/api/archive/retention/policies', p));
  }

  async holds(all: boolean): Promise<Hold[]> {
    const o = object(await this.client.json<unknown>(`/api/archive/holds${all ? '?all=true' : ''}`), 'answer');
    return array(o.holds, 'answer.holds').map((x, i) => parseHold(x, `holds[${i}]`));
  }

  async placeHold(body: Record<string, string>): Promise<Hold> {
    return parseHold(await this.client.send<unknown>('POST', '/api/archive/holds', body));
  }

  async liftHold(id: string, reason: string): Promise<Hold> {
    return parseHold(await this.client.send<unknown>('POST', `/api/archive/holds/${enc(id)}/lift`, { reason }));
  }

  async runs(): Promise<{ runs: ExpiryRun[]; deleteExpired: boolean }> {
    const o = object(await this.client.json<unknown>('/api/archive/retention/runs'), 'answer');
    return {
      runs: array(o.runs, 'answer.runs').map((r, i) => parseRun(r, `runs[${i}]`)),
      deleteExpired: bool(o, 'deleteExpired', 'answer'),
    };
  }

  async items(runId: string): Promise<ExpiryItem[]> {
    const o = object(await this.client.json<unknown>(`/api/archive/retention/runs/${enc(runId)}`), 'answer');
    return array(o.items, 'answer.items').map((x, i) => parseItem(x, `items[${i}]`));
  }

  async startRun(): Promise<void> {
    await this.client.send('POST', '/api/archive/retention/runs', {});
  }
}
