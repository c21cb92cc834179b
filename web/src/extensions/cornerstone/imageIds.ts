import type { DicomJsonDataset } from '../../platform/api/types';
import { seriesRoot } from '../../platform/api/medsyncApi';
import { getNumber, getString } from '../../platform/dicom/json';
import { Tag } from '../../platform/dicom/tags';

/** One displayable frame of a series: its Cornerstone imageId, instance metadata and 1-based frame. */
export interface StackEntry {
  imageId: string;
  instance: DicomJsonDataset;
  sopInstanceUid: string;
  frame: number;
  numberOfFrames: number;
}

/** `wadors:/dicomweb/{source}/studies/{st}/series/{se}/instances/{sop}/frames/{n}` (n 1-based). */
export function wadorsImageId(source: string, study: string, series: string, sop: string, frame: number): string {
  return `wadors:${seriesRoot(source, study, series)}/instances/${encodeURIComponent(sop)}/frames/${frame}`;
}

/**
 * Builds the stack of a series from its (already sorted) WADO-RS metadata: one entry per instance,
 * or one per frame for multi-frame instances. Instances without a SOP Instance UID are skipped.
 */
export function buildStack(
  source: string,
  study: string,
  series: string,
  sortedInstances: readonly DicomJsonDataset[],
): StackEntry[] {
  const entries: StackEntry[] = [];
  for (const instance of sortedInstances) {
    const sop = getString(instance, Tag.SOPInstanceUID);
    if (!sop) continue;
    const numberOfFrames = Math.max(1, Math.floor(getNumber(instance, Tag.NumberOfFrames) ?? 1));
    for (let frame = 1; frame <= numberOfFrames; frame++) {
      entries.push({
        imageId: wadorsImageId(source, study, series, sop, frame),
        instance,
        sopInstanceUid: sop,
        frame,
        numberOfFrames,
      });
    }
  }
  return entries;
}
