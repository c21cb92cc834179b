import type { DicomJsonAttribute, DicomJsonDataset } from '../../platform/api/types';
import { getNumbers, getString } from '../../platform/dicom/json';
import { Tag } from '../../platform/dicom/tags';

const WINDOW_CENTER = '00281050';
const WINDOW_WIDTH = '00281051';
const PALETTES = [
  { descriptor: '00281101', data: '00281201' },
  { descriptor: '00281102', data: '00281202' },
  { descriptor: '00281103', data: '00281203' },
] as const;

/**
 * Adapts WADO-RS metadata to what the dicom-image-loader's wadors metadata provider reads, returning a
 * shallow copy (the input is not changed):
 * - Palette colour LUT data sent as InlineBinary (PS3.18 F.2.7) become numeric `Value`s, since the
 *   provider only reads `Value` (else palette images fail with "incomplete color palette").
 * - A VOI window with a width below 1 (invalid, PS3.3 C.11.2.1.2; some files carry 0/0) is dropped, so
 *   the image's default window comes from its pixel range rather than a 1-value-wide window.
 * - A missing Modality (type 1, yet absent from some secondary captures) becomes OT (other): the provider
 *   calls `modality.includes('NM')` on every render and threw a TypeError for such images.
 */
export function adaptForLoader(ds: DicomJsonDataset): DicomJsonDataset {
  let out: DicomJsonDataset | undefined;
  const copy = (): DicomJsonDataset => (out ??= { ...ds });
  for (const p of PALETTES) {
    const attr = ds[p.data];
    if (attr && !attr.Value && attr.InlineBinary) {
      const values = paletteValues(attr, getNumbers(ds, p.descriptor));
      if (values) copy()[p.data] = { vr: attr.vr, Value: values };
    }
  }
  const widths = getNumbers(ds, WINDOW_WIDTH);
  if (ds[WINDOW_WIDTH] && (!widths || widths.every((w) => w < 1))) {
    delete copy()[WINDOW_WIDTH];
    delete copy()[WINDOW_CENTER];
  }
  if (!getString(ds, Tag.Modality)?.trim()) copy()[Tag.Modality] = { vr: 'CS', Value: ['OT'] };
  return out ?? ds;
}

/** LUT entries of an OW palette: 16-bit little-endian words, or bytes for 8-bit LUTs stored packed. */
export function paletteValues(attr: DicomJsonAttribute, descriptor: number[] | undefined): number[] | undefined {
  let bytes: Uint8Array;
  try {
    bytes = Uint8Array.from(atob(attr.InlineBinary ?? ''), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
  const entries = descriptor?.[0] === 0 ? 65536 : descriptor?.[0];
  const bits = descriptor?.[2];
  if (bits === 8 && entries !== undefined && bytes.length < entries * 2) return Array.from(bytes.subarray(0, entries));
  const words: number[] = [];
  for (let i = 0; i + 1 < bytes.length; i += 2) words.push(bytes[i] | (bytes[i + 1] << 8));
  return entries !== undefined ? words.slice(0, entries) : words;
}
