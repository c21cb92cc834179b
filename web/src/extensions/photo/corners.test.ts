import { describe, expect, it } from 'vitest';
import { initialCorners, isClockwiseConvex, nearestCorner, toDisplay, toPhoto, type Frame } from './corners';

const frame: Frame = { left: 100, top: 50, width: 400, height: 300, photoWidth: 4000, photoHeight: 3000 };

describe('corner geometry', () => {
  it('maps the page to photo pixels and back', () => {
    expect(toPhoto(frame, 300, 200)).toEqual([2000, 1500]);
    expect(toDisplay(frame, [2000, 1500])).toEqual([200, 150]);
    expect(toPhoto(frame, 100, 50)).toEqual([0, 0]);
  });

  it('keeps a dragged corner inside the photo', () => {
    expect(toPhoto(frame, 0, 0)).toEqual([0, 0]);
    expect(toPhoto(frame, 10_000, 10_000)).toEqual([4000, 3000]);
  });

  it('starts from the server quad, else from an inset rectangle', () => {
    const quad: [number, number][] = [
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
    ];
    expect(initialCorners(quad, 10, 10)).toEqual(quad);
    expect(initialCorners(null, 100, 200)).toEqual([
      [15, 30],
      [85, 30],
      [85, 170],
      [15, 170],
    ]);
  });

  it('takes the nearest handle within reach only', () => {
    const c: [number, number][] = [
      [0, 0],
      [100, 0],
      [100, 100],
      [0, 100],
    ];
    expect(nearestCorner(c, [95, 4], 20)).toBe(1);
    expect(nearestCorner(c, [50, 50], 20)).toBe(-1);
  });

  it('accepts TL, TR, BR, BL and refuses crossed or counter-clockwise corners', () => {
    expect(isClockwiseConvex(initialCorners(null, 100, 100))).toBe(true);
    expect(
      isClockwiseConvex([
        [0, 0],
        [0, 100],
        [100, 100],
        [100, 0],
      ]),
    ).toBe(false);
    expect(
      isClockwiseConvex([
        [0, 0],
        [100, 100],
        [100, 0],
        [0, 100],
      ]),
    ).toBe(false);
  });
});
