import type { DicomJsonDataset } from '../api/types';
import { getNumber, getNumbers } from './json';
import { Tag } from './tags';

/**
 * Orders the instances of a series for stack display: by the position of ImagePositionPatient along
 * the slice normal (cross product of the ImageOrientationPatient row and column cosines) when every
 * instance has a position and all share one orientation; otherwise by InstanceNumber. Ties and
 * missing values keep the server's order. Returns a new array.
 */
export function sortInstances(instances: readonly DicomJsonDataset[]): DicomJsonDataset[] {
  const indexed = instances.map((ds, index) => ({ ds, index }));
  const distances = slicePositions(instances);
  if (distances) {
    return indexed.sort((a, b) => distances[a.index] - distances[b.index] || a.index - b.index).map((e) => e.ds);
  }
  return indexed
    .sort((a, b) => {
      const na = getNumber(a.ds, Tag.InstanceNumber);
      const nb = getNumber(b.ds, Tag.InstanceNumber);
      if (na !== undefined && nb !== undefined && na !== nb) return na - nb;
      if (na === undefined && nb !== undefined) return 1;
      if (nb === undefined && na !== undefined) return -1;
      return a.index - b.index;
    })
    .map((e) => e.ds);
}

/** Distance of each instance along the common normal, or undefined when that cannot be used. */
export function slicePositions(instances: readonly DicomJsonDataset[]): number[] | undefined {
  if (instances.length < 2) return undefined;
  const first = getNumbers(instances[0], Tag.ImageOrientationPatient);
  if (!first || first.length !== 6) return undefined;
  const normal = cross(first.slice(0, 3), first.slice(3, 6));
  if (Math.hypot(...normal) < 1e-6) return undefined;
  const out: number[] = [];
  for (const ds of instances) {
    const iop = getNumbers(ds, Tag.ImageOrientationPatient);
    const ipp = getNumbers(ds, Tag.ImagePositionPatient);
    if (!iop || iop.length !== 6 || !ipp || ipp.length !== 3) return undefined;
    if (iop.some((v, i) => Math.abs(v - first[i]) > 1e-3)) return undefined;
    out.push(ipp[0] * normal[0] + ipp[1] * normal[1] + ipp[2] * normal[2]);
  }
  // All at one position (e.g. a time series): the normal says nothing.
  if (Math.max(...out) - Math.min(...out) < 1e-6) return undefined;
  return out;
}

function cross(a: number[], b: number[]): number[] {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}
