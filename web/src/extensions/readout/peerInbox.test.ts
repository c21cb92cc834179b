import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encode } from '@msgpack/msgpack';
import { encodePointer, encodeView, RELAY_PEER, VIEW_ALL } from './codec';
import { PeerInbox } from './peerInbox';
import { PeerRefusals } from './peerRefusals';
import { initialState } from './state';
import { viewOf } from './testFakes';

const VIEW = encodeView(5, 5, VIEW_ALL, { worklistIndex: 0, ...viewOf(2) });

describe('PeerInbox', () => {
  beforeEach(() => vi.spyOn(console, 'warn').mockImplementation(() => undefined));
  afterEach(() => vi.restoreAllMocks());

  function setUp(me: number, holder: number) {
    const state = initialState();
    state.me = me;
    state.floor = { epoch: 1, holder, requests: [] };
    const refusals = new PeerRefusals();
    const got: string[] = [];
    const inbox = new PeerInbox(state, refusals, {
      view: (from, v) => got.push(`view ${from} ${v.seq}`),
      pointer: (from, p) => got.push(`pointer ${from} ${p.seq}`),
    });
    return { inbox, refusals, got };
  }

  it("passes on the floor holder's VIEW and POINTER, from its channel or a relay batch", () => {
    const { inbox, got, refusals } = setUp(2, 1);
    inbox.fromPeer(1, VIEW);
    inbox.fromPeer(1, encodePointer(3, true, 0.5, 0.5));
    inbox.fromRelay(encode([3, 1, [1, 6, 0, 0], [2, 4, false, 0, 0]]));
    expect(got).toEqual(['view 1 5', 'pointer 1 3', 'view 1 6', 'pointer 1 4']);
    expect(refusals.count).toBe(0);
  });

  it('refuses malformed input and anyone but the holder, and a driver follows nobody', () => {
    const { inbox, got, refusals } = setUp(2, 1);
    inbox.fromPeer(3, VIEW);
    inbox.fromPeer(1, encode([1, 5]));
    inbox.fromRelay(encode([3, 1, [9]]));
    inbox.fromRelay(encode([3, 3, [1, 6, 0, 0]]));
    expect(got).toEqual([]);
    expect(refusals.recent.map((r) => [r.from, r.reason])).toEqual([
      [3, 'not-driver'],
      [1, 'malformed'],
      [RELAY_PEER, 'malformed'],
      [3, 'not-driver'],
    ]);
    expect(refusals.recent[3].detail).toBe('VIEW from peer 3 through the relay; peer 1 drives');

    const driver = setUp(1, 1);
    driver.inbox.fromPeer(1, VIEW);
    expect(driver.got).toEqual([]);
    expect(driver.refusals.count).toBe(0);
  });
});
