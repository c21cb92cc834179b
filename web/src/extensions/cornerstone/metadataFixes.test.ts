import { describe, expect, it } from 'vitest';
import { adaptForLoader, paletteValues } from './metadataFixes';

const b64 = (bytes: number[]) => btoa(String.fromCharCode(...bytes));

describe('adaptForLoader', () => {
  it('turns InlineBinary palette data into little-endian 16-bit values', () => {
    const ds = {
      '00281101': { vr: 'US', Value: [3, 0, 16] },
      '00281201': { vr: 'OW', InlineBinary: b64([0x00, 0x00, 0x02, 0x01, 0xff, 0xff]) },
    };
    const out = adaptForLoader(ds);
    expect(out['00281201'].Value).toEqual([0, 0x0102, 0xffff]);
    expect(ds['00281201']).not.toHaveProperty('Value');
  });
  it('drops a window narrower than 1 and keeps valid ones', () => {
    const mr = { '00080060': { vr: 'CS', Value: ['MR'] } };
    const bad = { ...mr, '00281050': { vr: 'DS', Value: [0] }, '00281051': { vr: 'DS', Value: [0] } };
    expect(adaptForLoader(bad)).toEqual(mr);
    const good = { ...mr, '00281050': { vr: 'DS', Value: [40] }, '00281051': { vr: 'DS', Value: [80] } };
    expect(adaptForLoader(good)).toBe(good);
  });

  it('gives an image without Modality the modality OT, and leaves one with a modality alone', () => {
    expect(adaptForLoader({})['00080060']).toEqual({ vr: 'CS', Value: ['OT'] });
    const ct = { '00080060': { vr: 'CS', Value: ['CT'] } };
    expect(adaptForLoader(ct)).toBe(ct);
  });
});

describe('paletteValues', () => {
  it('reads packed 8-bit LUTs as bytes', () => {
    expect(paletteValues({ vr: 'OW', InlineBinary: b64([1, 2, 3, 4]) }, [4, 0, 8])).toEqual([1, 2, 3, 4]);
  });
});
