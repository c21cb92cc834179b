import { describe, expect, it } from 'vitest';
import { needsPolling, pollDelay } from './recordingPanels';
import { parseClock } from './playerView';

const job = (state: string) => ({
  id: '1',
  kind: 'transcode',
  state,
  progress: null,
  stage: null,
  message: null,
  attempts: 1,
  createdAt: null,
  finishedAt: null,
});

describe('job polling', () => {
  it('polls while a job is queued or running, or the recording is not settled', () => {
    expect(needsPolling({ status: 'ready', jobs: [job('running')] })).toBe(true);
    expect(needsPolling({ status: 'ready', jobs: [job('queued')] })).toBe(true);
    expect(needsPolling({ status: 'processing', jobs: [] })).toBe(true);
    expect(needsPolling({ status: 'uploaded', jobs: [job('done')] })).toBe(true);
    expect(needsPolling({ status: 'ready', jobs: [job('done'), job('failed')] })).toBe(false);
    expect(needsPolling({ status: 'failed', jobs: [job('failed')] })).toBe(false);
  });

  it('backs off from 1 s to 10 s while nothing changes', () => {
    expect([0, 1, 2, 3, 4, 5, 50].map(pollDelay)).toEqual([1000, 2000, 4000, 8000, 10000, 10000, 10000]);
  });
});

describe('parseClock', () => {
  it('reads seconds, m:ss and h:mm:ss', () => {
    expect(parseClock('4')).toBe(4);
    expect(parseClock(' 4.5 ')).toBe(4.5);
    expect(parseClock('1:05')).toBe(65);
    expect(parseClock('1:02:03')).toBe(3723);
  });

  it('refuses what is not a time', () => {
    for (const bad of ['', 'abc', '1:60', '1:5', '-3', '1:75:00']) expect(parseClock(bad), bad).toBeUndefined();
  });
});
