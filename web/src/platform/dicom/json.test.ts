import { describe, expect, it } from 'vitest';
import { formatDate, formatPersonName, formatTime, getNumber, getString } from './json';

describe('formatPersonName', () => {
  it.each([
    ['DOE^JANE', 'DOE, JANE'],
    ['DOE^JANE^M^DR^JR', 'DOE, JANE M DR JR'],
    ['DOE', 'DOE'],
    ['^JANE', 'JANE'],
    ['DOE^JANE=ドウ^ジェーン', 'DOE, JANE'],
    ['ANONYMIZED', 'ANONYMIZED'],
    ['', ''],
  ])('%s -> %s', (pn, shown) => expect(formatPersonName(pn)).toBe(shown));
});

describe('dates, times and values', () => {
  it('formats DA and TM', () => {
    expect(formatDate('20260101')).toBe('2026-01-01');
    expect(formatTime('143015.123')).toBe('14:30:15');
    expect(formatTime('1430')).toBe('14:30');
  });
  it('reads PN, strings and numbers of PS3.18 JSON', () => {
    const ds = {
      '00100010': { vr: 'PN', Value: [{ Alphabetic: 'DOE^JANE' }] },
      '00201041': { vr: 'DS', Value: ['12.5'] },
      '00200011': { vr: 'IS', Value: [3] },
    };
    expect(getString(ds, '00100010')).toBe('DOE^JANE');
    expect(getNumber(ds, '00201041')).toBe(12.5);
    expect(getString(ds, '00200011')).toBe('3');
    expect(getNumber(ds, '00280008')).toBeUndefined();
  });
});
