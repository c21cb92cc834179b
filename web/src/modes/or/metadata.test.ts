import { describe, expect, it } from 'vitest';
import {
  displayValue,
  MetadataFormatError,
  MetadataStore,
  nalUnits,
  parseMessage,
  readTimestampSei,
  TimestampMap,
} from './metadata';

/** The SEI NAL unit or-gateway's TimestampSei writes, built independently here (with emulation prevention). */
function sei(ts: number): number[] {
  const rbsp = [
    5,
    20,
    ...new TextEncoder().encode('medsyncRTV-ts-v1'),
    ts >>> 24,
    (ts >>> 16) & 255,
    (ts >>> 8) & 255,
    ts & 255,
    0x80,
  ];
  const out: number[] = [6];
  let zeros = 0;
  for (const b of rbsp) {
    if (zeros === 2 && b <= 3) {
      out.push(3);
      zeros = 0;
    }
    out.push(b);
    zeros = b === 0 ? zeros + 1 : 0;
  }
  return out;
}

function annexB(...nals: number[][]): Uint8Array {
  return Uint8Array.from(nals.flatMap((n, i) => [...(i === 0 ? [0, 0, 0, 1] : [0, 0, 1]), ...n]));
}

describe('readTimestampSei', () => {
  it('finds the RTV timestamp among parameter sets and slices, escapes undone', () => {
    for (const ts of [0, 1, 3, 0x300, 0xffffffff, 123456789, 0x00000100]) {
      const au = annexB([0x67, 0x42, 0xe0, 0x1f], [0x68, 0xce], sei(ts), [0x65, 0x88, 0x84, 0, 0]);
      expect(readTimestampSei(au)).toBe(ts);
    }
  });

  it('ignores other SEI (x264 version string), other NALs and truncated messages', () => {
    const x264: number[] = [6, 5, 20, ...new Array<number>(16).fill(0x11), 1, 2, 3, 4, 0x80];
    expect(readTimestampSei(annexB(x264, [0x41, 1, 2]))).toBeUndefined();
    expect(readTimestampSei(annexB(sei(7).slice(0, 10)))).toBeUndefined();
    expect(readTimestampSei(new Uint8Array([1, 2, 3]))).toBeUndefined();
    expect(nalUnits(annexB([0x65, 1], [0x41, 2]))).toHaveLength(2);
  });
});

describe('TimestampMap', () => {
  it('maps each viewer timestamp exactly, and unseen ones through the last offset, across the 32-bit wrap', () => {
    const m = new TimestampMap(4);
    expect(m.rtv(100)).toBeUndefined();
    const offset = 0xfffff000;
    for (let i = 0; i < 10; i++) m.record((i * 9000 + offset) >>> 0, i * 9000);
    expect(m.rtv((9 * 9000 + offset) >>> 0)).toBe(81000);
    expect(m.exact((9 * 9000 + offset) >>> 0)).toBe(true);
    expect(m.exact(offset >>> 0)).toBe(false); // evicted (capacity 4)
    expect(m.rtv(offset >>> 0)).toBe(0); // still right through the offset
    expect(m.rtv((20 * 9000 + offset) >>> 0)).toBe(180000);
  });

  it('follows a new offset (the SFU switched) at once for frames it has pairs of', () => {
    const m = new TimestampMap();
    m.record(1000, 10);
    m.record(5000, 20);
    expect(m.rtv(1000)).toBe(10);
    expect(m.rtv(5000)).toBe(20);
    expect(m.rtv(5009)).toBe(29);
  });
});

describe('parseMessage', () => {
  const hello = {
    type: 'hello',
    version: 1,
    or: 'or3',
    flow: 'endoscope',
    deidentified: false,
    clockRate: 90000,
    overlay: [{ zone: 1, tag: '00100010', keyword: 'PatientName' }],
  };

  it('reads the three documented messages', () => {
    expect(parseMessage(JSON.stringify(hello))).toEqual(hello);
    const s = parseMessage(
      JSON.stringify({
        type: 'static',
        flow: 'endoscope',
        rtpTimestamp: 4294967295,
        dataset: {
          '00100010': { vr: 'PN', Value: [{ Alphabetic: 'DOE^JANE' }] },
          '0034000A': { vr: 'SQ', Value: [{ '00340005': { vr: 'OB', InlineBinary: 'AAEC' } }] },
          '00280010': { vr: 'US', Value: [720] },
        },
      }),
    );
    expect(s.type).toBe('static');
    const f = parseMessage('{"type":"frame","flow":"endoscope","rtpTimestamp":9000,"dataset":{}}');
    expect(f).toEqual({ type: 'frame', flow: 'endoscope', rtpTimestamp: 9000, dataset: {} });
  });

  it.each([
    ['not json', /not JSON/],
    ['[]', /JSON object/],
    ['{"type":"nope"}', /unknown message type 'nope'/],
    ['{"type":"frame","flow":"e","rtpTimestamp":-1,"dataset":{}}', /rtpTimestamp/],
    ['{"type":"frame","flow":"e","rtpTimestamp":4294967296,"dataset":{}}', /rtpTimestamp/],
    ['{"type":"frame","flow":"e","rtpTimestamp":1.5,"dataset":{}}', /rtpTimestamp/],
    ['{"type":"frame","flow":"e","rtpTimestamp":1,"dataset":[]}', /DICOM JSON object/],
    ['{"type":"frame","flow":"e","rtpTimestamp":1,"dataset":{"0010001":{"vr":"PN"}}}', /8 upper-case hex/],
    ['{"type":"frame","flow":"e","rtpTimestamp":1,"dataset":{"00100010":{"vr":"pn"}}}', /no valid vr/],
    ['{"type":"frame","flow":"e","rtpTimestamp":1,"dataset":{"00100010":{"vr":"PN","Value":"x"}}}', /array/],
    ['{"type":"frame","flow":"e","rtpTimestamp":1,"dataset":{"00100010":{"vr":"PN","Value":["x"]}}}', /PN value/],
    [
      '{"type":"frame","flow":"e","rtpTimestamp":1,"dataset":{"00080050":{"vr":"SH","Value":[{}]}}}',
      /text or a number/,
    ],
    ['{"type":"frame","flow":"e","rtpTimestamp":1,"dataset":{"00340007":{"vr":"OB","InlineBinary":"%%"}}}', /base64/],
    ['{"type":"hello","version":2}', /unknown version 2/],
    [
      '{"type":"hello","version":1,"or":"o","flow":"f","deidentified":false,"clockRate":90000,"overlay":[{"zone":10,"tag":"00100010","keyword":"k"}]}',
      /zone must be 1..9/,
    ],
  ])('refuses %s clearly', (text, why) => {
    expect(() => parseMessage(text)).toThrow(MetadataFormatError);
    expect(() => parseMessage(text)).toThrow(why);
  });

  it('refuses sequences nested too deep', () => {
    let d: unknown = {};
    for (let i = 0; i < 12; i++) d = { '00400100': { vr: 'SQ', Value: [d] } };
    expect(() => parseMessage(JSON.stringify({ type: 'static', flow: 'f', rtpTimestamp: 0, dataset: d }))).toThrow(
      /nested deeper/,
    );
  });
});

describe('MetadataStore and displayValue', () => {
  it('gives each frame the static part with its own part over it; the static part alone until it arrives', () => {
    const s = new MetadataStore(2);
    expect(s.at(9000)).toEqual({ rtvTimestamp: 9000, complete: false, dataset: undefined });
    s.accept({ type: 'static', flow: 'f', rtpTimestamp: 0, dataset: { '00081010': { vr: 'SH', Value: ['OR-3'] } } });
    expect(s.at(9000).complete).toBe(false);
    expect(displayValue(s.at(9000).dataset!['00081010'])).toBe('OR-3');
    s.accept({
      type: 'frame',
      flow: 'f',
      rtpTimestamp: 9000,
      dataset: { '00340007': { vr: 'OB', InlineBinary: 'AAAAAAABAAAAAQ==' } },
    });
    const m = s.at(9000);
    expect(m.complete).toBe(true);
    expect(displayValue(m.dataset!['00340007'])).toBe('1.000000001');
    expect(displayValue({ vr: 'PN', Value: [{ Alphabetic: 'DOE^JANE' }] })).toBe('DOE^JANE');
    expect(displayValue({ vr: 'US', Value: [720, 1280] })).toBe('720\\1280');
  });
});
