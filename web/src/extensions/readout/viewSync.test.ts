import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decode } from '@msgpack/msgpack';
import { ClientType, decodeView, encodeView, VIEW_ALL, type ViewFields, type ViewMsg } from './codec';
import { initialState, type SessionState } from './state';
import { FakeViewer, viewOf } from './testFakes';
import { ViewSync } from './viewSync';

const ITEMS = [
  { source: 'local', studyInstanceUid: '1.1', label: 'CT' },
  { source: 'local', studyInstanceUid: '1.2', label: 'MR' },
];

function setUp(me: number, holder: number) {
  const state: SessionState = initialState();
  Object.assign(state, { me, floor: { epoch: 1, holder, requests: [] }, worklist: ITEMS, loadedIndex: 0, ready: true });
  const viewer = new FakeViewer();
  const data = { connected: true, sent: [] as ViewMsg[], sendData: (b: Uint8Array) => data.sent.push(decodeView(b)) };
  const server: unknown[][] = [];
  const status: boolean[] = [];
  const loads: { index: number; seriesUid?: string; imageIndex?: number }[] = [];
  const sync = new ViewSync({
    state,
    viewer: viewer.asSyncViewer,
    loadStudy: (_item, index, seriesUid, imageIndex) => {
      loads.push({ index, seriesUid, imageIndex });
      viewer.currentSeries = seriesUid ?? '1.2.3';
      viewer.view = viewOf(imageIndex ?? 0, viewer.currentSeries);
      return Promise.resolve();
    },
    data,
    sendServer: (b) => server.push(decode(b) as unknown[]),
    sendStatus: () => status.push(state.following),
    changed: () => undefined,
    sent: () => undefined,
    applied: () => undefined,
    frame: (fn) => void setTimeout(fn, 16),
  });
  return { state, viewer, data, server, status, loads, sync };
}

/** A full VIEW of `view` at worklist entry `index`. */
function full(seq: number, view: Omit<ViewFields, 'worklistIndex'>, index = 0): ViewMsg {
  return decodeView(encodeView(seq, seq, VIEW_ALL, { worklistIndex: index, ...view }));
}

describe('ViewSync', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('driver: a full state, then deltas at most one a frame; the settled view repeated at 50 and 250 ms; a snapshot', () => {
    const { viewer, data, server, sync, state } = setUp(1, 1);
    viewer.changed();
    vi.advanceTimersByTime(16); // at once, or on the next frame if one just went
    expect(data.sent).toHaveLength(1);
    expect(data.sent[0]).toMatchObject({ seq: 1, baseSeq: 1, mask: VIEW_ALL });

    viewer.view = viewOf(5);
    viewer.changed();
    viewer.view = viewOf(6);
    viewer.changed();
    expect(data.sent).toHaveLength(1); // coalesced to the next frame
    vi.advanceTimersByTime(16);
    expect(data.sent).toHaveLength(2);
    expect(data.sent[1]).toMatchObject({ seq: 2, baseSeq: 1, mask: 1 << 2, fields: { imageIndex: 6 } });
    expect(state.sentSeq).toBe(2);
    expect(viewer.element.getAttribute('data-sync-seq')).toBe('2');

    vi.advanceTimersByTime(49);
    expect(data.sent).toHaveLength(2);
    vi.advanceTimersByTime(1); // 50 ms after the last change
    expect(data.sent[2]).toMatchObject({ seq: 3, baseSeq: 3, mask: VIEW_ALL, fields: { imageIndex: 6 } });
    vi.advanceTimersByTime(200);
    expect(data.sent[3]).toMatchObject({ seq: 4, baseSeq: 4, mask: VIEW_ALL });
    expect(data.sent).toHaveLength(4);
    expect(server).toHaveLength(1);
    expect(server[0][0]).toBe(ClientType.SNAPSHOT);
    expect(decodeView(server[0][1] as Uint8Array)).toMatchObject({ mask: VIEW_ALL, fields: { imageIndex: 6 } });

    vi.advanceTimersByTime(1000);
    expect(data.sent).toHaveLength(5); // the periodic full state
    sync.close();
  });

  it('sends nothing without a data path, before its study is loaded, or when it does not drive', () => {
    const { viewer, data, sync, state } = setUp(1, 1);
    data.connected = false;
    viewer.changed();
    vi.advanceTimersByTime(1100);
    data.connected = true;
    state.worklistIndex = 1; // WORKLIST moved on, study 1 not loaded yet
    viewer.changed();
    vi.advanceTimersByTime(1100);
    state.worklistIndex = 0;
    state.floor = { epoch: 2, holder: 2, requests: [] };
    viewer.changed();
    vi.advanceTimersByTime(1100);
    expect(data.sent).toEqual([]);
    state.floor = { epoch: 3, holder: 1, requests: [] };
    vi.advanceTimersByTime(1000);
    expect(data.sent).toHaveLength(1); // the periodic full state, now that it drives again
    sync.close();
  });

  it('follower: applies the latest VIEW; a delta applies only on the full state it names', () => {
    const { viewer, sync, state } = setUp(2, 1);
    sync.receive(1, full(10, viewOf(3)));
    expect(viewer.applied.at(-1)?.imageIndex).toBe(3);
    expect(state.appliedSeq).toBe(10);
    sync.receive(1, decodeView(encodeView(12, 11, 1 << 2, { worklistIndex: 0, ...viewOf(9) })));
    expect(viewer.applied).toHaveLength(1); // its base (11) never came
    sync.receive(1, decodeView(encodeView(13, 10, 1 << 2, { worklistIndex: 0, ...viewOf(8) })));
    expect(viewer.applied.at(-1)?.imageIndex).toBe(8);
    sync.receive(1, full(11, viewOf(1))); // older than the last applied
    expect(viewer.applied.at(-1)?.imageIndex).toBe(8);
    expect(viewer.element.getAttribute('data-sync-seq')).toBe('13');
    sync.close();
  });

  it('a follower that browses on its own is left alone until it snaps back to the latest view', () => {
    const { viewer, sync, state, status } = setUp(2, 1);
    sync.receive(1, full(1, viewOf(3)));
    viewer.root.dispatch('wheel', { isTrusted: false }); // a script's event is not the user
    expect(state.following).toBe(true);
    viewer.root.dispatch('wheel', { isTrusted: true });
    expect(state.following).toBe(false);
    expect(status).toEqual([false]);
    sync.receive(1, full(2, viewOf(7)));
    expect(viewer.applied.map((v) => v.imageIndex)).toEqual([3]);
    sync.setFollowing(true);
    expect(viewer.applied.map((v) => v.imageIndex)).toEqual([3, 7]);
    sync.close();
  });

  it("a follower loads the study and series of the driver's view first, then applies it", async () => {
    const { viewer, sync, state, loads, status } = setUp(2, 1);
    sync.receive(1, full(1, viewOf(4, '9.9'), 1));
    expect(loads).toEqual([{ index: 1, seriesUid: '9.9', imageIndex: 4 }]);
    expect(state.ready).toBe(false);
    expect(viewer.applied).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(state).toMatchObject({ loadedIndex: 1, ready: true });
    expect(status.length).toBeGreaterThanOrEqual(2);
    expect(viewer.applied.at(-1)).toMatchObject({ seriesUid: '9.9', imageIndex: 4 });
    sync.close();
  });

  it('FLOOR: a new driver drops the old base; the participant who gets the floor follows again and sends at once', () => {
    const { sync, state, data, viewer, status } = setUp(2, 1);
    sync.receive(1, full(1, viewOf(3)));
    state.following = false;
    sync.floor({ epoch: 2, holder: 3, requests: [] });
    sync.receive(3, decodeView(encodeView(2, 1, 1 << 2, { worklistIndex: 0, ...viewOf(9) })));
    expect(viewer.applied.map((v) => v.imageIndex)).toEqual([3]); // peer 3's delta is not on peer 1's full state

    sync.floor({ epoch: 3, holder: 2, requests: [] });
    expect(state.following).toBe(true);
    expect(status.at(-1)).toBe(true);
    expect(data.sent).toHaveLength(1);
    expect(data.sent[0].mask).toBe(VIEW_ALL);
    sync.close();
  });

  it("WELCOME with a snapshot: a late joiner loads the driver's series at its image", async () => {
    const { sync, state, loads, viewer } = setUp(2, 1);
    state.loadedIndex = -1;
    sync.welcome(1, full(40, viewOf(17, '5.5'), 1));
    await sync.loadWelcomed();
    expect(loads).toEqual([{ index: 1, seriesUid: '5.5', imageIndex: 17 }]);
    expect(viewer.applied.at(-1)).toMatchObject({ imageIndex: 17 });
    expect(state.appliedSeq).toBe(40);
    sync.close();
  });
});
