import { Enums, imageLoader } from '@cornerstonejs/core';
import { wadors } from '@cornerstonejs/dicom-image-loader';
import type { MedSyncApi } from '../../platform/api/medsyncApi';
import type { DicomJsonDataset } from '../../platform/api/types';
import { sortInstances } from '../../platform/dicom/instanceSort';
import { sortOutSeries, type NotDisplayable } from './displayability';
import { buildStack, type StackEntry } from './imageIds';
import { adaptForLoader } from './metadataFixes';

/** A series ready for a stack viewport: sorted frames with their metadata registered for the loader. */
export interface SeriesStack {
  source: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  entries: StackEntry[];
  imageIds: string[];
  /** Instances of the series the viewport does not show (reports, structure sets, undecodable images...). */
  others: NotDisplayable[];
}

/**
 * Fetches the WADO-RS metadata of a series, sets aside what the viewport cannot show, sorts the images, builds `wadors:` imageIds (one per
 * frame) and registers each instance's metadata with the dicom-image-loader's wadors metaDataManager
 * (multi-frame instances under their frame 1, from which the loader derives the other frames).
 */
export async function loadSeriesStack(
  api: MedSyncApi,
  source: string,
  studyInstanceUid: string,
  seriesInstanceUid: string,
): Promise<SeriesStack> {
  const metadata = await api.seriesMetadata(source, studyInstanceUid, seriesInstanceUid);
  return registerSeriesStack(source, studyInstanceUid, seriesInstanceUid, metadata);
}

export function registerSeriesStack(
  source: string,
  studyInstanceUid: string,
  seriesInstanceUid: string,
  metadata: DicomJsonDataset[],
): SeriesStack {
  const { images, others } = sortOutSeries(metadata);
  const entries = buildStack(source, studyInstanceUid, seriesInstanceUid, sortInstances(images));
  for (const entry of entries) {
    if (entry.frame === 1) {
      const forLoader = adaptForLoader(entry.instance);
      wadors.metaDataManager.add(
        entry.imageId,
        forLoader as unknown as Parameters<typeof wadors.metaDataManager.add>[1],
      );
    }
  }
  return { source, studyInstanceUid, seriesInstanceUid, entries, imageIds: entries.map((e) => e.imageId), others };
}

/**
 * Starts loading the first image of a stack at interaction priority, before a viewport exists, so
 * that network and decoding overlap the viewport's WebGL start-up. Failures surface in showSeries.
 */
export function preloadFirstImage(stack: SeriesStack): void {
  void preloadImage(stack, 0);
}

/**
 * Fetches and decodes image `index` of a stack into Cornerstone's cache at interaction priority (a late joiner's
 * view of the driver's image, before the viewport asks for it); resolves when cached, never rejects (failures
 * surface when the viewport loads it).
 */
export function preloadImage(stack: SeriesStack, index: number): Promise<void> {
  const imageId = stack.imageIds[Math.max(0, Math.min(stack.imageIds.length - 1, Math.round(index) || 0))];
  if (!imageId) return Promise.resolve();
  return imageLoader.loadAndCacheImage(imageId, { priority: -5, requestType: Enums.RequestType.Interaction }).then(
    () => undefined,
    () => undefined,
  );
}
