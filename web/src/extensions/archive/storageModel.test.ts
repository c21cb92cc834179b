import { describe, expect, it } from 'vitest';
import { niceStep, parseStorageAnswer, plotLayout } from './storageModel';
import { formatBytes } from './bytes';

describe('storage model page helpers', () => {
  it('prints decimal units up to PB, as the paper does', () => {
    expect(formatBytes(189.8e9)).toBe('189.8 GB');
    expect(formatBytes(2512.1e15)).toBe('2512.1 PB');
    expect(formatBytes(512)).toBe('512 B');
  });

  it('chooses round axis steps', () => {
    expect(niceStep(2512, 5)).toBe(1000);
    expect(niceStep(57, 6)).toBe(10);
    expect(niceStep(0)).toBe(1);
  });

  it('draws the curve in the unit of its largest value, with the retention marked', () => {
    const curve = [
      { years: 0, bytes: 0 },
      { years: 10, bytes: 500e15 },
      { years: 20, bytes: 1000e15 },
      { years: 20.5, bytes: 1025e15 },
      { years: 30, bytes: 1025e15 },
    ];
    const l = plotLayout(curve, 20.5);
    expect(l.unit).toBe('PB');
    expect(l.yTicks.map((t) => t.value)).toEqual([0, 500, 1000, 1500]);
    const points = l.points.split(' ');
    expect(points).toHaveLength(5);
    // Linear, then flat after the retention: the last two points share a y, the first is at the bottom.
    expect(points[3].split(',')[1]).toBe(points[4].split(',')[1]);
    expect(Number(points[0].split(',')[1])).toBe(l.height - l.bottom);
    expect(l.retentionX).toBeCloseTo(l.left + (20.5 / 30) * (l.width - l.left - l.right), 6);
    expect(plotLayout(curve, 40).retentionX).toBeNull();
  });

  it('refuses an answer it could not draw', () => {
    expect(() => parseStorageAnswer(null)).toThrow(/not an object/);
    expect(() =>
      parseStorageAnswer({ inputs: {}, results: { plateauBytes: 'x' }, curve: [], presets: [], paperCheck: [] }),
    ).toThrow(/results.plateauBytes/);
  });
});
