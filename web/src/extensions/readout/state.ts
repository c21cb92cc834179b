import type { AudioPath, ChatMsg, FloorMsg, Peer, Topology, WorklistItem } from './codec';

/** What the panel shows of a readout; each unit of the session writes its own fields (named on the unit). */
export interface SessionState {
  connection: 'connecting' | 'connected' | 'reconnecting' | 'closed';
  me: number;
  role: string;
  peers: Peer[];
  floor: FloorMsg;
  worklist: WorklistItem[];
  worklistIndex: number;
  loadedIndex: number;
  ready: boolean;
  following: boolean;
  muted: boolean;
  chat: ChatMsg[];
  speaking: Set<number>;
  lastError: string;
  appliedSeq: number;
  sentSeq: number;
  pointer: { visible: boolean; x: number; y: number };
  /** How view data travels now (the server decides by group size). */
  topology: Topology;
  /** How audio travels, as the server's TOPOLOGY says: on the mesh, or in relay mode through the server's SFU. */
  audioPath: AudioPath;
  /** The epoch of the last TOPOLOGY; 0 before the first change. */
  topologyEpoch: number;
  /** Switches seen while connected (not the topology found on joining): the panel shows a brief notice for each. */
  topologySwitches: number;
}

export function initialState(): SessionState {
  return {
    connection: 'connecting',
    me: 0,
    role: '',
    peers: [],
    floor: { epoch: 0, holder: 0, requests: [] },
    worklist: [],
    worklistIndex: 0,
    loadedIndex: -1,
    ready: false,
    following: true,
    muted: false,
    chat: [],
    speaking: new Set(),
    lastError: '',
    appliedSeq: -1,
    sentSeq: -1,
    pointer: { visible: false, x: 0, y: 0 },
    topology: 'mesh',
    audioPath: 'mesh',
    topologyEpoch: 0,
    topologySwitches: 0,
  };
}

/** Whether this participant holds the floor. */
export function isDriver(s: SessionState): boolean {
  return s.me !== 0 && s.floor.holder === s.me;
}
