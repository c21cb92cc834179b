import { describe, expect, it } from 'vitest';
import { formatClock, layoutFlags, timeAt } from './timeline';

const flag = (kind: string, start: number, end: number, detail: string | null = null) => ({ kind, start, end, detail });

describe('layoutFlags', () => {
  it('places a stretch at its share of the bar, in the lane of its kind', () => {
    const { segments, lanes } = layoutFlags([flag('frozen', 30, 45), flag('black', 0, 6)], 60, 600);
    expect(lanes).toEqual(['black', 'frozen']);
    const frozen = segments.find((s) => s.kind === 'frozen')!;
    expect(frozen.left).toBeCloseTo(0.5);
    expect(frozen.width).toBeCloseTo(0.25);
    expect(frozen.lane).toBe(1);
    expect(segments.find((s) => s.kind === 'black')).toMatchObject({ left: 0, lane: 0, start: 0, end: 6 });
  });

  it('widens a stretch shorter than a pixel to the minimum, keeping it inside the bar', () => {
    const { segments } = layoutFlags([flag('black', 59.99, 60)], 60, 600, 3);
    expect(segments[0].width).toBeCloseTo(3 / 600);
    expect(segments[0].left + segments[0].width).toBeLessThanOrEqual(1 + 1e-12);
    expect(segments[0].left).toBeCloseTo(1 - 3 / 600);
  });

  it('merges stretches of one kind that touch once drawn, joining their details', () => {
    const { segments } = layoutFlags(
      [flag('blurred', 10, 10.01, 'a'), flag('blurred', 10.02, 10.03, 'b'), flag('blurred', 40, 41, 'c')],
      60,
      600,
    );
    expect(segments).toHaveLength(2);
    expect(segments[0]).toMatchObject({ start: 10, end: 10.03, detail: 'a; b' });
    expect(segments[1]).toMatchObject({ start: 40, end: 41, detail: 'c' });
  });

  it('does not merge different kinds, and puts unknown kinds in lanes after the known ones', () => {
    const { segments, lanes } = layoutFlags([flag('glare', 1, 2), flag('black', 1, 2), flag('frozen', 1, 2)], 10, 100);
    expect(lanes).toEqual(['black', 'frozen', 'glare']);
    expect(segments.map((s) => s.lane)).toEqual([0, 1, 2]);
  });

  it('clips stretches past the end and drops those outside the recording', () => {
    const { segments } = layoutFlags([flag('black', 55, 70), flag('frozen', 61, 65)], 60, 600);
    expect(segments).toHaveLength(1);
    expect(segments[0]).toMatchObject({ kind: 'black', end: 60 });
    expect(segments[0].left + segments[0].width).toBeCloseTo(1);
  });

  it('draws nothing before the duration is known', () => {
    expect(layoutFlags([flag('black', 0, 1)], 0, 600).segments).toEqual([]);
    expect(layoutFlags([flag('black', 0, 1)], 10, 0).segments).toEqual([]);
  });
});

describe('timeAt and formatClock', () => {
  it('maps pixels to seconds, clamped', () => {
    expect(timeAt(150, 600, 60)).toBeCloseTo(15);
    expect(timeAt(-5, 600, 60)).toBe(0);
    expect(timeAt(700, 600, 60)).toBe(60);
  });

  it('formats minutes and hours', () => {
    expect(formatClock(0)).toBe('0:00');
    expect(formatClock(61.9)).toBe('1:01');
    expect(formatClock(3723)).toBe('1:02:03');
  });
});
