import { describe, expect, it } from 'vitest';
import { buildStack, wadorsImageId } from './imageIds';

describe('imageIds', () => {
  it('builds wadors imageIds under /dicomweb/{source}', () => {
    expect(wadorsImageId('local', '1.2', '1.2.3', '1.2.3.4', 1)).toBe(
      'wadors:/dicomweb/local/studies/1.2/series/1.2.3/instances/1.2.3.4/frames/1',
    );
  });
  it('gives one entry per frame of multi-frame instances', () => {
    const single = { '00080018': { vr: 'UI', Value: ['9.1'] } };
    const multi = { '00080018': { vr: 'UI', Value: ['9.2'] }, '00280008': { vr: 'IS', Value: ['3'] } };
    const stack = buildStack('s', 'st', 'se', [single, multi, {}]);
    expect(stack.map((e) => e.imageId.split('/instances/')[1])).toEqual([
      '9.1/frames/1',
      '9.2/frames/1',
      '9.2/frames/2',
      '9.2/frames/3',
    ]);
    expect(stack[2].numberOfFrames).toBe(3);
  });
});
