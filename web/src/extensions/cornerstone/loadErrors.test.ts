import { describe, expect, it } from 'vitest';
import type { StackEntry } from './imageIds';
import { describeLoadError, reasonOf, summarize } from './loadErrors';

const entry: StackEntry = {
  imageId: 'wadors:x',
  sopInstanceUid: '1.2.3',
  frame: 2,
  numberOfFrames: 10,
  instance: {
    '00200011': { vr: 'IS', Value: [4] },
    '0008103E': { vr: 'LO', Value: ['ECHO'] },
    '00020010': { vr: 'UI', Value: ['1.2.840.10008.1.2.5'] },
  },
};

describe('loadErrors', () => {
  it('names an HTTP failure by its status', () => {
    expect(reasonOf({ status: 404, statusText: 'Not Found' })).toBe('HTTP 404 (Not Found)');
    expect(reasonOf({ error: { status: 503 } })).toBe('HTTP 503');
  });

  it('keeps the watchdog text', () => {
    expect(reasonOf(new Error('not loaded after 20 s'))).toBe('not loaded after 20 s');
  });

  it('never passes a decoder exception text on to the user', () => {
    const message = describeLoadError(entry, 1, 10, new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(message).toBe(
      'Image 2/10 (SOP Instance 1.2.3, frame 2, series 4 "ECHO") could not be shown: its pixel data could not be' +
        ' decoded or displayed (RLE Lossless); the file may be damaged or use a variant the viewer does not read.',
    );
    expect(message).not.toContain('Cannot read');
  });

  it('summarizes several failures by the first one', () => {
    expect(summarize([])).toBeNull();
    expect(summarize(['a'])).toBe('a');
    expect(summarize(['a', 'b', 'c'])).toBe('a (2 more images failed)');
  });
});
