import { describe, expect, it } from 'vitest';
import { parseRetention, parseRun, retentionDay, retentionLines, RetentionFormatError, type Hold } from './retention';
import { parseDetail } from './archiveApi';

const hold: Hold = {
  id: 'h1',
  scope: 'recording',
  hospital: null,
  target: 'r1',
  reason: 'court order 17/26',
  placedBy: 'admin',
  placedAt: '2026-12-01T10:00:00Z',
  active: true,
  liftedAt: null,
  liftedBy: null,
  liftReason: null,
};

describe('retention answers', () => {
  it('reads a recording retention with its holds, and none for viewers who get none', () => {
    const r = parseRetention({
      until: '2046-12-02T00:00:00Z',
      explanation: '20 years after the last visit',
      ended: false,
      deletable: false,
      holds: [hold],
    });
    expect(r?.until).toBe('2046-12-02T00:00:00Z');
    expect(r?.holds[0].reason).toBe('court order 17/26');
    expect(parseRetention(undefined)).toBeNull();
    expect(parseDetail({ id: 'x', title: 't', status: 'ready', anonymized: false }).retention).toBeNull();
  });

  it('names the field a broken answer got wrong', () => {
    expect(() => parseRetention({ explanation: 'x', ended: 'no', deletable: false })).toThrow(RetentionFormatError);
    expect(() =>
      parseRetention({ explanation: 'x', ended: false, deletable: false, holds: [{ ...hold, scope: 'city' }] }),
    ).toThrow(/retention.holds\[0\].scope/);
    expect(() => parseRun({ id: 1, startedAt: 's', deleteExpired: false, examined: '3' })).toThrow(/run.examined/);
  });

  it('shows a hold badge only while a hold stands, and the day the retention ends', () => {
    const standing = retentionLines({
      until: '2046-12-02T00:00:00Z',
      explanation: 'why',
      ended: false,
      deletable: false,
      holds: [hold],
    });
    expect(standing.badge).toBe('legal hold');
    expect(standing.holds).toBe('court order 17/26 (admin, 2026-12-01)');
    expect(standing.until).toBe('Kept until 2046-12-02');
    const lifted = retentionLines({
      until: '2021-01-11T00:00:00Z',
      explanation: 'why',
      ended: true,
      deletable: true,
      holds: [{ ...hold, active: false }],
    });
    expect(lifted.badge).toBeNull();
    expect(lifted.until).toBe('Retention ended 2021-01-11');
    expect(retentionDay(null)).toBe('no end');
  });
});
