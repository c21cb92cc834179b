import { describe, expect, it } from 'vitest';
import { ageMs, SyncController } from './sync';

/** The RTV timestamp (90 kHz TAI modulo 2^32) of wall time `ms` (UTC), as the devices stamp. */
function rtvAt(ms: number): number {
  return ((ms + 37_000) * 90) % 2 ** 32;
}

describe('ageMs', () => {
  const now = Date.UTC(2026, 11, 6, 23, 30, 0, 0);

  it('is display time minus the alignment point on the same clock', () => {
    expect(ageMs(rtvAt(now - 85), now)).toBeCloseTo(85, 6);
    expect(ageMs(rtvAt(now), now)).toBe(0);
  });

  it('unwraps across the 32-bit wrap and gives a small negative age for a clock slightly behind', () => {
    const wrapAt = Math.ceil((2 ** 32 * 40) / 90) - 37_000; // a wall time whose timestamp has just wrapped
    expect(rtvAt(wrapAt - 50)).toBeGreaterThan(2 ** 32 - 90 * 60);
    expect(ageMs(rtvAt(wrapAt - 50), wrapAt)).toBeCloseTo(50, 6);
    expect(ageMs(rtvAt(now + 20), now)).toBeCloseTo(-20, 6);
  });
});

describe('SyncController', () => {
  it('holds back the flow that runs ahead by the difference, and the other not at all', () => {
    const c = new SyncController<string>();
    for (let i = 0; i < 10; i++) {
      c.sample('endoscope', 120 + (i % 3));
      c.sample('room', 60 + (i % 3));
    }
    expect(c.spread()).toBe(60);
    const holds = c.step();
    expect(holds.get('endoscope')).toBe(0);
    expect(holds.get('room')).toBe(60);
  });

  it('converges: once the held flow shows the same age, the holds stay', () => {
    const c = new SyncController<string>();
    // The receivers add the hold to each flow's age: a simulated pair of flows, 70 ms apart at first.
    const base = { a: 150, b: 80 };
    let holds = new Map<string, number>();
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 10; i++) {
        c.sample('a', base.a + (holds.get('a') ?? 0) + (i % 2) * 4);
        c.sample('b', base.b + (holds.get('b') ?? 0) + (i % 2) * 4);
      }
      holds = c.step();
    }
    expect(holds.get('a')).toBe(0);
    expect(holds.get('b')).toBe(70);
    for (let i = 0; i < 10; i++) {
      c.sample('a', base.a + (i % 2) * 4);
      c.sample('b', base.b + 70 + (i % 2) * 4);
    }
    expect(c.spread()).toBe(0);
  });

  it('ignores differences under a frame-ish deadband and never holds negative or beyond 4 s', () => {
    const c = new SyncController<string>();
    for (let i = 0; i < 5; i++) {
      c.sample('a', 100);
      c.sample('b', 92);
    }
    expect([...c.step().values()]).toEqual([0, 0]);
    for (let i = 0; i < 5; i++) {
      c.sample('a', 9000);
      c.sample('b', 0);
    }
    expect(c.step().get('b')).toBe(4000);
  });

  it('does nothing with one flow', () => {
    const c = new SyncController<string>();
    c.sample('a', 100);
    expect(c.step().get('a')).toBe(0);
    expect(c.spread()).toBe(0);
  });
});
