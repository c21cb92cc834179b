import { describe, expect, it } from 'vitest';
import type { DicomJsonDataset } from '../api/types';
import { sortInstances } from './instanceSort';

function inst(n: number, z?: number, iop = [1, 0, 0, 0, 1, 0]): DicomJsonDataset {
  const ds: DicomJsonDataset = { '00080018': { vr: 'UI', Value: [`1.${n}`] }, '00200013': { vr: 'IS', Value: [n] } };
  if (z !== undefined) {
    ds['00200032'] = { vr: 'DS', Value: [0, 0, z] };
    ds['00200037'] = { vr: 'DS', Value: iop };
  }
  return ds;
}
const sops = (list: DicomJsonDataset[]) => list.map((d) => d['00080018'].Value![0]);

describe('sortInstances', () => {
  it('orders by position along the normal, not by instance number', () => {
    expect(sops(sortInstances([inst(1, 10), inst(2, -5), inst(3, 0)]))).toEqual(['1.2', '1.3', '1.1']);
  });
  it('uses the normal of the orientation (sagittal: along x)', () => {
    const sag = [0, 1, 0, 0, 0, -1];
    const a = { ...inst(1), '00200032': { vr: 'DS', Value: [5, 0, 0] }, '00200037': { vr: 'DS', Value: sag } };
    const b = { ...inst(2), '00200032': { vr: 'DS', Value: [-5, 0, 0] }, '00200037': { vr: 'DS', Value: sag } };
    expect(sops(sortInstances([a, b]))).toEqual(['1.1', '1.2']);
  });
  it('falls back to InstanceNumber when a position is missing or all positions are equal', () => {
    expect(sops(sortInstances([inst(3, 1), inst(1), inst(2, 0)]))).toEqual(['1.1', '1.2', '1.3']);
    expect(sops(sortInstances([inst(3, 0), inst(1, 0), inst(2, 0)]))).toEqual(['1.1', '1.2', '1.3']);
  });
  it('keeps the server order for ties and does not modify its input', () => {
    const input = [inst(2), inst(2), inst(1)];
    const sorted = sortInstances(input);
    expect(sorted[1]).toBe(input[0]);
    expect(sorted[2]).toBe(input[1]);
    expect(input[0]['00200013'].Value![0]).toBe(2);
  });
});
