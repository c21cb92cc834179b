import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Cine } from './cine';

describe('Cine', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('steps at the chosen rate while playing, and not after stop', () => {
    const step = vi.fn();
    const cine = new Cine(step);
    cine.setFps(20);
    cine.play();
    vi.advanceTimersByTime(1000);
    expect(step).toHaveBeenCalledTimes(20);
    cine.stop();
    vi.advanceTimersByTime(1000);
    expect(step).toHaveBeenCalledTimes(20);
    expect(cine.playing).toBe(false);
  });

  it('changes the rate of a playing cine at once, within 1 to 60 (10 for nonsense)', () => {
    const step = vi.fn();
    const cine = new Cine(step);
    cine.play();
    cine.setFps(5);
    vi.advanceTimersByTime(1000);
    expect(step).toHaveBeenCalledTimes(5);
    cine.setFps(500);
    expect(cine.fps).toBe(60);
    cine.setFps(0);
    expect(cine.fps).toBe(10);
    cine.setFps(-3);
    expect(cine.fps).toBe(1);
    cine.stop();
  });
});
