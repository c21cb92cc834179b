import type { ApiClient } from '../../platform/api/client';
import { parseRetention, type RetentionInfo } from './retention';

/**
 * The recordings part of the archive API (/work/wt/ARCHIVE.md, docs/archive-api.md), typed. Every answer is
 * checked before the pages use it: a field of the wrong type is an {@link ArchiveFormatError} naming the field,
 * so a server change shows up as one clear message instead of `undefined` spread over the page.
 */

export type RecordingStatus = string;

export interface RecordingSummary {
  id: string;
  title: string | null;
  hospital: string | null;
  operatingRoom: string | null;
  operator: string | null;
  owner: string | null;
  procedure: string | null;
  accession: string | null;
  studyUid: string | null;
  patientName: string | null;
  patientId: string | null;
  startedAt: string | null;
  durationSeconds: number | null;
  status: RecordingStatus;
  statusMessage: string | null;
  anonymized: boolean;
  derivedFrom: string | null;
  thumbnail: string | null;
}

export interface Rendition {
  name: string;
  kind: string;
  codec: string | null;
  profile: string | null;
  pixelFormat: string | null;
  width: number | null;
  height: number | null;
  bitrate: number | null;
  psnr: number | null;
  ssim: number | null;
  copied: boolean;
}

export type FlagKind = 'black' | 'frozen' | 'blurred' | 'overexposed' | 'underexposed';
export const FLAG_KINDS: readonly FlagKind[] = ['black', 'frozen', 'blurred', 'overexposed', 'underexposed'];

export interface QualityFlag {
  /** One of {@link FLAG_KINDS}, or a kind this page does not know yet (drawn as "other"). */
  kind: string;
  start: number;
  end: number;
  detail: string | null;
}

export interface Job {
  id: string;
  kind: string;
  state: string;
  /** 0..1, or null when the job does not report progress. */
  progress: number | null;
  stage: string | null;
  message: string | null;
  attempts: number;
  createdAt: string | null;
  finishedAt: string | null;
}

export interface Storyboard {
  intervalSeconds: number;
  columns: number;
  rows: number;
  tileWidth: number;
  tileHeight: number;
  count: number;
  image: string;
}

export interface RecordingDetail extends RecordingSummary {
  renditions: Rendition[];
  flags: QualityFlag[];
  jobs: Job[];
  playlist: string | null;
  storyboard: Storyboard | null;
  may: { share: boolean; anonymize: boolean; sendToPacs: boolean };
  /** When it may be deleted and why, with its holds; null for viewers who see no identities. */
  retention: RetentionInfo | null;
}

export interface Grant {
  id: string;
  grantee: string;
  expiresAt: string | null;
  createdAt: string | null;
  createdBy: string | null;
  /** The list holds revoked and expired shares too (for the record): these are no longer in force. */
  revokedAt: string | null;
}

export interface ShareLink {
  id: string;
  anonymized: boolean;
  expiresAt: string | null;
  createdAt: string | null;
  createdBy: string | null;
  revokedAt: string | null;
}

/** Whether a grant or link still gives access at `now`: not revoked, not expired. */
export function shareActive(
  s: { revokedAt: string | null; expiresAt: string | null },
  now: Date = new Date(),
): boolean {
  if (s.revokedAt) return false;
  return s.expiresAt === null || new Date(s.expiresAt).getTime() > now.getTime();
}

/** A link just created: the only time its token (and so its URL) is seen. */
export interface CreatedLink {
  id: string;
  url: string;
  token: string;
  expiresAt: string | null;
}

export interface Shares {
  grants: Grant[];
  links: ShareLink[];
}

/** What a share link opens: the recording as the link shows it and where its playlist is. */
export interface LinkedRecording extends RecordingSummary {
  playlist: string | null;
  storyboard: Storyboard | null;
  flags: QualityFlag[];
}

/** The library's search keys (all optional; `from`/`to` are ISO dates or date-times). */
export interface RecordingQuery {
  patient?: string;
  procedure?: string;
  room?: string;
  surgeon?: string;
  from?: string;
  to?: string;
  study?: string;
  status?: string;
  limit?: number;
  offset?: number;
}

export class ArchiveFormatError extends Error {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`The server's answer is not understood: ${path} ${problem}`);
    this.name = 'ArchiveFormatError';
  }
}

type Obj = Record<string, unknown>;

function object(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ArchiveFormatError(path, 'is not an object');
  return v as Obj;
}

function array(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw new ArchiveFormatError(path, 'is not an array');
  return v;
}

function str(o: Obj, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new ArchiveFormatError(`${path}.${key}`, 'is not a string');
  return v;
}

/** Absent and null are the same: the contract leaves fields out for viewers who may not see them. */
function optStr(o: Obj, key: string, path: string): string | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new ArchiveFormatError(`${path}.${key}`, 'is not a string');
  return v;
}

/** Ids may come as JSON numbers (database keys) or strings: the pages only ever use them in URLs. */
function id(o: Obj, key: string, path: string): string {
  const v = o[key];
  if (typeof v === 'string' && v) return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  throw new ArchiveFormatError(`${path}.${key}`, 'is not an id');
}

function optId(o: Obj, key: string, path: string): string | null {
  return o[key] === undefined || o[key] === null ? null : id(o, key, path);
}

function optNum(o: Obj, key: string, path: string): number | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ArchiveFormatError(`${path}.${key}`, 'is not a number');
  return v;
}

function num(o: Obj, key: string, path: string): number {
  const v = optNum(o, key, path);
  if (v === null) throw new ArchiveFormatError(`${path}.${key}`, 'is missing');
  return v;
}

function bool(o: Obj, key: string, path: string, fallback?: boolean): boolean {
  const v = o[key];
  if ((v === undefined || v === null) && fallback !== undefined) return fallback;
  if (typeof v !== 'boolean') throw new ArchiveFormatError(`${path}.${key}`, 'is not true or false');
  return v;
}

export function parseSummary(v: unknown, path = 'recording'): RecordingSummary {
  const o = object(v, path);
  return {
    id: id(o, 'id', path),
    title: optStr(o, 'title', path),
    hospital: optStr(o, 'hospital', path),
    operatingRoom: optStr(o, 'operatingRoom', path),
    operator: optStr(o, 'operator', path),
    owner: optStr(o, 'owner', path),
    procedure: optStr(o, 'procedure', path),
    accession: optStr(o, 'accession', path),
    studyUid: optStr(o, 'studyUid', path),
    patientName: optStr(o, 'patientName', path),
    patientId: optStr(o, 'patientId', path),
    startedAt: optStr(o, 'startedAt', path),
    durationSeconds: optNum(o, 'durationSeconds', path),
    status: str(o, 'status', path),
    statusMessage: optStr(o, 'statusMessage', path),
    anonymized: bool(o, 'anonymized', path, false),
    derivedFrom: optId(o, 'derivedFrom', path),
    thumbnail: optStr(o, 'thumbnail', path),
  };
}

export function parseRendition(v: unknown, path: string): Rendition {
  const o = object(v, path);
  return {
    name: str(o, 'name', path),
    kind: str(o, 'kind', path),
    codec: optStr(o, 'codec', path),
    profile: optStr(o, 'profile', path),
    pixelFormat: optStr(o, 'pixelFormat', path),
    width: optNum(o, 'width', path),
    height: optNum(o, 'height', path),
    bitrate: optNum(o, 'bitrate', path),
    psnr: optNum(o, 'psnr', path),
    ssim: optNum(o, 'ssim', path),
    copied: bool(o, 'copied', path, false),
  };
}

export function parseFlag(v: unknown, path: string): QualityFlag {
  const o = object(v, path);
  const start = num(o, 'start', path);
  const end = num(o, 'end', path);
  if (start < 0 || end < start) throw new ArchiveFormatError(path, `has start ${start} and end ${end}`);
  return { kind: str(o, 'kind', path), start, end, detail: optStr(o, 'detail', path) };
}

export function parseJob(v: unknown, path: string): Job {
  const o = object(v, path);
  const progress = optNum(o, 'progress', path);
  return {
    id: id(o, 'id', path),
    kind: str(o, 'kind', path),
    state: str(o, 'state', path),
    progress: progress === null ? null : Math.min(1, Math.max(0, progress)),
    stage: optStr(o, 'stage', path),
    message: optStr(o, 'message', path),
    attempts: optNum(o, 'attempts', path) ?? 0,
    createdAt: optStr(o, 'createdAt', path),
    finishedAt: optStr(o, 'finishedAt', path),
  };
}

export function parseStoryboard(v: unknown, path = 'storyboard'): Storyboard | null {
  if (v === undefined || v === null) return null;
  const o = object(v, path);
  const s: Storyboard = {
    intervalSeconds: num(o, 'intervalSeconds', path),
    columns: num(o, 'columns', path),
    rows: num(o, 'rows', path),
    tileWidth: num(o, 'tileWidth', path),
    tileHeight: num(o, 'tileHeight', path),
    count: num(o, 'count', path),
    image: str(o, 'image', path),
  };
  for (const key of ['columns', 'rows', 'tileWidth', 'tileHeight', 'count'] as const) {
    if (!Number.isInteger(s[key]) || s[key] < 0) throw new ArchiveFormatError(`${path}.${key}`, 'is not a count');
  }
  if (!(s.intervalSeconds > 0)) throw new ArchiveFormatError(`${path}.intervalSeconds`, 'is not positive');
  if (s.count > s.columns * s.rows) {
    throw new ArchiveFormatError(path, `has ${s.count} tiles in a ${s.columns}x${s.rows} grid`);
  }
  return s;
}

export function parseDetail(v: unknown): RecordingDetail {
  const o = object(v, 'recording');
  const may = o.may === undefined || o.may === null ? {} : object(o.may, 'recording.may');
  return {
    ...parseSummary(o),
    renditions: array(o.renditions ?? [], 'recording.renditions').map((r, i) =>
      parseRendition(r, `recording.renditions[${i}]`),
    ),
    flags: array(o.flags ?? [], 'recording.flags').map((f, i) => parseFlag(f, `recording.flags[${i}]`)),
    jobs: array(o.jobs ?? [], 'recording.jobs').map((j, i) => parseJob(j, `recording.jobs[${i}]`)),
    playlist: optStr(o, 'playlist', 'recording'),
    storyboard: parseStoryboard(o.storyboard, 'recording.storyboard'),
    may: {
      share: bool(may, 'share', 'recording.may', false),
      anonymize: bool(may, 'anonymize', 'recording.may', false),
      sendToPacs: bool(may, 'sendToPacs', 'recording.may', false),
    },
    retention: parseRetention(o.retention, 'recording.retention'),
  };
}

export function parseLinked(v: unknown): LinkedRecording {
  const o = object(v, 'link');
  return {
    ...parseSummary(o, 'link'),
    playlist: optStr(o, 'playlist', 'link'),
    storyboard: parseStoryboard(o.storyboard, 'link.storyboard'),
    flags: array(o.flags ?? [], 'link.flags').map((f, i) => parseFlag(f, `link.flags[${i}]`)),
  };
}

export function parseShares(v: unknown): Shares {
  const o = object(v, 'shares');
  return {
    grants: array(o.grants ?? [], 'shares.grants').map((g, i) => {
      const p = `shares.grants[${i}]`;
      const x = object(g, p);
      return {
        id: id(x, 'id', p),
        grantee: str(x, 'grantee', p),
        expiresAt: optStr(x, 'expiresAt', p),
        createdAt: optStr(x, 'createdAt', p),
        createdBy: optStr(x, 'grantedBy', p) ?? optStr(x, 'createdBy', p),
        revokedAt: optStr(x, 'revokedAt', p),
      };
    }),
    links: array(o.links ?? [], 'shares.links').map((l, i) => {
      const p = `shares.links[${i}]`;
      const x = object(l, p);
      return {
        id: id(x, 'id', p),
        anonymized: bool(x, 'anonymized', p, false),
        expiresAt: optStr(x, 'expiresAt', p),
        createdAt: optStr(x, 'createdAt', p),
        createdBy: optStr(x, 'createdBy', p),
        revokedAt: optStr(x, 'revokedAt', p),
      };
    }),
  };
}

export function parseCreatedLink(v: unknown): CreatedLink {
  const o = object(v, 'link');
  return {
    id: id(o, 'id', 'link'),
    url: str(o, 'url', 'link'),
    token: str(o, 'token', 'link'),
    expiresAt: optStr(o, 'expiresAt', 'link'),
  };
}

/**
 * The `from`/`to` of a search for the days picked in date inputs (`YYYY-MM-DD`, the user's local days): the server
 * bounds start times by instants, `to` exclusive, so `to` is the local midnight after the last day picked.
 */
export function dayRange(from: string, to: string): { from?: string; to?: string } {
  const day = (text: string, plus: number): string | undefined => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
    if (!m) return undefined;
    return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plus).toISOString();
  };
  const range: { from?: string; to?: string } = {};
  const f = day(from, 0);
  const t = day(to, 1);
  if (f) range.from = f;
  if (t) range.to = t;
  return range;
}

/** The query string of a library search: empty keys are left out, so the server sees only what was asked. */
export function recordingQueryString(q: RecordingQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(q) as [keyof RecordingQuery, string | number | undefined][]) {
    if (value === undefined) continue;
    const text = String(value).trim();
    if (text) params.set(key, text);
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

const enc = encodeURIComponent;

/** The archive routes of the server, through the app's {@link ApiClient} (cookie session, 401 handling). */
export class ArchiveApi {
  constructor(readonly client: ApiClient) {}

  async recordings(q: RecordingQuery, signal?: AbortSignal): Promise<RecordingSummary[]> {
    const body = object(
      await this.client.json<unknown>(`/api/archive/recordings${recordingQueryString(q)}`, { signal }),
      'answer',
    );
    return array(body.recordings, 'answer.recordings').map((r, i) => parseSummary(r, `recordings[${i}]`));
  }

  async recording(recordingId: string, signal?: AbortSignal): Promise<RecordingDetail> {
    return parseDetail(await this.client.json<unknown>(`/api/archive/recordings/${enc(recordingId)}`, { signal }));
  }

  async shares(recordingId: string): Promise<Shares> {
    return parseShares(await this.client.json<unknown>(`/api/archive/recordings/${enc(recordingId)}/shares`));
  }

  async grant(recordingId: string, grantee: string, expiresAt: string): Promise<void> {
    await this.client.send('POST', `/api/archive/recordings/${enc(recordingId)}/grants`, { grantee, expiresAt });
  }

  async revokeGrant(grantId: string): Promise<void> {
    await this.client.send('DELETE', `/api/archive/grants/${enc(grantId)}`);
  }

  async createLink(recordingId: string, anonymized: boolean, expiresAt: string): Promise<CreatedLink> {
    return parseCreatedLink(
      await this.client.send('POST', `/api/archive/recordings/${enc(recordingId)}/links`, { anonymized, expiresAt }),
    );
  }

  async revokeLink(linkId: string): Promise<void> {
    await this.client.send('DELETE', `/api/archive/links/${enc(linkId)}`);
  }

  async anonymize(recordingId: string): Promise<{ recording: RecordingSummary; job: string }> {
    const o = object(
      await this.client.send<unknown>('POST', `/api/archive/recordings/${enc(recordingId)}/anonymize`),
      'answer',
    );
    return { recording: parseSummary(o.recording, 'answer.recording'), job: id(o, 'job', 'answer') };
  }

  async link(token: string): Promise<LinkedRecording> {
    return parseLinked(await this.client.json<unknown>(`/api/archive/links/${enc(token)}`));
  }
}
