import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError } from '../../platform/api/client';
import {
  ArchiveApi,
  ArchiveFormatError,
  dayRange,
  parseDetail,
  parseShares,
  parseStoryboard,
  recordingQueryString,
  shareActive,
} from './archiveApi';

const calls: { url: string; init?: RequestInit }[] = [];

function answer(status: number, body: unknown): void {
  calls.length = 0;
  vi.stubGlobal('fetch', (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    return Promise.resolve(
      new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }),
    );
  });
}

const SUMMARY = {
  id: 42,
  title: 'Cholecystectomy',
  hospital: 'demo-hospital',
  operatingRoom: 'OR 1',
  operator: 'attending',
  owner: 'attending',
  procedure: 'Laparoscopic cholecystectomy',
  accession: 'A1',
  studyUid: '1.2.3',
  patientName: 'Doe^Jane',
  patientId: 'P1',
  startedAt: '2026-12-01T08:00:00Z',
  durationSeconds: 12.5,
  status: 'ready',
  statusMessage: null,
  anonymized: false,
  derivedFrom: null,
  thumbnail: '/api/archive/recordings/42/renditions/storyboard/storyboard.jpg',
};

const DETAIL = {
  ...SUMMARY,
  renditions: [
    {
      name: 'hls-360',
      kind: 'hls',
      codec: 'h264',
      profile: 'High',
      pixelFormat: 'yuv420p',
      width: 640,
      height: 360,
      bitrate: 800000,
      psnr: 41.2,
      ssim: 0.981,
      copied: false,
    },
    { name: 'master', kind: 'master', codec: 'h264', width: 1920, height: 1080, psnr: null, ssim: null, copied: true },
  ],
  flags: [{ kind: 'black', start: 0, end: 1.5, detail: null }],
  jobs: [
    {
      id: 7,
      kind: 'transcode',
      state: 'running',
      progress: 1.7,
      stage: 'hls-360',
      message: null,
      attempts: 1,
      createdAt: '2026-12-01T08:10:00Z',
      finishedAt: null,
    },
  ],
  playlist: '/api/archive/recordings/42/playlist.m3u8',
  storyboard: { intervalSeconds: 2, columns: 5, rows: 2, tileWidth: 160, tileHeight: 90, count: 7, image: '/sb.jpg' },
  may: { share: true, anonymize: true, sendToPacs: false },
};

describe('ArchiveApi', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('asks for only the search keys given and parses the summaries', async () => {
    answer(200, { recordings: [SUMMARY] });
    const list = await new ArchiveApi(new ApiClient()).recordings({
      patient: ' Doe ',
      room: '',
      surgeon: 'attending',
      limit: 50,
    });
    expect(calls[0].url).toBe('/api/archive/recordings?patient=Doe&surgeon=attending&limit=50');
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: '42', patientName: 'Doe^Jane', durationSeconds: 12.5, status: 'ready' });
  });

  it('takes a student summary without patient fields as nulls', async () => {
    const { patientName: _n, patientId: _i, accession: _a, studyUid: _s, ...student } = SUMMARY;
    answer(200, { recordings: [{ ...student, anonymized: true }] });
    const [r] = await new ArchiveApi(new ApiClient()).recordings({});
    expect(r).toMatchObject({ patientName: null, patientId: null, studyUid: null, anonymized: true });
  });

  it('parses a detail: renditions, flags, jobs (progress clamped), storyboard, rights', async () => {
    answer(200, DETAIL);
    const d = await new ArchiveApi(new ApiClient()).recording('42');
    expect(calls[0].url).toBe('/api/archive/recordings/42');
    expect(d.renditions.map((r) => r.name)).toEqual(['hls-360', 'master']);
    expect(d.renditions[1]).toMatchObject({ copied: true, profile: null, bitrate: null });
    expect(d.jobs[0]).toMatchObject({ id: '7', progress: 1, state: 'running' });
    expect(d.storyboard).toMatchObject({ count: 7, image: '/sb.jpg' });
    expect(d.may).toEqual({ share: true, anonymize: true, sendToPacs: false });
  });

  it('a 404 is an ApiError (a recording the viewer may not know), not a parse error', async () => {
    answer(404, { error: 'not-found', message: 'No such recording' });
    const e = await new ArchiveApi(new ApiClient()).recording('9').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).status).toBe(404);
  });

  it('a 400 for a search key the role may not use keeps the server message', async () => {
    answer(400, { error: 'bad-request', message: 'students may not search by patient' });
    const e = await new ArchiveApi(new ApiClient()).recordings({ patient: 'x' }).catch((x: unknown) => x);
    expect((e as ApiError).message).toBe('students may not search by patient');
  });

  it('creates a link with its expiry and returns the token once', async () => {
    answer(201, { id: 3, url: '/#/archive/link/tok', token: 'tok', expiresAt: '2026-12-13T00:00:00Z' });
    const link = await new ArchiveApi(new ApiClient()).createLink('42', true, '2026-12-13T00:00:00Z');
    expect(calls[0].url).toBe('/api/archive/recordings/42/links');
    expect(JSON.parse(calls[0].init!.body as string)).toEqual({ anonymized: true, expiresAt: '2026-12-13T00:00:00Z' });
    expect(link).toEqual({ id: '3', url: '/#/archive/link/tok', token: 'tok', expiresAt: '2026-12-13T00:00:00Z' });
  });

  it('parses the shares and the anonymize answer', async () => {
    answer(200, {
      grants: [{ id: 1, grantee: 'resident', expiresAt: '2027-01-01T00:00:00Z' }],
      links: [{ id: 2, anonymized: true }],
    });
    const shares = await new ArchiveApi(new ApiClient()).shares('42');
    expect(shares.grants[0]).toMatchObject({ id: '1', grantee: 'resident' });
    expect(shares.links[0]).toMatchObject({ id: '2', anonymized: true, expiresAt: null });
    answer(200, {
      recording: { ...SUMMARY, id: 43, anonymized: true, derivedFrom: 42, status: 'processing' },
      job: 99,
    });
    const a = await new ArchiveApi(new ApiClient()).anonymize('42');
    expect(a).toMatchObject({ job: '99', recording: { id: '43', derivedFrom: '42', anonymized: true } });
  });
});

describe('parsing garbage', () => {
  it.each([
    [{ ...DETAIL, status: 3 }, 'recording.status'],
    [{ ...DETAIL, id: {} }, 'recording.id'],
    [{ ...DETAIL, flags: [{ kind: 'black', start: 5, end: 2 }] }, 'recording.flags[0]'],
    [{ ...DETAIL, flags: {} }, 'recording.flags'],
    [{ ...DETAIL, renditions: [{ kind: 'hls' }] }, 'recording.renditions[0].name'],
    [{ ...DETAIL, durationSeconds: 'long' }, 'recording.durationSeconds'],
    [{ ...DETAIL, jobs: [null] }, 'recording.jobs[0]'],
    ['[]', 'recording'],
  ])('names the field that is wrong', (body, path) => {
    let e: unknown;
    try {
      parseDetail(body);
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(ArchiveFormatError);
    expect((e as ArchiveFormatError).path).toBe(path);
  });

  it('refuses a storyboard whose count does not fit its grid, or with no interval', () => {
    const sb = DETAIL.storyboard;
    expect(() => parseStoryboard({ ...sb, count: 11 })).toThrow(/11 tiles in a 5x2 grid/);
    expect(() => parseStoryboard({ ...sb, intervalSeconds: 0 })).toThrow(/intervalSeconds is not positive/);
    expect(() => parseStoryboard({ ...sb, columns: 2.5 })).toThrow(/columns is not a count/);
    expect(parseStoryboard(null)).toBeNull();
  });

  it('builds no query string for an empty search', () => {
    expect(recordingQueryString({})).toBe('');
    expect(recordingQueryString({ from: '2026-12-01', to: '2026-12-06' })).toBe('?from=2026-12-01&to=2026-12-06');
  });
});

describe('dayRange', () => {
  it('bounds the local days picked: from their first instant to the midnight after the last (exclusive)', () => {
    expect(dayRange('2026-12-01', '2026-12-06')).toEqual({
      from: new Date(2026, 11, 1).toISOString(),
      to: new Date(2026, 11, 7).toISOString(),
    });
    expect(dayRange('2026-12-31', '2026-12-31').to).toBe(new Date(2027, 0, 1).toISOString());
  });

  it('leaves out a bound not given or not a date', () => {
    expect(dayRange('', '')).toEqual({});
    expect(dayRange('yesterday', '2026-12-06')).toEqual({ to: new Date(2026, 11, 7).toISOString() });
  });
});

describe('shares in force', () => {
  it('tells active from revoked and expired', () => {
    const now = new Date('2026-12-06T12:00:00Z');
    const shares = parseShares({
      grants: [
        { id: 'g1', grantee: 'resident', grantedBy: 'attending', expiresAt: '2026-12-07T00:00:00Z' },
        { id: 'g2', grantee: 'student', expiresAt: '2026-12-07T00:00:00Z', revokedAt: '2026-12-06T10:00:00Z' },
        { id: 'g3', grantee: 'observer', expiresAt: '2026-12-05T00:00:00Z' },
      ],
      links: [{ id: 'l1', anonymized: true, expiresAt: '2026-12-08T00:00:00Z', createdBy: 'attending' }],
    });
    expect(shares.grants.map((g) => shareActive(g, now))).toEqual([true, false, false]);
    expect(shares.grants[0].createdBy).toBe('attending');
    expect(shareActive(shares.links[0], now)).toBe(true);
  });
});
