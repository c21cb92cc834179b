import { describe, expect, it } from 'vitest';
import { param, parseSinglePart } from './multipart';

const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
function body(boundary: string, partHeaders: string, data: string, tail = '--\r\n'): Uint8Array {
  return enc(`--${boundary}\r\n${partHeaders}\r\n\r\n${data}\r\n--${boundary}${tail}`);
}
const text = (b: Uint8Array, p: { start: number; end: number }) => String.fromCharCode(...b.subarray(p.start, p.end));

describe('parseSinglePart', () => {
  it('finds the frame bytes and the part type with its transfer syntax', () => {
    const b = body('abc', 'Content-Type: application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1', 'PIXELS--abc');
    const p = parseSinglePart(b, 'multipart/related; type="application/octet-stream"; boundary=abc')!;
    expect(text(b, p)).toBe('PIXELS--abc');
    expect(p.contentType).toBe('application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1');
  });
  it('reads header names case-insensitively and takes the transfer syntax of the outer type when the part has none', () => {
    const b = body('q', 'content-type: application/octet-stream', 'x');
    const p = parseSinglePart(
      b,
      'multipart/related; type="application/octet-stream"; transfer-syntax=1.2.840.10008.1.2.5; boundary="q"',
    )!;
    expect(p.contentType).toBe('application/octet-stream; transfer-syntax=1.2.840.10008.1.2.5');
    expect(text(b, p)).toBe('x');
  });
  it('takes the boundary from the body when the type has none, and accepts no trailing CRLF', () => {
    const b = body('zz', 'Content-Type: image/jp2', 'J2K', '--');
    const p = parseSinglePart(b, 'multipart/related; type="image/jp2"')!;
    expect(text(b, p)).toBe('J2K');
    expect(p.contentType).toBe('image/jp2');
  });
  it('refuses what it does not understand', () => {
    expect(parseSinglePart(enc('raw'), 'application/octet-stream')).toBeUndefined();
    expect(parseSinglePart(body('a', 'Content-Type: x', 'd', '\r\n'), 'multipart/related; boundary=a')).toBeUndefined();
    expect(parseSinglePart(body('a', 'Content-Type: x', 'd'), 'multipart/related; boundary=b')).toBeUndefined();
    expect(parseSinglePart(enc('--a\r\nContent-Type: x'), 'multipart/related; boundary=a')).toBeUndefined();
  });
});

describe('param', () => {
  it('unquotes and ignores case of names', () => {
    expect(param('multipart/related; Boundary="x y"', 'boundary')).toBe('x y');
    expect(param('a/b', 'boundary')).toBeUndefined();
  });
});
