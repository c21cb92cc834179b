import { decode, encode } from '@msgpack/msgpack';
import type { SyncView } from '../cornerstone';

/** docs/readout-protocol.md: every message is a MessagePack array [type, ...fields]. */
export const ClientType = {
  SIGNAL: 16,
  FLOOR_REQUEST: 17,
  FLOOR_RELEASE: 18,
  FLOOR_HAND_OVER: 19,
  CHAT: 20,
  WORKLIST_GOTO: 21,
  STATUS: 22,
  SNAPSHOT: 23,
  AUDIO: 24,
} as const;
export const ServerType = {
  WELCOME: 1,
  ROSTER: 2,
  SIGNAL: 3,
  FLOOR: 4,
  CHAT: 5,
  WORKLIST: 6,
  ERROR: 8,
  TOPOLOGY: 9,
  AUDIO: 10,
  SPEAKING: 11,
} as const;
/** BATCH comes only from the server's relay: [3, from, ...whole VIEW/POINTER arrays]. */
export const PeerType = { VIEW: 1, POINTER: 2, BATCH: 3 } as const;
/** The peer id of the server's data relay in SIGNAL messages (2^31 - 1; real peers count from 1). */
export const RELAY_PEER = 0x7fffffff;
/** How view data travels: peer to peer, or through the server's relay. */
export type Topology = 'mesh' | 'relay';
/**
 * How audio travels: on the mesh, or (relay mode only) through the server's SFU (one stream per other participant)
 * or its mixer (one connection, one mix of everyone else).
 */
export type AudioPath = 'mesh' | 'sfu' | 'mix';
const AUDIO_PATHS: readonly AudioPath[] = ['mesh', 'sfu', 'mix'];
export const SignalKind = { OFFER: 1, ANSWER: 2, CANDIDATE: 3 } as const;
/** AUDIO (relay mode): which of the participant's two connections to the audio SFU a message is about. */
export const AudioLeg = { PUBLISH: 1, SUBSCRIBE: 2 } as const;
/** One stream of a subscribe offer: media id `mid` carries peer `feed`'s audio. */
export interface AudioStream {
  mid: string;
  feed: number;
}

export interface IceServerMsg {
  urls: string[];
  username?: string;
  credential?: string;
}
export interface WorklistItem {
  source: string;
  studyInstanceUid: string;
  label: string;
}
/** `guest`: admitted by an invite, without an account (the server decides, like the role). */
export interface Peer {
  id: number;
  name: string;
  role: string;
  worklistIndex: number;
  ready: boolean;
  following: boolean;
  muted: boolean;
  guest: boolean;
}
export interface FloorMsg {
  epoch: number;
  holder: number;
  requests: number[];
}
/** A chat line; name, role and guest mark are the sender's as the server authenticated them. */
export interface ChatMsg {
  seq: number;
  from: number;
  name: string;
  time: number;
  text: string;
  role: string;
  guest: boolean;
}

/**
 * The view fields of a VIEW message: the viewer's screen-independent view (one definition, in the cornerstone
 * extension; a type-only import, so no Cornerstone code comes with it) plus the worklist position.
 */
export interface ViewFields extends SyncView {
  worklistIndex: number;
}
export interface ViewMsg {
  seq: number;
  baseSeq: number;
  mask: number;
  fields: Partial<ViewFields>;
}

/** Mask bits and the fields each carries. */
export const VIEW_GROUPS: readonly (readonly (keyof ViewFields)[])[] = [
  ['worklistIndex'],
  ['seriesUid'],
  ['imageIndex'],
  ['voiLower', 'voiUpper'],
  ['scale'],
  ['panX', 'panY'],
  ['crosshair', 'crosshairX', 'crosshairY'],
  ['cine', 'cineFps'],
  ['smoothing'],
];
export const VIEW_ALL = (1 << VIEW_GROUPS.length) - 1;

export type ServerMsg =
  | {
      type: 'welcome';
      you: number;
      readoutId: string;
      role: string;
      iceServers: IceServerMsg[];
      worklist: WorklistItem[];
      worklistIndex: number;
      floor: FloorMsg;
      chat: ChatMsg[];
      snapshot: ViewMsg | null;
    }
  | { type: 'roster'; peers: Peer[] }
  | { type: 'signal'; from: number; kind: number; payload: string }
  | ({ type: 'floor' } & FloorMsg)
  | ({ type: 'chat' } & ChatMsg)
  | { type: 'worklist'; index: number }
  | { type: 'error'; code: string; message: string }
  | { type: 'topology'; mode: Topology; epoch: number; audio: AudioPath }
  | { type: 'audio'; leg: number; kind: number; payload: string; streams: AudioStream[] }
  | { type: 'speaking'; peers: number[] };

const floorOf = (a: unknown[]): FloorMsg => ({
  epoch: Number(a[1]),
  holder: Number(a[2]),
  requests: (a[3] as number[]).map(Number),
});
const chatOf = (a: unknown[]): ChatMsg => ({
  seq: Number(a[1]),
  from: Number(a[2]),
  name: String(a[3]),
  time: Number(a[4]),
  text: String(a[5]),
  role: String(a[6]),
  guest: a[7] === true,
});

export function decodeServer(bytes: Uint8Array): ServerMsg {
  const a = decode(bytes) as unknown[];
  if (!Array.isArray(a)) throw new Error('not an array');
  switch (a[0]) {
    case ServerType.WELCOME:
      return {
        type: 'welcome',
        you: Number(a[1]),
        readoutId: String(a[2]),
        role: String(a[3]),
        iceServers: (a[4] as unknown[][]).map((s) => ({
          urls: s[0] as string[],
          username: (s[1] as string | null) ?? undefined,
          credential: (s[2] as string | null) ?? undefined,
        })),
        worklist: (a[5] as string[][]).map((w) => ({ source: w[0], studyInstanceUid: w[1], label: w[2] })),
        worklistIndex: Number(a[6]),
        floor: floorOf(a[7] as unknown[]),
        chat: (a[8] as unknown[][]).map(chatOf),
        snapshot: a[9] == null ? null : decodeView(a[9] as Uint8Array),
      };
    case ServerType.ROSTER:
      return {
        type: 'roster',
        peers: (a[1] as unknown[][]).map((p) => ({
          id: Number(p[0]),
          name: String(p[1]),
          role: String(p[2]),
          worklistIndex: Number(p[3]),
          ready: !!p[4],
          following: !!p[5],
          muted: !!p[6],
          guest: p[7] === true,
        })),
      };
    case ServerType.SIGNAL:
      return { type: 'signal', from: Number(a[1]), kind: Number(a[2]), payload: String(a[3]) };
    case ServerType.FLOOR:
      return { type: 'floor', ...floorOf(a) };
    case ServerType.CHAT:
      return { type: 'chat', ...chatOf(a) };
    case ServerType.WORKLIST:
      return { type: 'worklist', index: Number(a[1]) };
    case ServerType.ERROR:
      return { type: 'error', code: String(a[1]), message: String(a[2]) };
    case ServerType.TOPOLOGY:
      if (a.length !== 4) throw new Error('TOPOLOGY: expected [9, mode, epoch, audio]');
      if (a[1] !== 0 && a[1] !== 1) throw new Error(`unknown topology ${String(a[1])}`);
      if (a[3] !== 0 && a[3] !== 1 && a[3] !== 2) throw new Error(`unknown audio path ${String(a[3])}`);
      if (a[1] === 0 && a[3] !== 0) throw new Error(`TOPOLOGY: ${AUDIO_PATHS[a[3]]} audio on the mesh`);
      return {
        type: 'topology',
        mode: a[1] === 1 ? 'relay' : 'mesh',
        epoch: Number(a[2]),
        audio: AUDIO_PATHS[a[3]],
      };
    case ServerType.SPEAKING:
      if (a.length !== 2 || !Array.isArray(a[1])) throw new Error('SPEAKING: expected [11, peers]');
      return {
        type: 'speaking',
        peers: (a[1] as unknown[]).map((p) => {
          if (typeof p !== 'number' || !Number.isInteger(p) || p < 1) throw new Error('SPEAKING: a peer is no peer id');
          return p;
        }),
      };
    case ServerType.AUDIO:
      if (a.length !== 5 || !Array.isArray(a[4])) throw new Error('AUDIO: expected [10, leg, kind, payload, streams]');
      return {
        type: 'audio',
        leg: Number(a[1]),
        kind: Number(a[2]),
        payload: String(a[3]),
        streams: (a[4] as unknown[][]).map((st) => ({ mid: String(st[0]), feed: Number(st[1]) })),
      };
    default:
      throw new Error(`unknown server message ${String(a[0])}`);
  }
}

export const enc = {
  signal: (to: number, kind: number, payload: string) => encode([ClientType.SIGNAL, to, kind, payload]),
  floorRequest: (take: boolean) => encode([ClientType.FLOOR_REQUEST, take]),
  floorRelease: () => encode([ClientType.FLOOR_RELEASE]),
  floorHandOver: (to: number) => encode([ClientType.FLOOR_HAND_OVER, to]),
  chat: (text: string) => encode([ClientType.CHAT, text]),
  worklistGoto: (index: number) => encode([ClientType.WORKLIST_GOTO, index]),
  status: (index: number, ready: boolean, following: boolean, muted: boolean) =>
    encode([ClientType.STATUS, index, ready, following, muted]),
  snapshot: (view: Uint8Array) => encode([ClientType.SNAPSHOT, view]),
  audio: (leg: number, kind: number, feed: number, payload: string) =>
    encode([ClientType.AUDIO, leg, kind, feed, payload]),
};

/** [1, seq, baseDelta, mask, ...fields of the set bits]. */
export function encodeView(seq: number, baseSeq: number, mask: number, v: ViewFields): Uint8Array {
  const out: unknown[] = [PeerType.VIEW, seq, seq - baseSeq, mask];
  VIEW_GROUPS.forEach((group, bit) => {
    if (mask & (1 << bit)) for (const k of group) out.push(v[k]);
  });
  return encode(out);
}

/** Largest data-channel message a receiver accepts (docs/readout-protocol.md, "Limits"). */
export const MAX_PEER_MESSAGE_BYTES = 4096;

/** Ranges of the VIEW fields (docs/readout-protocol.md, "VIEW"); the Java Codec checks the same. */
const FIELD_CHECKS: { readonly [K in keyof ViewFields]: (v: unknown, name: string) => ViewFields[K] } = {
  worklistIndex: (v, n) => uint(v, 511, n),
  seriesUid: (v, n) => str(v, 256, n),
  imageIndex: (v, n) => uint(v, 1 << 20, n),
  voiLower: (v, n) => num(v, -1e7, 1e7, n),
  voiUpper: (v, n) => num(v, -1e7, 1e7, n),
  scale: (v, n) => num(v, 1e-3, 1e3, n),
  panX: (v, n) => num(v, -1e3, 1e3, n),
  panY: (v, n) => num(v, -1e3, 1e3, n),
  crosshair: (v, n) => bool(v, n),
  crosshairX: (v, n) => num(v, -1e3, 1e3, n),
  crosshairY: (v, n) => num(v, -1e3, 1e3, n),
  cine: (v, n) => bool(v, n),
  cineFps: (v, n) => uint(v, 60, n),
  smoothing: (v, n) => bool(v, n),
};

/**
 * `[1, seq:uint32, baseDelta:uint <= seq, mask:uint 0..511, fields of the set bits...]`, strictly: exact field
 * count, types and ranges, nothing after the array. Throws an Error saying what is wrong.
 */
export function decodeView(bytes: Uint8Array): ViewMsg {
  return viewOf(messageArray(bytes, PeerType.VIEW));
}

function viewOf(a: unknown[]): ViewMsg {
  const seq = uint(a[1], 0xffff_ffff, 'seq');
  const baseDelta = uint(a[2], seq, 'baseDelta');
  const mask = uint(a[3], VIEW_ALL, 'mask');
  let expected = 4;
  VIEW_GROUPS.forEach((group, bit) => {
    if (mask & (1 << bit)) expected += group.length;
  });
  if (a.length !== expected) throw new Error(`VIEW with mask ${mask} has ${a.length} elements, expected ${expected}`);
  const fields: Record<string, unknown> = {};
  let i = 4;
  VIEW_GROUPS.forEach((group, bit) => {
    if (mask & (1 << bit)) for (const k of group) fields[k] = FIELD_CHECKS[k](a[i++], k);
  });
  if (mask & (1 << 3) && !((fields.voiUpper as number) > (fields.voiLower as number))) {
    throw new Error(`VOI upper ${String(fields.voiUpper)} not above lower ${String(fields.voiLower)}`);
  }
  return { seq, baseSeq: seq - baseDelta, mask, fields: fields };
}

/** Mask of the groups where `a` and `b` differ. */
export function diffMask(a: ViewFields, b: ViewFields): number {
  let mask = 0;
  VIEW_GROUPS.forEach((group, bit) => {
    if (group.some((k) => a[k] !== b[k])) mask |= 1 << bit;
  });
  return mask;
}

/** [2, seq, visible, x, y]: the driver's pointer in image fractions. */
export function encodePointer(seq: number, visible: boolean, x: number, y: number): Uint8Array {
  return encode([PeerType.POINTER, seq, visible, Math.fround(x), Math.fround(y)], { forceFloat32: true });
}

export type PeerMsg =
  { type: 'view'; view: ViewMsg } | { type: 'pointer'; seq: number; visible: boolean; x: number; y: number };

/** A data-channel message (VIEW or POINTER), strictly; throws an Error saying what is wrong. */
export function decodePeer(bytes: Uint8Array): PeerMsg {
  return peerOf(messageArray(bytes));
}

/** A decoded VIEW or POINTER array; a BATCH (or any other type) from a peer is refused. */
function peerOf(a: unknown[]): PeerMsg {
  if (a[0] === PeerType.VIEW) return { type: 'view', view: viewOf(a) };
  if (a[0] === PeerType.POINTER) {
    if (a.length !== 5) throw new Error(`POINTER has ${a.length} elements, expected 5`);
    return {
      type: 'pointer',
      seq: uint(a[1], 0xffff_ffff, 'seq'),
      visible: bool(a[2], 'visible'),
      x: num(a[3], -1e3, 1e3, 'x'),
      y: num(a[4], -1e3, 1e3, 'y'),
    };
  }
  throw new Error(`unknown data-channel message type ${describe(a[0])}`);
}

/** Most messages in one BATCH: a full VIEW, the latest delta VIEW on top of it and the latest POINTER. */
export const MAX_BATCH = 3;
/** Largest message a browser accepts on its relay link: a BATCH of up to MAX_BATCH driver messages. */
export const MAX_RELAY_MESSAGE_BYTES = 16 * 1024;

export interface Batch {
  from: number;
  messages: PeerMsg[];
}

/**
 * `[3, from:peer, m1, m2?, m3?]`: one tick of the driver's messages, forwarded by the relay (docs/readout-protocol.md,
 * "Relay"), strictly: 1..MAX_BATCH whole VIEW or POINTER arrays, each decoded as decodePeer does, nothing after
 * the array. Throws an Error saying what is wrong.
 */
export function decodeBatch(bytes: Uint8Array): Batch {
  const a = messageArray(bytes, PeerType.BATCH);
  if (a.length < 3 || a.length > 2 + MAX_BATCH)
    throw new Error(`BATCH has ${a.length} elements, expected 3..${2 + MAX_BATCH}`);
  const from = peerId(a[1], 'from');
  const messages = a.slice(2).map((m, i) => {
    if (!Array.isArray(m) || m.length === 0)
      throw new Error(`BATCH message ${i + 1}: not a message array: ${describe(m)}`);
    try {
      return peerOf(m);
    } catch (e) {
      throw new Error(`BATCH message ${i + 1}: ${(e as Error).message}`);
    }
  });
  return { from, messages };
}

/** One MessagePack array starting with a type code (`type` when given), nothing after it. */
function messageArray(bytes: Uint8Array, type?: number): unknown[] {
  let a: unknown;
  try {
    a = decode(bytes);
  } catch (e) {
    throw new Error(`not MessagePack: ${(e as Error).message}`);
  }
  if (!Array.isArray(a) || a.length === 0) throw new Error(`not a message array: ${describe(a)}`);
  if (type !== undefined && a[0] !== type) throw new Error(`expected message type ${type}, got ${describe(a[0])}`);
  return a;
}

function uint(v: unknown, max: number, name: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max)
    throw new Error(`${name}: ${describe(v)} is not an integer 0..${max}`);
  return v;
}

function peerId(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > RELAY_PEER)
    throw new Error(`${name}: ${describe(v)} is not a peer id 1..${RELAY_PEER}`);
  return v;
}

function num(v: unknown, min: number, max: number, name: string): number {
  if (typeof v !== 'number' || !(v >= min && v <= max))
    throw new Error(`${name}: ${describe(v)} is not a number ${min}..${max}`);
  return v;
}

function bool(v: unknown, name: string): boolean {
  if (typeof v !== 'boolean') throw new Error(`${name}: ${describe(v)} is not a boolean`);
  return v;
}

function str(v: unknown, maxBytes: number, name: string): string {
  if (typeof v !== 'string') throw new Error(`${name}: ${describe(v)} is not a string`);
  const bytes = new TextEncoder().encode(v).length;
  if (bytes > maxBytes) throw new Error(`${name}: string of ${bytes} bytes, at most ${maxBytes}`);
  return v;
}

/** A short description of a decoded value for error messages (never the content of strings or binaries). */
function describe(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  if (typeof v === 'string') return `a string of ${v.length} chars`;
  if (v instanceof Uint8Array) return `binary of ${v.length} bytes`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return typeof v;
}
