import { describe, expect, it } from 'vitest';
import { decodeStampRow } from './stamp';

/** A row as rtv's FrameStamp burns it: start cell white, 32 bits (white = 1), end cell black, 8 px each. */
function row(value: number, lumaOne = 235, lumaZero = 16): Uint8ClampedArray {
  const d = new Uint8ClampedArray(34 * 8 * 4);
  const cells = [true, ...Array.from({ length: 32 }, (_, i) => Math.floor(value / 2 ** (31 - i)) % 2 === 1), false];
  cells.forEach((white, c) => {
    for (let x = 0; x < 8; x++)
      d.set([white ? lumaOne : lumaZero, white ? lumaOne : lumaZero, white ? lumaOne : lumaZero, 255], (c * 8 + x) * 4);
  });
  return d;
}

describe('decodeStampRow', () => {
  it('reads the 32-bit RTV timestamp, including the top bit', () => {
    for (const v of [0, 1, 0x12345678, 0xfffffffe, 2 ** 31 + 9000]) expect(decodeStampRow(row(v))).toBe(v);
  });

  it('refuses a row without the start or end cell', () => {
    const noStart = row(42);
    noStart.fill(0, 0, 8 * 4);
    expect(decodeStampRow(noStart)).toBeUndefined();
    const noEnd = row(42);
    noEnd.fill(255, 33 * 8 * 4);
    expect(decodeStampRow(noEnd)).toBeUndefined();
    expect(decodeStampRow(new Uint8ClampedArray(16))).toBeUndefined();
  });
});
