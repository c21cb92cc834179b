import { isTelestrationReply } from './telestration';
/**
 * The metadata of a live OR flow, frame by frame (docs/or-gateway.md "Metadata messages"): the server's socket sends
 * the flow's PS3.22 static part and each frame's own part as DICOM JSON tagged with the frame's RTV RTP timestamp; the
 * video's access units carry that same timestamp in an SEI NAL unit, read here with an encoded-frame transform next
 * to the RTP timestamp the SFU rewrote for this viewer. Together they give, for the frame on screen
 * (requestVideoFrameCallback's rtpTimestamp), the metadata that belongs to it.
 */

/** One DICOM JSON attribute (PS3.18 F.2.2). */
export interface DicomAttribute {
  vr: string;
  Value?: unknown[];
  InlineBinary?: string;
}

/** A DICOM JSON data set: 8 upper-case hex digits to attribute. */
export type DicomDataset = Record<string, DicomAttribute>;

export interface OverlayItem {
  zone: number;
  tag: string;
  keyword: string;
}

export interface HelloMessage {
  type: 'hello';
  version: 1;
  or: string;
  flow: string;
  deidentified: boolean;
  clockRate: number;
  overlay: OverlayItem[];
}

export interface DatasetMessage {
  type: 'static' | 'frame';
  flow: string;
  rtpTimestamp: number;
  dataset: DicomDataset;
}

export type MetadataMessage = HelloMessage | DatasetMessage;

/** A message the page refuses: what is wrong, precisely. */
export class MetadataFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetadataFormatError';
  }
}

const MAX_MESSAGE = 1 << 20;
const MAX_DEPTH = 8;
const TAG = /^[0-9A-F]{8}$/;
const VR = /^[A-Z]{2}$/;

function fail(message: string): never {
  throw new MetadataFormatError(message);
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function rtpTimestamp(x: unknown): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > 0xffffffff)
    fail('rtpTimestamp must be an integer 0..2^32-1');
  return x;
}

function checkDataset(x: unknown, where: string, depth: number): DicomDataset {
  if (depth > MAX_DEPTH) fail(`${where}: sequences nested deeper than ${MAX_DEPTH}`);
  if (!isObject(x)) fail(`${where} must be a DICOM JSON object`);
  for (const [tag, a] of Object.entries(x)) {
    if (!TAG.test(tag)) fail(`${where}: key '${tag.slice(0, 20)}' is not 8 upper-case hex digits`);
    if (!isObject(a) || typeof a.vr !== 'string' || !VR.test(a.vr)) fail(`${where}.${tag}: no valid vr`);
    if (a.Value !== undefined) {
      if (!Array.isArray(a.Value)) fail(`${where}.${tag}: Value must be an array`);
      if (a.vr === 'SQ') a.Value.forEach((item, i) => checkDataset(item, `${where}.${tag}[${i}]`, depth + 1));
      else if (a.vr === 'PN')
        a.Value.forEach((v, i) => {
          if (v !== null && (!isObject(v) || (v.Alphabetic !== undefined && typeof v.Alphabetic !== 'string')))
            fail(`${where}.${tag}[${i}]: a PN value is an object with Alphabetic text`);
        });
      else
        a.Value.forEach((v, i) => {
          if (v !== null && typeof v !== 'string' && typeof v !== 'number')
            fail(`${where}.${tag}[${i}]: a value must be text or a number`);
        });
    }
    if (
      a.InlineBinary !== undefined &&
      (typeof a.InlineBinary !== 'string' || !/^[A-Za-z0-9+/]*=*$/.test(a.InlineBinary))
    )
      fail(`${where}.${tag}: InlineBinary must be base64`);
  }
  return x as DicomDataset;
}

/** Parses one socket message; anything else than the documented format throws {@link MetadataFormatError}. */
export function parseMessage(text: string): MetadataMessage {
  if (text.length > MAX_MESSAGE) fail(`a message is at most ${MAX_MESSAGE} characters`);
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch (e) {
    fail(`not JSON: ${(e as Error).message}`);
  }
  if (!isObject(m)) fail('a message is a JSON object');
  switch (m.type) {
    case 'hello': {
      if (m.version !== 1) fail(`unknown version ${String(m.version)}; this page reads version 1`);
      if (typeof m.or !== 'string' || typeof m.flow !== 'string') fail('hello needs or and flow');
      if (typeof m.deidentified !== 'boolean') fail('hello.deidentified must be true or false');
      if (m.clockRate !== 90000) fail('hello.clockRate must be 90000');
      if (!Array.isArray(m.overlay)) fail('hello.overlay must be an array');
      const overlay = m.overlay.map((o: unknown, i) => {
        if (!isObject(o) || typeof o.zone !== 'number' || !Number.isInteger(o.zone) || o.zone < 1 || o.zone > 9)
          fail(`hello.overlay[${i}].zone must be 1..9`);
        if (typeof o.tag !== 'string' || !TAG.test(o.tag)) fail(`hello.overlay[${i}].tag must be 8 hex digits`);
        if (typeof o.keyword !== 'string') fail(`hello.overlay[${i}].keyword must be text`);
        return { zone: o.zone, tag: o.tag, keyword: o.keyword };
      });
      return {
        type: 'hello',
        version: 1,
        or: m.or,
        flow: m.flow,
        deidentified: m.deidentified,
        clockRate: 90000,
        overlay,
      };
    }
    case 'static':
    case 'frame':
      if (typeof m.flow !== 'string') fail(`${m.type}.flow must be text`);
      return {
        type: m.type,
        flow: m.flow,
        rtpTimestamp: rtpTimestamp(m.rtpTimestamp),
        dataset: checkDataset(m.dataset, `${m.type}.dataset`, 0),
      };
    default:
      fail(`unknown message type '${String(m.type).slice(0, 20)}'`);
  }
}

/** MedSync's user_data_unregistered UUID, the ASCII of "medsyncRTV-ts-v1" (or-gateway's TimestampSei). */
const SEI_UUID = new TextEncoder().encode('medsyncRTV-ts-v1');

/** Removes emulation prevention bytes (H.264 7.4.1). */
function unescape(ebsp: Uint8Array): Uint8Array {
  const out = new Uint8Array(ebsp.length);
  let n = 0;
  let zeros = 0;
  for (const b of ebsp) {
    if (zeros === 2 && b === 3) {
      zeros = 0;
      continue;
    }
    out[n++] = b;
    zeros = b === 0 ? zeros + 1 : 0;
  }
  return out.subarray(0, n);
}

/** The NAL units of an Annex B access unit (start codes 00 00 01 / 00 00 00 01), header byte first. */
export function nalUnits(data: Uint8Array): Uint8Array[] {
  const starts: number[] = [];
  for (let i = 0; i + 2 < data.length; i++) {
    if (data[i] === 0 && data[i + 1] === 0 && data[i + 2] === 1) {
      starts.push(i + 3);
      i += 2;
    }
  }
  return starts.map((s, k) => {
    let end = k + 1 < starts.length ? starts[k + 1] - 3 : data.length;
    while (end > s && data[end - 1] === 0) end--; // the zero of a 4-byte start code, trailing zeros
    return data.subarray(s, end);
  });
}

/** The RTV RTP timestamp our gateway put in this access unit's SEI, or undefined (not ours, or no SEI). */
export function readTimestampSei(accessUnit: Uint8Array): number | undefined {
  for (const nal of nalUnits(accessUnit)) {
    if (nal.length < 2 || (nal[0] & 0x1f) !== 6) continue;
    const p = unescape(nal.subarray(1));
    let i = 0;
    while (i < p.length && p[i] !== 0x80) {
      let type = 0;
      while (i < p.length && p[i] === 0xff) type += p[i++];
      if (i >= p.length) break;
      type += p[i++];
      let size = 0;
      while (i < p.length && p[i] === 0xff) size += p[i++];
      if (i >= p.length) break;
      size += p[i++];
      if (i + size > p.length) break;
      if (type === 5 && size === 20 && SEI_UUID.every((b, k) => p[i + k] === b)) {
        const t = i + 16;
        return ((p[t] << 24) | (p[t + 1] << 16) | (p[t + 2] << 8) | p[t + 3]) >>> 0;
      }
      i += size;
    }
  }
  return undefined;
}

/**
 * The SFU's per-viewer RTP timestamps mapped back to the RTV frames' (docs/or-gateway.md "Frame-accurate"): every
 * received access unit gives one exact pair (its rewritten header timestamp, the RTV timestamp in its SEI). A frame on
 * screen is looked up exactly; one the transform never saw (none should be) falls back to the last offset seen.
 */
export class TimestampMap {
  private readonly pairs = new Map<number, number>();
  private offset: number | undefined;

  constructor(private readonly capacity = 512) {}

  record(viewerTimestamp: number, rtvTimestamp: number): void {
    this.pairs.delete(viewerTimestamp);
    this.pairs.set(viewerTimestamp, rtvTimestamp);
    if (this.pairs.size > this.capacity) this.pairs.delete(this.pairs.keys().next().value!);
    this.offset = (viewerTimestamp - rtvTimestamp) >>> 0;
  }

  /** The RTV timestamp of the frame the viewer's RTP timestamp names; undefined before any pair. */
  rtv(viewerTimestamp: number): number | undefined {
    const exact = this.pairs.get(viewerTimestamp);
    if (exact !== undefined) return exact;
    return this.offset === undefined ? undefined : (viewerTimestamp - this.offset) >>> 0;
  }

  /** Whether this frame's pair was seen (not inferred from the offset). */
  exact(viewerTimestamp: number): boolean {
    return this.pairs.has(viewerTimestamp);
  }
}

/** What the overlay shows for one frame: the static part with that frame's own part over it. */
export interface FrameMetadata {
  rtvTimestamp: number;
  /** false: the frame's own part has not arrived (the static part alone, or nothing). */
  complete: boolean;
  dataset: DicomDataset | undefined;
}

/** The flow's latest static part and the recent frames' own parts, by RTV timestamp. */
export class MetadataStore {
  hello: HelloMessage | undefined;
  private staticPart: DicomDataset | undefined;
  private readonly frames = new Map<number, DicomDataset>();

  constructor(private readonly capacity = 300) {}

  accept(m: MetadataMessage): void {
    if (m.type === 'hello') this.hello = m;
    else if (m.type === 'static') this.staticPart = m.dataset;
    else {
      this.frames.set(m.rtpTimestamp, m.dataset);
      if (this.frames.size > this.capacity) this.frames.delete(this.frames.keys().next().value!);
    }
  }

  hasStatic(): boolean {
    return this.staticPart !== undefined;
  }

  at(rtvTimestamp: number): FrameMetadata {
    const own = this.frames.get(rtvTimestamp);
    if (!this.staticPart) return { rtvTimestamp, complete: false, dataset: own };
    return { rtvTimestamp, complete: own !== undefined, dataset: { ...this.staticPart, ...(own ?? {}) } };
  }
}

/** Text of an attribute as the overlay shows it: PN by its alphabetic group, FrameOriginTimestamp as TAI s.ns. */
export function displayValue(a: DicomAttribute | undefined): string {
  if (!a) return '';
  if (a.InlineBinary !== undefined) {
    const b = Uint8Array.from(atob(a.InlineBinary), (c) => c.charCodeAt(0));
    if (b.length === 10) {
      // PS3.22 Frame Origin Timestamp: 48-bit seconds, 32-bit nanoseconds, big-endian (TAI)
      const s = ((b[0] << 8) | b[1]) * 2 ** 32 + (((b[2] << 24) | (b[3] << 16) | (b[4] << 8) | b[5]) >>> 0);
      const ns = ((b[6] << 24) | (b[7] << 16) | (b[8] << 8) | b[9]) >>> 0;
      return `${s}.${String(ns).padStart(9, '0')}`;
    }
    return `(${b.length} bytes)`;
  }
  return (a.Value ?? [])
    .map((v) => {
      if (v === null || v === undefined) return '';
      if (typeof v === 'object') return (v as { Alphabetic?: string }).Alphabetic ?? '';
      return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
    })
    .join('\\');
}

/** Opens the viewing's metadata socket; each message parsed and handed over, a refused one reported and skipped. */
export function openMetadataSocket(
  path: string,
  onMessage: (m: MetadataMessage) => void,
  onProblem: (why: string) => void,
): WebSocket {
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${path}`);
  ws.onmessage = (e) => {
    if (typeof e.data !== 'string') return onProblem('a binary message: refused');
    if (isTelestrationReply(e.data)) return; // telestration.ts answers those
    try {
      onMessage(parseMessage(e.data));
    } catch (err) {
      onProblem(err instanceof Error ? err.message : String(err));
    }
  };
  return ws;
}
