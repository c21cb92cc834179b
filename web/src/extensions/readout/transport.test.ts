import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decode } from '@msgpack/msgpack';
import { ClientType, MAX_RELAY_MESSAGE_BYTES, RELAY_PEER, SignalKind, type Topology, type AudioPath } from './codec';
import { initialState, type SessionState } from './state';
import { FakeParts } from './testFakes';
import { Transport, type TransportEvents } from './transport';

const MIC = { kind: 'audio' } as MediaStreamTrack;

function topology(mode: Topology, epoch: number, audio: AudioPath) {
  return { type: 'topology' as const, mode, epoch, audio };
}

/** Participant `me` of peers 1..n, welcomed, its ROSTER seen, every mesh channel open. */
async function joined(me = 3, n = 3, mic: MediaStreamTrack | null = MIC) {
  const state: SessionState = initialState();
  state.me = me;
  state.peers = Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    name: `p${i + 1}`,
    role: 'resident',
    worklistIndex: 0,
    ready: true,
    following: true,
    muted: false,
    guest: false,
  }));
  const parts = new FakeParts();
  const sent: unknown[][] = [];
  const events = {
    peerMessage: vi.fn(),
    relayBatch: vi.fn(),
    refused: vi.fn(),
    channelOpen: vi.fn(),
    changed: vi.fn(),
  } satisfies TransportEvents;
  const t = new Transport(state, (b) => sent.push(decode(b) as unknown[]), events, parts);
  t.microphone = mic ?? undefined;
  await t.welcome([]);
  t.topology(topology('mesh', 0, 'mesh'));
  t.roster();
  const mesh = parts.made[0];
  for (const p of mesh.peers()) mesh.open(p);
  return { state, parts, sent, events, t, mesh };
}

describe('Transport', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('on the mesh: offers to every lower peer id and sends view data to every peer', async () => {
    const { t, mesh, parts } = await joined(3);
    expect(mesh.offers).toEqual([1, 2]);
    expect(mesh.mic).toBe(MIC);
    t.sendData(Uint8Array.of(1));
    expect(mesh.sent).toHaveLength(1);
    expect(parts.made).toHaveLength(1);
    expect(parts.sfus).toHaveLength(0);
  });

  it('mesh to relay with the SFU: make before break, the mesh goes once the relay and the SFU carry everything', async () => {
    const { t, mesh, parts, state, events, sent } = await joined(3);
    t.topology(topology('relay', 1, 'sfu'));
    expect(state).toMatchObject({ topology: 'relay', audioPath: 'sfu', topologyEpoch: 1, topologySwitches: 1 });
    const relay = parts.made[1];
    expect(relay.maxMessageBytes).toBe(MAX_RELAY_MESSAGE_BYTES);
    expect(relay.mic).toBeUndefined();
    expect(relay.offers).toEqual([RELAY_PEER]);
    const sfu = parts.sfus[0];
    expect(sfu.startedMuted).toBe(false);
    expect(sfu.mic).toBe(MIC);

    // While the relay channel opens, view data still goes on the mesh, and the mesh still carries the microphone.
    t.sendData(Uint8Array.of(1));
    expect(mesh.sent).toHaveLength(1);
    expect(mesh.sendAudio).toBe(true);
    relay.open(RELAY_PEER);
    expect(events.channelOpen).toHaveBeenCalled();
    expect(mesh.peers()).toEqual([1, 2]); // our microphone is not on the SFU yet
    t.sendData(Uint8Array.of(2));
    expect(relay.sent).toHaveLength(1);
    expect(mesh.sent).toHaveLength(1);

    sfu.publish();
    expect(mesh.sendAudio).toBe(false);
    expect(mesh.peers()).toEqual([]);

    // No mesh in relay mode with the SFU: a mesh offer is a leftover and is not answered; the relay's answer is.
    await t.signal({ type: 'signal', from: 1, kind: SignalKind.OFFER, payload: 'v=0' });
    expect(mesh.signals).toEqual([]);
    await t.signal({ type: 'signal', from: RELAY_PEER, kind: SignalKind.ANSWER, payload: 'v=0' });
    expect(relay.signals).toEqual([{ from: RELAY_PEER, kind: SignalKind.ANSWER }]);
    // AUDIO from the SFU reaches the SFU connections; ours goes out as our own feed.
    await t.audio({ type: 'audio', leg: 2, kind: SignalKind.OFFER, payload: 'v=0', streams: [{ mid: '0', feed: 1 }] });
    expect(sfu.audio).toEqual([{ leg: 2, kind: SignalKind.OFFER, streams: [{ mid: '0', feed: 1 }] }]);
    sfu.handlers.send(1, SignalKind.OFFER, 'v=0');
    expect(sent.at(-1)).toEqual([ClientType.AUDIO, 1, SignalKind.OFFER, 3, 'v=0']);
  });

  it('without a microphone the mesh carries no audio in relay mode and goes as soon as the relay opens', async () => {
    const { t, mesh, parts } = await joined(3, 3, null);
    t.topology(topology('relay', 1, 'sfu'));
    expect(mesh.sendAudio).toBe(false);
    parts.made[1].open(RELAY_PEER);
    expect(mesh.peers()).toEqual([]);
  });

  it('mixed audio: the SFU connections give way to one mixed connection, the relay and the dropped mesh stay as they are', async () => {
    const { t, mesh, parts, state } = await joined(3);
    t.topology(topology('relay', 1, 'sfu'));
    const relay = parts.made[1];
    relay.open(RELAY_PEER);
    parts.sfus[0].publish();
    expect(mesh.peers()).toEqual([]);

    t.topology(topology('relay', 2, 'mix'));
    expect(parts.sfus[0].closed).toBe(true);
    expect(parts.sfus).toHaveLength(2);
    expect(parts.sfus[1]).toMatchObject({ mixed: true, mic: MIC, startedMuted: false });
    expect(state).toMatchObject({ topology: 'relay', audioPath: 'mix', topologyEpoch: 2 });
    expect(parts.made).toHaveLength(2);
    expect(mesh.offers).toEqual([1, 2]); // no mesh made anew
    t.topology(topology('relay', 2, 'mix'));
    expect(parts.sfus).toHaveLength(2);
  });

  it('relay without an SFU room: audio stays on the mesh, which stays up and answers offers', async () => {
    const { t, mesh, parts, state } = await joined(3);
    t.topology(topology('relay', 1, 'mesh'));
    expect(parts.sfus).toHaveLength(0);
    expect(state.audioPath).toBe('mesh');
    parts.made[1].open(RELAY_PEER);
    expect(mesh.peers()).toEqual([1, 2]);
    expect(mesh.sendAudio).toBe(true);
    await t.signal({ type: 'signal', from: 2, kind: SignalKind.OFFER, payload: 'v=0' });
    expect(mesh.signals).toEqual([{ from: 2, kind: SignalKind.OFFER }]);
  });

  it('the SFU fails (TOPOLOGY relay, audio mesh): SFU connections close, the mesh is made anew, the relay stays', async () => {
    const { t, mesh, parts, state } = await joined(3);
    t.topology(topology('relay', 1, 'sfu'));
    const relay = parts.made[1];
    relay.open(RELAY_PEER);
    parts.sfus[0].publish();
    expect(mesh.peers()).toEqual([]);

    t.topology(topology('relay', 2, 'mesh'));
    expect(parts.sfus[0].closed).toBe(true);
    expect(state).toMatchObject({ topology: 'relay', audioPath: 'mesh', topologyEpoch: 2, topologySwitches: 1 });
    expect(mesh.sendAudio).toBe(true);
    expect(mesh.offers).toEqual([1, 2, 1, 2]);
    expect(parts.made).toHaveLength(2); // the same relay connection
    expect(relay.closed).toBe(0);
    t.sendData(Uint8Array.of(3));
    expect(relay.sent).toHaveLength(1);
  });

  it('relay back to the mesh: relay and SFU close, every pair is offered again by its higher id, audio on the mesh', async () => {
    const { t, mesh, parts, state } = await joined(2);
    t.topology(topology('relay', 1, 'sfu'));
    parts.made[1].open(RELAY_PEER);
    parts.sfus[0].publish();
    expect(mesh.peers()).toEqual([]);

    t.topology(topology('mesh', 2, 'mesh'));
    expect(parts.made[1].closed).toBe(1);
    expect(parts.sfus[0].closed).toBe(true);
    expect(state).toMatchObject({ topology: 'mesh', audioPath: 'mesh', topologySwitches: 2 });
    expect(mesh.offers).toEqual([1, 1]); // peer 3 offers to us
    expect(mesh.sendAudio).toBe(true);
    mesh.open(1);
    t.sendData(Uint8Array.of(4));
    expect(mesh.sent).toHaveLength(1);
  });

  it('a connection lost in the middle of a switch: everything closes, late events of the old one change nothing', async () => {
    const { t, mesh, parts, state, events } = await joined(3);
    t.topology(topology('relay', 1, 'sfu'));
    const [oldRelay, oldSfu] = [parts.made[1], parts.sfus[0]];

    t.disconnected();
    expect(t.connected).toBe(false);
    expect(oldRelay.closed).toBe(1);
    expect(oldSfu.closed).toBe(true);
    expect(mesh.peers()).toEqual([]);
    expect(state).toMatchObject({ topology: 'mesh', audioPath: 'mesh' });

    // The old relay fails and the old SFU connection comes up after all: no retry, no effect.
    oldRelay.links.set(RELAY_PEER, { open: false, failed: false });
    oldRelay.fail(RELAY_PEER);
    oldSfu.publish();
    vi.advanceTimersByTime(5000);
    expect(parts.made).toHaveLength(2);

    // The new connection finds the readout on the relay: fresh connections, no mesh, not counted as a switch.
    state.me = 5;
    await t.welcome([]);
    const newMesh = parts.made[2];
    t.topology(topology('relay', 1, 'sfu'));
    t.roster();
    expect(newMesh.offers).toEqual([]);
    expect(parts.made).toHaveLength(4);
    expect(parts.sfus).toHaveLength(2);
    expect(state.topologySwitches).toBe(1);
    t.sendData(Uint8Array.of(5));
    expect(newMesh.sent).toHaveLength(0);
    parts.made[3].open(RELAY_PEER);
    t.sendData(Uint8Array.of(6));
    expect(parts.made[3].sent).toHaveLength(1);
    expect(events.channelOpen).toHaveBeenCalled();
  });

  it('a failed relay connection is offered again a second later while relay mode lasts', async () => {
    const { t, parts } = await joined(3);
    t.topology(topology('relay', 1, 'mesh'));
    parts.made[1].fail(RELAY_PEER);
    vi.advanceTimersByTime(999);
    expect(parts.made).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(parts.made).toHaveLength(3);
    expect(parts.made[1].closed).toBe(1);
    expect(parts.made[2].offers).toEqual([RELAY_PEER]);

    parts.made[2].fail(RELAY_PEER);
    t.topology(topology('mesh', 2, 'mesh'));
    vi.advanceTimersByTime(2000);
    expect(parts.made).toHaveLength(3);
  });

  it('mute reaches the mesh and the SFU; an SFU started later starts muted', async () => {
    const { t, mesh, parts, state } = await joined(3);
    state.muted = true;
    await t.setMuted(true);
    expect(mesh.muted).toBe(true);
    t.topology(topology('relay', 1, 'sfu'));
    expect(parts.sfus[0].startedMuted).toBe(true);
    await t.setMuted(false);
    expect(parts.sfus[0].muted).toBe(false);
    expect(mesh.muted).toBe(false);
  });

  it('audio stats come from the path audio takes now', async () => {
    const { t } = await joined(3);
    expect([...(await t.audioStats()).keys()]).toEqual([1, 2]);
    t.topology(topology('relay', 1, 'sfu'));
    expect([...(await t.audioStats()).keys()]).toEqual([99]);
    t.topology(topology('relay', 2, 'mesh'));
    expect([...(await t.audioStats()).keys()]).toEqual([1, 2]); // the mesh, made anew
  });
});
