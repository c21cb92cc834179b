import { decode, encode } from '@msgpack/msgpack';
import type { SyncView } from '../cornerstone';

/** docs/readout-protocol.md: every message is a MessagePack array [type, ...fields]. */
export const ClientType = { SIGNAL: 16, FLOOR_REQUEST: 17, FLOOR_RELEASE: 18, FLOOR_HAND_OVER: 19, CHAT: 20, WORKLIST_GOTO: 21, STATUS: 22, SNAPSHOT: 23 } as const;
export const ServerType = { WELCOME: 1, ROSTER: 2, SIGNAL: 3, FLOOR: 4, CHAT: 5, WORKLIST: 6, ERROR: 8, TOPOLOGY: 9 } as const;
/** BATCH comes only from the server's relay: [3, from, ...whole VIEW/POINTER arrays]. */
export const PeerType = { VIEW: 1, POINTER: 2, BATCH: 3 } as const;
/** The peer id of the server's data relay in SIGNAL messages (2^31 - 1; real peers count from 1). */
export const RELAY_PEER = 0x7fffffff;
/** How view data travels: peer to peer, or through the server's relay (audio stays on the mesh). */
export type Topology = 'mesh' | 'relay';
export const SignalKind = { OFFER: 1, ANSWER: 2, CANDIDATE: 3 } as const;

export interface IceServerMsg { urls: string[]; username?: string; credential?: string }
export interface WorklistItem { source: string; studyInstanceUid: string; label: string }
export interface Peer { id: number; name: string; role: string; worklistIndex: number; ready: boolean; following: boolean; muted: boolean }
export interface FloorMsg { epoch: number; holder: number; requests: number[] }
export interface ChatMsg { seq: number; from: number; name: string; time: number; text: string }

/**
 * The view fields of a VIEW message: the viewer's screen-independent view (one definition, in the cornerstone
 * extension; a type-only import, so no Cornerstone code comes with it) plus the worklist position.
 */
export interface ViewFields extends SyncView {
  worklistIndex: number;
}
export interface ViewMsg { seq: number; baseSeq: number; mask: number; fields: Partial<ViewFields> }

/** Mask bits and the fields each carries. */
export const VIEW_GROUPS: readonly (readonly (keyof ViewFields)[])[] = [
  ['worklistIndex'], ['seriesUid'], ['imageIndex'], ['voiLower', 'voiUpper'], ['scale'], ['panX', 'panY'],
  ['crosshair', 'crosshairX', 'crosshairY'], ['cine', 'cineFps'], ['smoothing'],
];
export const VIEW_ALL = (1 << VIEW_GROUPS.length) - 1;

export type ServerMsg =
  | { type: 'welcome'; you: number; readoutId: string; role: string; iceServers: IceServerMsg[]; worklist: WorklistItem[]; worklistIndex: number; floor: FloorMsg; chat: ChatMsg[]; snapshot: ViewMsg | null }
  | { type: 'roster'; peers: Peer[] }
  | { type: 'signal'; from: number; kind: number; payload: string }
  | ({ type: 'floor' } & FloorMsg)
  | ({ type: 'chat' } & ChatMsg)
  | { type: 'worklist'; index: number }
  | { type: 'error'; code: string; message: string }
  | { type: 'topology'; mode: Topology; epoch: number };

const floorOf = (a: unknown[]): FloorMsg => ({ epoch: Number(a[1]), holder: Number(a[2]), requests: (a[3] as number[]).map(Number) });
const chatOf = (a: unknown[]): ChatMsg => ({ seq: Number(a[1]), from: Number(a[2]), name: String(a[3]), time: Number(a[4]), text: String(a[5]) });

export function decodeServer(bytes: Uint8Array): ServerMsg {
  const a = decode(bytes) as unknown[];
  if (!Array.isArray(a)) throw new Error('not an array');
  switch (a[0]) {
    case ServerType.WELCOME:
      return {
        type: 'welcome', you: Number(a[1]), readoutId: String(a[2]), role: String(a[3]),
        iceServers: (a[4] as unknown[][]).map((s) => ({ urls: s[0] as string[], username: (s[1] as string | null) ?? undefined, credential: (s[2] as string | null) ?? undefined })),
        worklist: (a[5] as string[][]).map((w) => ({ source: w[0]!, studyInstanceUid: w[1]!, label: w[2]! })),
        worklistIndex: Number(a[6]), floor: floorOf(a[7] as unknown[]), chat: (a[8] as unknown[][]).map(chatOf),
        snapshot: a[9] == null ? null : decodeView(a[9] as Uint8Array),
      };
    case ServerType.ROSTER:
      return { type: 'roster', peers: (a[1] as unknown[][]).map((p) => ({ id: Number(p[0]), name: String(p[1]), role: String(p[2]), worklistIndex: Number(p[3]), ready: !!p[4], following: !!p[5], muted: !!p[6] })) };
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
      if (a[1] !== 0 && a[1] !== 1) throw new Error(`unknown topology ${String(a[1])}`);
      return { type: 'topology', mode: a[1] === 1 ? 'relay' : 'mesh', epoch: Number(a[2]) };
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
  status: (index: number, ready: boolean, following: boolean, muted: boolean) => encode([ClientType.STATUS, index, ready, following, muted]),
  snapshot: (view: Uint8Array) => encode([ClientType.SNAPSHOT, view]),
};

/** [1, seq, baseDelta, mask, ...fields of the set bits]. */
export function encodeView(seq: number, baseSeq: number, mask: number, v: ViewFields): Uint8Array {
  const out: unknown[] = [PeerType.VIEW, seq, seq - baseSeq, mask];
  VIEW_GROUPS.forEach((group, bit) => {
    if (mask & (1 << bit)) for (const k of group) out.push(v[k]);
  });
  return encode(out);
}

export function decodeView(bytes: Uint8Array): ViewMsg {
  return viewOf(decode(bytes));
}

function viewOf(a: unknown): ViewMsg {
  if (!Array.isArray(a) || a[0] !== PeerType.VIEW) throw new Error('not a VIEW');
  const seq = Number(a[1]);
  const mask = Number(a[3]);
  const fields: Record<string, unknown> = {};
  let i = 4;
  VIEW_GROUPS.forEach((group, bit) => {
    if (mask & (1 << bit)) for (const k of group) fields[k] = a[i++];
  });
  if (i !== a.length) throw new Error('VIEW field count');
  return { seq, baseSeq: seq - Number(a[2]), mask, fields: fields as Partial<ViewFields> };
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

export type PeerMsg = { type: 'view'; view: ViewMsg } | { type: 'pointer'; seq: number; visible: boolean; x: number; y: number };

export function decodePeer(bytes: Uint8Array): PeerMsg {
  return peerOf(decode(bytes));
}

function peerOf(a: unknown): PeerMsg {
  if (Array.isArray(a) && a[0] === PeerType.POINTER && a.length === 5) {
    return { type: 'pointer', seq: Number(a[1]), visible: !!a[2], x: Number(a[3]), y: Number(a[4]) };
  }
  return { type: 'view', view: viewOf(a) };
}

/** [3, from, m1, m2?, m3?]: one tick of the driver's messages, forwarded by the relay (docs/readout-protocol.md, "Relay"). */
export function decodeBatch(bytes: Uint8Array): { from: number; messages: PeerMsg[] } {
  const a = decode(bytes) as unknown[];
  if (!Array.isArray(a) || a[0] !== PeerType.BATCH || a.length < 3 || a.length > 5) throw new Error('not a BATCH');
  const from = Number(a[1]);
  if (!Number.isInteger(from) || from < 1) throw new Error('BATCH sender');
  return { from, messages: a.slice(2).map(peerOf) };
}
