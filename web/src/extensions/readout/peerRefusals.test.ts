import { afterEach, describe, expect, it, vi } from 'vitest';
import { PeerRefusals } from './peerRefusals';

describe('PeerRefusals', () => {
  afterEach(() => vi.restoreAllMocks());

  it('counts every refusal, keeps the last 100 and warns with the reason', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    let now = 0;
    const r = new PeerRefusals(() => now);
    for (let i = 0; i < 150; i++) {
      r.record({ from: 2, reason: 'not-driver', detail: `#${i}` });
      now += 200; // 5 a second: each one logged
    }
    expect(r.count).toBe(150);
    expect(r.recent).toHaveLength(100);
    expect(r.recent[0].detail).toBe('#50');
    expect(warn).toHaveBeenCalledTimes(150);
    expect(warn).toHaveBeenLastCalledWith('readout: refused a data-channel message from peer 2: not-driver (#149)');
  });

  it('logs at most 10 a second and then says how many it left out', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    let now = 0;
    const r = new PeerRefusals(() => now);
    for (let i = 0; i < 500; i++) r.record({ from: 3, reason: 'malformed', detail: 'x' });
    expect(r.count).toBe(500);
    expect(warn).toHaveBeenCalledTimes(10);
    now = 1000;
    r.record({ from: 3, reason: 'too-large', detail: '5000 bytes' });
    expect(warn).toHaveBeenNthCalledWith(11, 'readout: 490 more data-channel messages refused');
    expect(warn).toHaveBeenNthCalledWith(
      12,
      'readout: refused a data-channel message from peer 3: too-large (5000 bytes)',
    );
  });
});
