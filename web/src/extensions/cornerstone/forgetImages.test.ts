import { beforeEach, describe, expect, it, vi } from 'vitest';

const calls: string[] = [];
const pool = (name: string) => ({ clearRequestStack: (type: string) => calls.push(`${name}.clear:${type}`) });

vi.mock('@cornerstonejs/core', () => ({
  init: () => undefined,
  getRenderingCapabilities: () => ({ webgl: true, softwareRasterizer: true, renderer: 'SwiftShader' }),
  setUseCPURendering: (cpu: boolean) => calls.push(`cpu:${cpu}`),
  cache: { purgeCache: () => calls.push('cache.purge') },
  Enums: {
    RequestType: { Interaction: 'interaction', Thumbnail: 'thumbnail', Prefetch: 'prefetch', Compute: 'compute' },
  },
  imageLoadPoolManager: pool('load'),
  imageRetrievalPoolManager: pool('retrieval'),
}));
vi.mock('@cornerstonejs/tools', () => ({ init: () => undefined }));
vi.mock('@cornerstonejs/dicom-image-loader', () => ({
  init: () => undefined,
  wadors: { metaDataManager: { purge: () => calls.push('metadata.purge') } },
}));
vi.stubGlobal('navigator', { hardwareConcurrency: 2 });
vi.stubGlobal('window', { addEventListener: () => undefined, localStorage: { getItem: () => null } });
vi.stubGlobal('location', { search: '' });

describe('forgetImages', () => {
  beforeEach(() => {
    calls.length = 0;
  });

  it('touches nothing before Cornerstone was initialised', async () => {
    const { forgetImages } = await import('./init');
    await forgetImages();
    expect(calls).toEqual([]);
  });

  it('drops the decoded images, their metadata and queued requests of the user who logged out', async () => {
    const { forgetImages, initCornerstone } = await import('./init');
    await initCornerstone({ onUnauthorized: () => undefined });
    // A software rasterizer and no choice stored: the CPU path.
    expect(calls).toEqual(['cpu:true']);
    await forgetImages();
    expect(calls).toContain('cache.purge');
    expect(calls).toContain('metadata.purge');
    for (const type of ['interaction', 'thumbnail', 'prefetch', 'compute']) {
      expect(calls).toContain(`load.clear:${type}`);
      expect(calls).toContain(`retrieval.clear:${type}`);
    }
  });
});
