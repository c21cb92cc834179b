/**
 * Fast unwrapping of a single-part `multipart/related` WADO-RS frame response (PS3.18 8.7.3.5):
 *
 *   --BOUNDARY\r\n
 *   Content-Type: application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1\r\n
 *   \r\n
 *   <frame bytes>\r\n
 *   --BOUNDARY--[\r\n]
 *
 * The part headers are read from the first bytes and the closing delimiter is found from the end, so
 * the frame bytes themselves are never scanned (the loader's own parser searches the whole frame for
 * the boundary on the main thread). Returns undefined for anything else, so callers can fall back.
 */
export interface SinglePart {
  contentType: string;
  start: number;
  end: number;
}

const MAX_HEADER_BYTES = 8192;
const MAX_TRAILER_BYTES = 1024;

export function parseSinglePart(body: Uint8Array, outerContentType: string): SinglePart | undefined {
  if (!/^\s*multipart\/related/i.test(outerContentType)) return undefined;
  const headerEnd = indexOf(body, CRLFCRLF, 0, Math.min(body.length, MAX_HEADER_BYTES));
  if (headerEnd < 0) return undefined;
  const head = latin1(body, 0, headerEnd);
  const lines = head.split('\r\n');
  let i = 0;
  while (i < lines.length && lines[i] === '') i++; // preamble CRLFs
  const delimiterLine = lines[i] ?? '';
  if (!delimiterLine.startsWith('--')) return undefined;
  const boundary = param(outerContentType, 'boundary') ?? delimiterLine.slice(2).trim();
  if (delimiterLine.trimEnd() !== `--${boundary}`) return undefined;
  let partType: string | undefined;
  for (const line of lines.slice(i + 1)) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === 'content-type')
      partType = line.slice(colon + 1).trim();
  }
  const start = headerEnd + 4;
  const closing = asciiBytes(`\r\n--${boundary}`);
  const from = Math.max(start, body.length - MAX_TRAILER_BYTES);
  const end = lastIndexOf(body, closing, from, body.length);
  if (end < start) return undefined;
  // The closing delimiter must be the last one: "--" after it, then only whitespace.
  const after = latin1(body, end + closing.length, body.length);
  if (!/^--\s*$/.test(after)) return undefined;
  let contentType = partType ?? 'application/octet-stream';
  const outerSyntax = param(outerContentType, 'transfer-syntax');
  if (!param(contentType, 'transfer-syntax') && outerSyntax) contentType += `; transfer-syntax=${outerSyntax}`;
  return { contentType, start, end };
}

/** A parameter of a MIME type, unquoted: param('a/b; x="1"', 'x') === '1'. */
export function param(mime: string, name: string): string | undefined {
  for (const piece of mime.split(';').slice(1)) {
    const eq = piece.indexOf('=');
    if (eq < 0) continue;
    if (piece.slice(0, eq).trim().toLowerCase() === name)
      return piece
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1');
  }
  return undefined;
}

const CRLFCRLF = new Uint8Array([13, 10, 13, 10]);

function asciiBytes(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
}

function latin1(b: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += String.fromCharCode(b[i]);
  return s;
}

function matchesAt(b: Uint8Array, needle: Uint8Array, at: number): boolean {
  for (let j = 0; j < needle.length; j++) if (b[at + j] !== needle[j]) return false;
  return true;
}

function indexOf(b: Uint8Array, needle: Uint8Array, from: number, to: number): number {
  for (let i = from; i + needle.length <= to; i++) if (matchesAt(b, needle, i)) return i;
  return -1;
}

function lastIndexOf(b: Uint8Array, needle: Uint8Array, from: number, to: number): number {
  for (let i = to - needle.length; i >= from; i--) if (matchesAt(b, needle, i)) return i;
  return -1;
}
