import { describe, expect, it } from 'vitest';
// The golden vectors conference's PeerCodecTest reads too: the bytes both sides agree on.
import vectorText from '../../../../conference/src/test/resources/org/medsync/conference/protocol/peer-vectors.txt?raw';
import { decodeBatch, decodePeer, decodeServer, encodePointer, encodeView, type ViewFields } from './codec';

const hexBytes = (hex: string): Uint8Array => Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
const vectors = new Map(
  vectorText.split('\n').filter((l) => l.trim() && !l.startsWith('#')).map((l) => {
    const [name, decoder, hex, reason] = l.trim().split(/\s+/);
    return [name!, { decoder: decoder!, bytes: hexBytes(hex!), reason }] as const;
  }),
);
const bytes = (name: string): Uint8Array => vectors.get(name)!.bytes;

const FULL: ViewFields = {
  worklistIndex: 1, seriesUid: '1.2.840.113619.2.55.3', imageIndex: 70, voiLower: 40, voiUpper: 80, scale: 0.8, panX: 0.5, panY: 0.25,
  crosshair: true, crosshairX: 0.5, crosshairY: 0.5, cine: false, cineFps: 10, smoothing: false,
} as ViewFields;

describe('peer messages against the shared golden vectors', () => {
  it('encodes VIEW and POINTER to the golden bytes', () => {
    expect(encodeView(5, 5, 511, FULL)).toEqual(bytes('view-full'));
    expect(encodeView(1000, 997, 4, { ...FULL, imageIndex: 71 })).toEqual(bytes('view-scroll-delta'));
    expect(encodeView(7, 5, 8 | 32, { ...FULL, voiLower: -160.5, voiUpper: 240.25, panX: -0.125, panY: 1.5 })).toEqual(bytes('view-voi-pan-delta'));
    expect(encodePointer(3, true, 0.25, 0.75)).toEqual(bytes('pointer-visible'));
    expect(encodePointer(4, false, 0.1, 0)).toEqual(bytes('pointer-hidden'));
  });

  it('decodes them to the same values as the Java codec', () => {
    expect(decodePeer(bytes('view-full'))).toEqual({ type: 'view', view: { seq: 5, baseSeq: 5, mask: 511, fields: FULL } });
    expect(decodePeer(bytes('view-scroll-delta'))).toEqual({ type: 'view', view: { seq: 1000, baseSeq: 997, mask: 4, fields: { imageIndex: 71 } } });
    expect(decodePeer(bytes('pointer-hidden'))).toEqual({ type: 'pointer', seq: 4, visible: false, x: Math.fround(0.1), y: 0 });
  });

  it('unpacks the relay batches into the messages the driver sent', () => {
    const b = decodeBatch(bytes('batch-full-pointer'));
    expect(b.from).toBe(2);
    expect(b.messages).toEqual([decodePeer(bytes('view-full')), decodePeer(bytes('pointer-visible'))]);
    expect(decodeBatch(bytes('batch-one-delta'))).toEqual({ from: 7, messages: [decodePeer(bytes('view-scroll-delta'))] });
  });

  it('refuses what is not a batch', () => {
    for (const name of ['batch-empty', 'batch-from-0', 'batch-of-batch', 'batch-of-four']) {
      expect(() => decodeBatch(bytes(name)), name).toThrow();
    }
    expect(() => decodeBatch(bytes('view-full'))).toThrow();
  });

  it('decodes TOPOLOGY', () => {
    expect(decodeServer(Uint8Array.from([0x93, 0x09, 0x01, 0x03]))).toEqual({ type: 'topology', mode: 'relay', epoch: 3 });
    expect(() => decodeServer(Uint8Array.from([0x93, 0x09, 0x02, 0x03]))).toThrow();
  });
});
