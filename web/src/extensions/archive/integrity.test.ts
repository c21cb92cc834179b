import { describe, expect, it } from 'vitest';
import { ArchiveFormatError } from './archiveApi';
import { integrityBanner, parseIntegrity } from './integrity';
import { formatBytes } from './bytes';

const BLOB = 'ab'.repeat(32);

const DEGRADED = {
  status: 'degraded',
  damaged: 0,
  missing: 0,
  lost: 2,
  locations: ['primary: directory /srv/objects', 'copy: s3://medsync-copy at http://10.0.0.5:9000'],
  coverage: { blobs: 12, neverChecked: 0, oldestCheck: '2026-12-06T08:00:00Z' },
  copies: [
    {
      blob: BLOB,
      location: 'primary',
      state: 'lost',
      checkedAt: '2026-12-06T09:00:00Z',
      detail: 'missing: absent; no copy verifies: the object is LOST',
    },
    {
      blob: BLOB,
      location: 'copy',
      state: 'lost',
      checkedAt: '2026-12-06T09:00:00Z',
      detail: 'damaged: reads as sha256 00',
    },
    { blob: 'cd'.repeat(32), location: 'copy', state: 'repaired', checkedAt: '2026-12-06T09:00:00Z', detail: null },
  ],
  runs: [
    {
      id: 7,
      jobId: 31,
      node: 'node-b:4711',
      startedAt: '2026-12-06T09:00:00Z',
      finishedAt: '2026-12-06T09:00:02Z',
      checked: 12,
      damaged: 1,
      missing: 2,
      repaired: 1,
      lost: 2,
      bytesRead: 3_500_000_000,
    },
    {
      id: 6,
      jobId: null,
      node: 'cli:ops',
      startedAt: '2026-12-05T09:00:00Z',
      finishedAt: null,
      checked: 3,
      damaged: 0,
      missing: 0,
      repaired: 0,
      lost: 0,
      bytesRead: 512,
    },
  ],
};

describe('integrity', () => {
  it('parses the answer and names the field that is wrong', () => {
    const i = parseIntegrity(DEGRADED);
    expect(i.lost).toBe(2);
    expect(i.runs[0].id).toBe('7');
    expect(i.runs[1].jobId).toBeNull();
    expect(() => parseIntegrity({ ...DEGRADED, lost: -1 })).toThrow(
      new ArchiveFormatError('answer.lost', 'is not a count'),
    );
    expect(() => parseIntegrity({ ...DEGRADED, copies: [{ ...DEGRADED.copies[0], blob: 5 }] })).toThrow(
      'copies[0].blob is not a string',
    );
    expect(() => parseIntegrity({ ...DEGRADED, runs: 'none' })).toThrow('answer.runs is not an array');
  });

  it('says loudly that an object is lost, and quietly that every copy verifies', () => {
    const degraded = integrityBanner(parseIntegrity(DEGRADED));
    expect(degraded.ok).toBe(false);
    expect(degraded.text).toBe(
      'Integrity degraded: 0 damaged, 0 missing, 2 lost copies.' +
        ' A lost object has no good copy left: restore it from a backup.',
    );
    const ok = integrityBanner(parseIntegrity({ ...DEGRADED, status: 'ok', lost: 0, copies: [], runs: [] }));
    expect(ok).toEqual({ ok: true, text: 'Every checked copy verifies.' });
  });

  it('formats bytes in decimal units', () => {
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1_000_000_000_000_000)).toBe('1.0 PB');
  });
});
