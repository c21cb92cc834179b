import { describe, expect, it } from 'vitest';
import { photoModeLayout } from './photoModeOverlay';

describe('photo mode layout', () => {
  it('puts each tile diagonally outside its corner and the QR centred half a tile below', () => {
    const l = photoModeLayout({ left: 100, top: 80, width: 400, height: 400 });
    const t = l.tiles[0].size;
    expect(t % 8).toBe(0);
    expect(t).toBe(56);
    expect(l.tiles.map((x) => [x.id, x.left, x.top])).toEqual([
      [0, 100 - t, 80 - t],
      [1, 500, 80 - t],
      [2, 500, 480],
      [3, 100 - t, 480],
    ]);
    expect(l.qr.top).toBe(480 + t / 2);
    expect(l.qr.left + l.qr.size / 2).toBe(300);
  });

  it('keeps tiles large enough to be read from a photo of a small image', () => {
    expect(photoModeLayout({ left: 0, top: 0, width: 100, height: 60 }).tiles[0].size).toBe(32);
  });
});
