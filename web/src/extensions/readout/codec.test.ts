import { decode, encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
// The golden vectors conference's PeerCodecTest reads too: the bytes both sides agree on.
import vectorText from '../../../../conference/src/test/resources/org/medsync/conference/protocol/peer-vectors.txt?raw';
import {
  decodeBatch,
  decodePeer,
  decodeServer,
  decodeView,
  enc,
  encodePointer,
  encodeView,
  VIEW_ALL,
  type ViewFields,
} from './codec';

const hex = (s: string) => Uint8Array.from(s.replace(/\s/g, '').match(/../g)!, (b) => parseInt(b, 16));

const VIEW: ViewFields = {
  worklistIndex: 1,
  seriesUid: '1.2.3.4',
  imageIndex: 71,
  voiLower: -20,
  voiUpper: 60,
  scale: 0.8,
  panX: 0.5,
  panY: 0.25,
  crosshair: true,
  crosshairX: 0.4,
  crosshairY: 0.6,
  cine: false,
  cineFps: 10,
  smoothing: false,
};

describe('decodeView', () => {
  it('reads the documented scroll delta: 95 01 cd03e8 03 04 47 = [1, 1000, 3, 4, 71]', () => {
    expect(decodeView(hex('95 01 cd03e8 03 04 47'))).toEqual({
      seq: 1000,
      baseSeq: 997,
      mask: 4,
      fields: { imageIndex: 71 },
    });
  });
  it('round-trips a full state and a delta', () => {
    expect(decodeView(encodeView(7, 7, VIEW_ALL, VIEW))).toEqual({ seq: 7, baseSeq: 7, mask: VIEW_ALL, fields: VIEW });
    expect(decodeView(encodeView(9, 7, 0b1100, VIEW)).fields).toEqual({ imageIndex: 71, voiLower: -20, voiUpper: 60 });
  });

  const refused: [string, Uint8Array, RegExp][] = [
    ['the never-used byte 0xC1', hex('c1'), /not MessagePack/],
    ['bytes after the array', hex('95 01 cd03e8 03 04 47 00'), /not MessagePack/],
    ['a message ending inside a value', hex('95 01 cd03'), /not MessagePack/],
    ['a map instead of an array', encode({ a: 1 }), /not a message array/],
    ['an empty array', encode([]), /not a message array/],
    ['another type', encode([2, 1, true, 0.5, 0.5]), /expected message type 1, got 2/],
    ['a mask beyond 9 bits', encode([1, 5, 0, 1023]), /mask: 1023 is not an integer 0..511/],
    ['a base after the sequence', encode([1, 5, 6, 4, 3]), /baseDelta: 6 is not an integer 0..5/],
    ['a sequence beyond 32 bits', encode([1, 2 ** 32, 0, 4, 3]), /seq: 4294967296/],
    ['a fractional sequence', encode([1, 1.5, 0, 4, 3]), /seq: 1.5 is not an integer/],
    ['a missing field', encode([1, 5, 0, 0b1100, 3, 10]), /has 6 elements, expected 7/],
    ['an extra field', encode([1, 5, 0, 4, 3, 4]), /has 6 elements, expected 5/],
    ['a string image index', encode([1, 5, 0, 4, '3']), /imageIndex: a string of 1 chars is not an integer/],
    ['a binary series', encode([1, 5, 0, 2, new Uint8Array(3)]), /seriesUid: binary of 3 bytes is not a string/],
    ['a series UID over 256 bytes', encode([1, 5, 0, 2, '1'.repeat(257)]), /string of 257 bytes, at most 256/],
    ['an empty VOI range', encode([1, 5, 0, 8, 40, 40]), /VOI upper 40 not above lower 40/],
    ['zoom 0', encode([1, 5, 0, 16, 0]), /scale: 0 is not a number 0.001..1000/],
    ['a NaN pan', encode([1, 5, 0, 32, NaN, 0]), /panX: NaN/],
    ['cine at 61 fps', encode([1, 5, 0, 128, true, 61]), /cineFps: 61/],
    ['a number for a boolean', encode([1, 5, 0, 256, 1]), /smoothing: 1 is not a boolean/],
  ];
  for (const [what, bytes, message] of refused) {
    it(`refuses ${what}`, () => expect(() => decodeView(bytes)).toThrow(message));
  }
});

describe('decodePeer', () => {
  it('reads POINTER as encoded, float32 coordinates', () => {
    expect(decodePeer(encodePointer(3, true, 0.25, 0.75))).toEqual({
      type: 'pointer',
      seq: 3,
      visible: true,
      x: 0.25,
      y: 0.75,
    });
  });
  it('reads VIEW', () => {
    expect(decodePeer(encodeView(2, 2, VIEW_ALL, VIEW))).toEqual({
      type: 'view',
      view: { seq: 2, baseSeq: 2, mask: VIEW_ALL, fields: VIEW },
    });
  });
  it('refuses unknown types, bad POINTER shapes and garbage', () => {
    expect(() => decodePeer(encode([3, 1]))).toThrow(/unknown data-channel message type 3/);
    expect(() => decodePeer(encode(['1']))).toThrow(/unknown data-channel message type a string/);
    expect(() => decodePeer(encode([2, 1, true, 0.5]))).toThrow(/POINTER has 4 elements, expected 5/);
    expect(() => decodePeer(encode([2, 1, 'yes', 0.5, 0.5]))).toThrow(/visible: a string of 3 chars is not a boolean/);
    expect(() => decodePeer(encode([2, 1, true, 0.5, 1e9]))).toThrow(/y: 1000000000 is not a number/);
    expect(() => decodePeer(hex('c1 ff 00 13'))).toThrow(/not MessagePack/);
  });
});

const vectors = new Map(
  vectorText
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => {
      const [name, decoder, digits, reason] = l.trim().split(/\s+/);
      return [name, { decoder: decoder, bytes: hex(digits), reason }] as const;
    }),
);
const bytes = (name: string): Uint8Array => vectors.get(name)!.bytes;

const FULL: ViewFields = {
  worklistIndex: 1,
  seriesUid: '1.2.840.113619.2.55.3',
  imageIndex: 70,
  voiLower: 40,
  voiUpper: 80,
  scale: 0.8,
  panX: 0.5,
  panY: 0.25,
  crosshair: true,
  crosshairX: 0.5,
  crosshairY: 0.5,
  cine: false,
  cineFps: 10,
  smoothing: false,
};

describe('peer messages against the shared golden vectors', () => {
  it('encodes VIEW and POINTER to the golden bytes', () => {
    expect(encodeView(5, 5, 511, FULL)).toEqual(bytes('view-full'));
    expect(encodeView(1000, 997, 4, { ...FULL, imageIndex: 71 })).toEqual(bytes('view-scroll-delta'));
    expect(encodeView(7, 5, 8 | 32, { ...FULL, voiLower: -160.5, voiUpper: 240.25, panX: -0.125, panY: 1.5 })).toEqual(
      bytes('view-voi-pan-delta'),
    );
    expect(encodePointer(3, true, 0.25, 0.75)).toEqual(bytes('pointer-visible'));
    expect(encodePointer(4, false, 0.1, 0)).toEqual(bytes('pointer-hidden'));
  });

  it('decodes them to the same values as the Java codec', () => {
    expect(decodePeer(bytes('view-full'))).toEqual({
      type: 'view',
      view: { seq: 5, baseSeq: 5, mask: 511, fields: FULL },
    });
    expect(decodePeer(bytes('view-scroll-delta'))).toEqual({
      type: 'view',
      view: { seq: 1000, baseSeq: 997, mask: 4, fields: { imageIndex: 71 } },
    });
    expect(decodePeer(bytes('pointer-hidden'))).toEqual({
      type: 'pointer',
      seq: 4,
      visible: false,
      x: Math.fround(0.1),
      y: 0,
    });
  });

  it('unpacks the relay batches into the messages the driver sent', () => {
    const b = decodeBatch(bytes('batch-full-pointer'));
    expect(b.from).toBe(2);
    expect(b.messages).toEqual([decodePeer(bytes('view-full')), decodePeer(bytes('pointer-visible'))]);
    expect(decodeBatch(bytes('batch-one-delta'))).toEqual({
      from: 7,
      messages: [decodePeer(bytes('view-scroll-delta'))],
    });
  });

  it('refuses every malformed vector, with the decoder the vector names', () => {
    const malformed = [...vectors].filter(([, v]) => v.reason);
    expect(malformed.length).toBeGreaterThan(10);
    for (const [name, v] of malformed) {
      const decoder = v.decoder === 'batch' ? decodeBatch : decodePeer;
      expect(() => decoder(v.bytes), name).toThrow();
    }
  });

  it('refuses what is not a batch, saying what is wrong', () => {
    expect(() => decodeBatch(bytes('batch-empty'))).toThrow(/BATCH has 2 elements, expected 3..5/);
    expect(() => decodeBatch(bytes('batch-of-four'))).toThrow(/BATCH has 6 elements, expected 3..5/);
    expect(() => decodeBatch(bytes('batch-from-0'))).toThrow(/from: 0 is not a peer id/);
    expect(() => decodeBatch(bytes('batch-of-batch'))).toThrow(/BATCH message 1: unknown data-channel message type 3/);
    expect(() => decodeBatch(bytes('view-full'))).toThrow(/expected message type 3, got 1/);
    expect(() => decodeBatch(encode([3, 2, 7]))).toThrow(/BATCH message 1: not a message array: 7/);
    expect(() => decodeBatch(encode([3, 2, [2, 1, true, 0.5, 1e9]]))).toThrow(
      /BATCH message 1: y: 1000000000 is not a number/,
    );
    expect(() => decodeBatch(encode([3, 2, [1, 5, 0, 4, 3], [1, 6, 1, 4]]))).toThrow(
      /BATCH message 2: VIEW with mask 4 has 4 elements, expected 5/,
    );
    expect(() => decodeBatch(encode([3, 'two', [1, 5, 0, 4, 3]]))).toThrow(
      /from: a string of 3 chars is not a peer id/,
    );
  });

  it('decodes CHAT with the role and guest mark the server stamped (the bytes of CodecTest.chat_goldenBytes)', () => {
    expect(decodeServer(hex('98 05 01 02 a4 44722041 cd04d2 a4 6c6f6f6b a7 73747564656e74 c3'))).toEqual({
      type: 'chat',
      seq: 1,
      from: 2,
      name: 'Dr A',
      time: 1234,
      text: 'look',
      role: 'student',
      guest: true,
    });
  });

  it('decodes WELCOME whose floor and chat lines are whole FLOOR and CHAT arrays (the bytes of CodecTest.welcome_goldenBytes)', () => {
    const welcome = hex(
      '9a 01 03 a2 7231 a8 7265736964656e74 90 91 93 a5 6c6f63616c a3 312e32 a2 4354 00' +
        ' 94 04 02 01 91 03 91 98 05 01 01 a1 41 cd04d2 a2 6869 a9 617474656e64696e67 c2 c0',
    );
    expect(decodeServer(welcome)).toEqual({
      type: 'welcome',
      you: 3,
      readoutId: 'r1',
      role: 'resident',
      iceServers: [],
      worklist: [{ source: 'local', studyInstanceUid: '1.2', label: 'CT' }],
      worklistIndex: 0,
      floor: { epoch: 2, holder: 1, requests: [3] },
      chat: [{ seq: 1, from: 1, name: 'A', time: 1234, text: 'hi', role: 'attending', guest: false }],
      snapshot: null,
    });
  });

  it("decodes ROSTER with each participant's guest mark", () => {
    const r = decodeServer(
      encode([
        2,
        [
          [1, 'Dr Smith', 'attending', 0, true, true, false, false],
          [2, 'Dr Smith', 'student', -1, false, true, false, true],
        ],
      ]),
    );
    expect(r.type === 'roster' && r.peers.map((p) => [p.role, p.guest])).toEqual([
      ['attending', false],
      ['student', true],
    ]);
  });

  it('decodes SPEAKING (the Java PeerCodecTest encodes the same bytes) and refuses what is no list of peers', () => {
    expect(decodeServer(Uint8Array.from([0x92, 0x0b, 0x92, 0x01, 0x03]))).toEqual({ type: 'speaking', peers: [1, 3] });
    expect(decodeServer(Uint8Array.from([0x92, 0x0b, 0x90]))).toEqual({ type: 'speaking', peers: [] });
    expect(() => decodeServer(Uint8Array.from([0x91, 0x0b]))).toThrow('expected [11, peers]');
    expect(() => decodeServer(Uint8Array.from([0x92, 0x0b, 0x91, 0x00]))).toThrow('no peer id');
    expect(() => decodeServer(Uint8Array.from([0x92, 0x0b, 0x91, 0xa1, 0x31]))).toThrow('no peer id');
  });

  it('decodes TOPOLOGY with its audio path (the Java PeerCodecTest encodes the same bytes)', () => {
    expect(decodeServer(Uint8Array.from([0x94, 0x09, 0x01, 0x03, 0x01]))).toEqual({
      type: 'topology',
      mode: 'relay',
      epoch: 3,
      audio: 'sfu',
    });
    expect(decodeServer(Uint8Array.from([0x94, 0x09, 0x01, 0x04, 0x00]))).toMatchObject({
      mode: 'relay',
      audio: 'mesh',
    });
    expect(decodeServer(Uint8Array.from([0x94, 0x09, 0x00, 0x00, 0x00]))).toMatchObject({
      mode: 'mesh',
      audio: 'mesh',
    });
    expect(() => decodeServer(Uint8Array.from([0x94, 0x09, 0x02, 0x03, 0x00]))).toThrow('unknown topology 2');
    expect(decodeServer(Uint8Array.from([0x94, 0x09, 0x01, 0x05, 0x02]))).toEqual({
      type: 'topology',
      mode: 'relay',
      epoch: 5,
      audio: 'mix',
    });
    expect(() => decodeServer(Uint8Array.from([0x94, 0x09, 0x01, 0x03, 0x03]))).toThrow('unknown audio path 3');
    expect(() => decodeServer(Uint8Array.from([0x94, 0x09, 0x00, 0x03, 0x01]))).toThrow('sfu audio on the mesh');
    expect(() => decodeServer(Uint8Array.from([0x94, 0x09, 0x00, 0x03, 0x02]))).toThrow('mix audio on the mesh');
    // The audio path is part of the message, never guessed: the three-element form of old servers is refused.
    expect(() => decodeServer(Uint8Array.from([0x93, 0x09, 0x01, 0x03]))).toThrow('expected [9, mode, epoch, audio]');
  });

  it('encodes and decodes AUDIO (relay mode through the SFU)', () => {
    expect(decode(enc.audio(1, 1, 4, 'v=0'))).toEqual([24, 1, 1, 4, 'v=0']);
    expect(
      decodeServer(
        encode([
          10,
          2,
          1,
          'v=0',
          [
            ['0', 2],
            ['1', 5],
          ],
        ]),
      ),
    ).toEqual({
      type: 'audio',
      leg: 2,
      kind: 1,
      payload: 'v=0',
      streams: [
        { mid: '0', feed: 2 },
        { mid: '1', feed: 5 },
      ],
    });
    expect(decodeServer(encode([10, 1, 2, 'v=0', []]))).toEqual({
      type: 'audio',
      leg: 1,
      kind: 2,
      payload: 'v=0',
      streams: [],
    });
    expect(() => decodeServer(encode([10, 1, 2, 'v=0']))).toThrow(/AUDIO: expected/);
  });
});
