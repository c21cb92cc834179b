import { describe, expect, it } from 'vitest';
import type { Storyboard } from './archiveApi';
import { tileAt, tileStyle } from './storyboard';

// 23 tiles, one every 5 s, 160x90, 5 columns: rows 0-3 full, row 4 has 3.
const sb: Storyboard = {
  intervalSeconds: 5,
  columns: 5,
  rows: 5,
  tileWidth: 160,
  tileHeight: 90,
  count: 23,
  image: '/s.jpg',
};

describe('tileAt', () => {
  it('takes tile i for times in [i*interval, (i+1)*interval), left to right then down', () => {
    expect(tileAt(sb, 0)).toMatchObject({ index: 0, x: 0, y: 0, time: 0 });
    expect(tileAt(sb, 4.99)).toMatchObject({ index: 0 });
    expect(tileAt(sb, 5)).toMatchObject({ index: 1, x: 160, y: 0 });
    expect(tileAt(sb, 27)).toMatchObject({ index: 5, x: 0, y: 90, time: 25 });
    expect(tileAt(sb, 64)).toMatchObject({ index: 12, x: 320, y: 180 });
  });

  it('is not thrown off by floating-point times on a tile boundary', () => {
    expect(tileAt({ ...sb, intervalSeconds: 0.1 }, 0.3)?.index).toBe(3);
  });

  it('shows the last tile past the end and nothing for an empty storyboard', () => {
    expect(tileAt(sb, 10_000)).toMatchObject({ index: 22, x: 320, y: 360 });
    expect(tileAt(sb, -3)).toMatchObject({ index: 0 });
    expect(tileAt({ ...sb, count: 0 }, 3)).toBeUndefined();
  });
});

describe('tileStyle', () => {
  it('scales the whole sheet and shifts it so the tile fills the box', () => {
    const tile = tileAt(sb, 37)!; // index 7: column 2, row 1
    expect(tileStyle(sb, tile, 80)).toEqual({
      width: 80,
      height: 45,
      backgroundSize: '400px 225px',
      backgroundPosition: '-160px -45px',
    });
  });

  it('is the identity at the tile size', () => {
    const tile = tileAt(sb, 100)!;
    expect(tileStyle(sb, tile, 160)).toMatchObject({ backgroundSize: '800px 450px', backgroundPosition: '0px -360px' });
  });
});
