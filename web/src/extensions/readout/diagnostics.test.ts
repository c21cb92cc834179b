import { describe, expect, it } from 'vitest';
import { diagnosticsRequested, ViewTrace } from './diagnostics';

describe('diagnostics', () => {
  it('is installed only when the page flag is set, and never fails where storage is denied', () => {
    expect(diagnosticsRequested({ getItem: (k) => (k === 'medsync.diagnostics' ? '1' : null) })).toBe(true);
    expect(diagnosticsRequested({ getItem: () => null })).toBe(false);
    expect(diagnosticsRequested({ getItem: () => '0' })).toBe(false);
    expect(
      diagnosticsRequested({
        getItem: () => {
          throw new Error('SecurityError');
        },
      }),
    ).toBe(false);
    expect(diagnosticsRequested(undefined)).toBe(false);
  });

  it('traces VIEWs: a re-applied one once, the render stamped on the latest entries showing the image drawn', () => {
    const t = new ViewTrace();
    t.applied(1, 4, 10);
    t.applied(1, 4, 11);
    t.applied(2, 5, 12);
    t.rendered(5, 15);
    t.applied(3, 4, 13);
    t.rendered(4, 20);
    expect(t.views).toEqual([
      { seq: 1, imageIndex: 4, appliedAt: 10 },
      { seq: 2, imageIndex: 5, appliedAt: 12, renderedAt: 15 },
      { seq: 3, imageIndex: 4, appliedAt: 13, renderedAt: 20 },
    ]);
    for (let i = 0; i < 3000; i++) t.sent(10 + i, 0, i);
    expect(t.views).toHaveLength(2048);
    expect(t.views[0].seq).toBe(10 + 3000 - 2048);
  });
});
