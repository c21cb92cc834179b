import { describe, expect, it } from 'vitest';
import { decideRendering, parseRenderingChoice, renderingChoice, RENDERING_KEY } from './rendering';

const storage = (value: string | null): Pick<Storage, 'getItem'> => ({
  getItem: (k: string) => (k === RENDERING_KEY ? value : null),
});
const swiftShader = {
  webgl: true,
  softwareRasterizer: true,
  renderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)',
};
const gpu = { webgl: true, softwareRasterizer: false, renderer: 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060)' };

describe('rendering choice', () => {
  it('takes the URL parameter over the stored choice, and the stored one over auto', () => {
    expect(renderingChoice('?rendering=gpu', storage('cpu'))).toBe('gpu');
    expect(renderingChoice('', storage('cpu'))).toBe('cpu');
    expect(renderingChoice('?other=1', storage(null))).toBe('auto');
  });

  it('ignores garbage in either place', () => {
    expect(parseRenderingChoice('CPU ')).toBe('cpu');
    expect(parseRenderingChoice('webgl')).toBeUndefined();
    expect(parseRenderingChoice('')).toBeUndefined();
    expect(renderingChoice('?rendering=%00%ff', storage('<script>'))).toBe('auto');
    expect(renderingChoice('?rendering=fast', storage('gpu'))).toBe('gpu');
  });

  it('falls back to auto when storage is denied', () => {
    const denied = {
      getItem: (): string | null => {
        throw new DOMException('denied', 'SecurityError');
      },
    };
    expect(renderingChoice('', denied)).toBe('auto');
  });
});

describe('decideRendering', () => {
  it('auto draws on the CPU in a software rasterizer and with WebGL on a GPU', () => {
    const software = decideRendering('auto', swiftShader);
    expect(software.cpu).toBe(true);
    expect(software.reason).toContain('SwiftShader');
    expect(decideRendering('auto', gpu).cpu).toBe(false);
  });

  it('obeys a forced choice, except that WebGL cannot be forced where there is none', () => {
    expect(decideRendering('gpu', swiftShader).cpu).toBe(false);
    expect(decideRendering('cpu', gpu).cpu).toBe(true);
    expect(decideRendering('gpu', { webgl: false, softwareRasterizer: false, renderer: '' })).toMatchObject({
      cpu: true,
      reason: 'no WebGL',
    });
  });
});
