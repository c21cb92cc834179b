import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodePeer } from './codec';
import { Telepointer } from './pointer';
import { initialState } from './state';
import { FakeViewer } from './testFakes';

describe('Telepointer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setUp(me: number, holder: number) {
    const state = initialState();
    state.me = me;
    state.floor = { epoch: 1, holder, requests: [] };
    const viewer = new FakeViewer();
    const data = { connected: true, sent: [] as unknown[], sendData: (b: Uint8Array) => data.sent.push(decodePeer(b)) };
    const changed = vi.fn();
    const pointer = new Telepointer(state, viewer.asSyncViewer, data, changed, (fn) => void setTimeout(fn, 16));
    return { state, viewer, data, changed, pointer };
  }

  it('the driver sends its pointer in image fractions, the latest of each frame; leaving the image hides it', () => {
    const { viewer, data, pointer } = setUp(1, 1);
    viewer.element.dispatch('pointermove', { clientX: 30, clientY: 70 });
    viewer.element.dispatch('pointermove', { clientX: 60, clientY: 45 });
    vi.advanceTimersByTime(16);
    viewer.element.dispatch('pointerleave');
    vi.advanceTimersByTime(16);
    expect(data.sent).toEqual([
      { type: 'pointer', seq: 1, visible: true, x: 0.5, y: 0.25 },
      { type: 'pointer', seq: 2, visible: false, x: 0, y: 0 },
    ]);
    pointer.close();
    viewer.element.dispatch('pointermove', { clientX: 30, clientY: 70 });
    vi.advanceTimersByTime(16);
    expect(data.sent).toHaveLength(2);
  });

  it('a follower sends nothing and shows the latest pointer of the driver; an older one is dropped', () => {
    const { viewer, data, state, pointer, changed } = setUp(2, 1);
    viewer.element.dispatch('pointermove', { clientX: 30, clientY: 70 });
    vi.advanceTimersByTime(16);
    expect(data.sent).toEqual([]);
    pointer.receive(1, { type: 'pointer', seq: 7, visible: true, x: 0.1, y: 0.2 });
    pointer.receive(1, { type: 'pointer', seq: 6, visible: true, x: 0.9, y: 0.9 });
    expect(state.pointer).toEqual({ visible: true, x: 0.1, y: 0.2 });
    expect(changed).toHaveBeenCalledTimes(1);
    // A new driver counts from 1 again.
    pointer.hide();
    expect(state.pointer.visible).toBe(false);
    pointer.receive(3, { type: 'pointer', seq: 1, visible: true, x: 0.3, y: 0.3 });
    expect(state.pointer).toEqual({ visible: true, x: 0.3, y: 0.3 });
  });
});
