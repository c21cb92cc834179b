import type { DicomJsonDataset } from '../../platform/api/types';
import { getNumber, getString } from '../../platform/dicom/json';
import { KIND_IN_WORDS, sopClass, type SopClass, type SopKind } from '../../platform/dicom/sopClasses';
import { Tag } from '../../platform/dicom/tags';

/**
 * Which instances of a series the stack viewport can show, decided from their WADO-RS metadata before any
 * pixel is fetched, so that a report, a structure set or an image the decoder cannot read gets a message
 * naming it instead of a failed load. The metadata is the same for the local library and a PACS, which is
 * why this is decided here and not by the server; the transfer syntaxes are those the dicom-image-loader's
 * decoders handle (its decodeImageFrame).
 */
export interface NotDisplayable {
  instance: DicomJsonDataset;
  sopInstanceUid: string;
  sopClassUid: string | undefined;
  sopClass: SopClass | undefined;
  kind: SopKind;
  /** Why the viewer does not show it, a sentence fragment: "it has no pixel data". */
  reason: string;
}

export interface SeriesContent {
  images: DicomJsonDataset[];
  others: NotDisplayable[];
}

const TRANSFER_SYNTAX_UID = '00020010';
const SAMPLES_PER_PIXEL = '00280002';
const PHOTOMETRIC_INTERPRETATION = '00280004';
const BITS_ALLOCATED = '00280100';
const PIXEL_DATA = '7FE00010';
const FLOAT_PIXEL_DATA = '7FE00008';
const DOUBLE_FLOAT_PIXEL_DATA = '7FE00009';

/** Transfer syntaxes the loader decodes, with names for messages. */
const DECODED_SYNTAXES: ReadonlyMap<string, string> = new Map([
  ['1.2.840.10008.1.2', 'Implicit VR Little Endian'],
  ['1.2.840.10008.1.2.1', 'Explicit VR Little Endian'],
  ['1.2.840.10008.1.2.1.99', 'Deflated Explicit VR Little Endian'],
  ['1.2.840.10008.1.2.2', 'Explicit VR Big Endian'],
  ['1.2.840.10008.1.2.5', 'RLE Lossless'],
  ['1.2.840.10008.1.2.4.50', 'JPEG Baseline'],
  ['1.2.840.10008.1.2.4.51', 'JPEG Extended'],
  ['1.2.840.10008.1.2.4.57', 'JPEG Lossless'],
  ['1.2.840.10008.1.2.4.70', 'JPEG Lossless (first-order prediction)'],
  ['1.2.840.10008.1.2.4.80', 'JPEG-LS Lossless'],
  ['1.2.840.10008.1.2.4.81', 'JPEG-LS Near-lossless'],
  ['1.2.840.10008.1.2.4.90', 'JPEG 2000 Lossless'],
  ['1.2.840.10008.1.2.4.91', 'JPEG 2000'],
  ['1.2.840.10008.1.2.4.201', 'HTJ2K Lossless'],
  ['1.2.840.10008.1.2.4.202', 'HTJ2K Lossless RPCL'],
  ['1.2.840.10008.1.2.4.203', 'HTJ2K'],
  ['3.2.840.10008.1.2.4.96', 'HTJ2K (pre-standard)'],
]);

const RLE = '1.2.840.10008.1.2.5';
const NATIVE_SYNTAXES: ReadonlySet<string> = new Set([
  '1.2.840.10008.1.2',
  '1.2.840.10008.1.2.1',
  '1.2.840.10008.1.2.1.99',
  '1.2.840.10008.1.2.2',
]);

/** Syntaxes worth naming when refused (video, JPIP, other compressions the loader does not decode). */
const OTHER_SYNTAXES: ReadonlyMap<string, string> = new Map([
  ['1.2.840.10008.1.2.4.100', 'MPEG2 video'],
  ['1.2.840.10008.1.2.4.101', 'MPEG2 video'],
  ['1.2.840.10008.1.2.4.102', 'MPEG-4 AVC/H.264 video'],
  ['1.2.840.10008.1.2.4.103', 'MPEG-4 AVC/H.264 video'],
  ['1.2.840.10008.1.2.4.104', 'MPEG-4 AVC/H.264 video'],
  ['1.2.840.10008.1.2.4.105', 'MPEG-4 AVC/H.264 video'],
  ['1.2.840.10008.1.2.4.106', 'MPEG-4 AVC/H.264 video'],
  ['1.2.840.10008.1.2.4.107', 'HEVC/H.265 video'],
  ['1.2.840.10008.1.2.4.108', 'HEVC/H.265 video'],
  ['1.2.840.10008.1.2.4.92', 'JPEG 2000 Part 2 Multi-component Lossless'],
  ['1.2.840.10008.1.2.4.93', 'JPEG 2000 Part 2 Multi-component'],
  ['1.2.840.10008.1.2.4.94', 'JPIP Referenced'],
  ['1.2.840.10008.1.2.4.95', 'JPIP Referenced Deflate'],
]);

const SHOWN_PHOTOMETRIC = new Set([
  'MONOCHROME1',
  'MONOCHROME2',
  'PALETTE COLOR',
  'RGB',
  'YBR_FULL',
  'YBR_FULL_422',
  'YBR_PARTIAL_420',
  'YBR_ICT',
  'YBR_RCT',
]);

/** Kinds never shown as a stack, whatever attributes they carry (an RT Dose grid is shown if it can be). */
const NEVER_SHOWN: ReadonlySet<SopKind> = new Set([
  'video',
  'report',
  'key-objects',
  'structure-set',
  'presentation-state',
  'waveform',
  'document',
  'rt-plan',
  'segmentation',
  'registration',
  'raw-data',
  'whole-slide',
  'parametric-map',
]);

export function sortOutSeries(metadata: readonly DicomJsonDataset[]): SeriesContent {
  const images: DicomJsonDataset[] = [];
  const others: NotDisplayable[] = [];
  for (const instance of metadata) {
    const refused = whyNotDisplayable(instance);
    if (refused) others.push(refused);
    else images.push(instance);
  }
  return { images, others };
}

/** Undefined when the instance is an image the viewer can try to show. */
export function whyNotDisplayable(instance: DicomJsonDataset): NotDisplayable | undefined {
  const sopClassUid = getString(instance, Tag.SOPClassUID);
  const known = sopClass(sopClassUid);
  const refuse = (kind: SopKind, reason: string): NotDisplayable => ({
    instance,
    sopInstanceUid: getString(instance, Tag.SOPInstanceUID) ?? '',
    sopClassUid,
    sopClass: known,
    kind,
    reason,
  });
  if (known && NEVER_SHOWN.has(known.kind)) return refuse(known.kind, 'it is not an image');
  const kind: SopKind = known?.kind ?? 'image';
  if (!instance[PIXEL_DATA]) {
    if (instance[FLOAT_PIXEL_DATA] || instance[DOUBLE_FLOAT_PIXEL_DATA])
      return refuse('parametric-map', 'its pixels are floating-point values, which the viewer does not show');
    return refuse(known ? kind : 'other', 'it has no pixel data');
  }
  const rows = getNumber(instance, Tag.Rows);
  const columns = getNumber(instance, Tag.Columns);
  if (!rows || !columns || rows < 1 || columns < 1)
    return refuse(kind, 'its image size (Rows, Columns) is missing or zero');
  const bits = getNumber(instance, BITS_ALLOCATED);
  if (bits === undefined) return refuse(kind, 'it does not say how many bits each pixel has (Bits Allocated)');
  if (![1, 8, 16, 32].includes(bits))
    return refuse(kind, `its pixels have ${bits} bits allocated, which the viewer cannot unpack`);
  const samples = getNumber(instance, SAMPLES_PER_PIXEL) ?? 1;
  if (samples !== 1 && samples !== 3)
    return refuse(kind, `its pixels have ${samples} samples each; the viewer shows grey or colour (1 or 3)`);
  const photometric = getString(instance, PHOTOMETRIC_INTERPRETATION)?.trim();
  if (photometric && !SHOWN_PHOTOMETRIC.has(photometric))
    return refuse(kind, `its colour model (${photometric}) is not one the viewer shows`);
  const syntax = getString(instance, TRANSFER_SYNTAX_UID)?.trim();
  // The loader's RLE decoder handles 1, 8 and 16 bits; its worker throws on 32, and the load never settles.
  if (syntax === RLE && bits === 32)
    return refuse(kind, 'it is RLE-compressed with 32 bits per sample, which the viewer cannot decode');
  // Native YBR_FULL_422 stores two bytes per pixel (PS3.3 C.7.6.3.1.2); the loader expects three and stalls.
  if (photometric === 'YBR_FULL_422' && syntax && NATIVE_SYNTAXES.has(syntax))
    return refuse(
      kind,
      'its colour pixels are stored subsampled (YBR_FULL_422) without compression, which the viewer cannot read',
    );
  if (syntax && !DECODED_SYNTAXES.has(syntax)) {
    const name = OTHER_SYNTAXES.get(syntax);
    return refuse(
      name?.includes('video') ? 'video' : kind,
      `it is encoded as ${name ? `${name} (${syntax})` : `transfer syntax ${syntax}`}, which the viewer cannot decode`,
    );
  }
  return undefined;
}

/** The name of a transfer syntax the viewer decodes, for messages. */
export function transferSyntaxName(uid: string | undefined): string | undefined {
  return uid ? (DECODED_SYNTAXES.get(uid) ?? OTHER_SYNTAXES.get(uid)) : undefined;
}

/** What the viewer says about a series, or the part of it, that it does not show. */
export interface Notice {
  kind: SopKind;
  /** "RT Structure Set: a set of contours (regions of interest) drawn over images." */
  title: string;
  /** Why it is not shown and what MedSync can do with it instead. */
  detail: string;
}

const WHAT_INSTEAD: Readonly<Partial<Record<SopKind, string>>> = {
  report: 'Its text is shown below when it is available to you; the file can be downloaded.',
  'key-objects': 'It points at images of this study; open their series to see them, or download the file.',
  'structure-set':
    'MedSync does not draw contours yet: open the image series it was drawn on, or download the file for a planning system.',
  'presentation-state':
    'MedSync does not apply presentation states yet: the images it refers to open with their own window; the file can be downloaded.',
  waveform: 'MedSync does not plot waveforms yet: download the file to open it in a waveform or ECG viewer.',
  document: 'Download the file to open the document it holds with its own viewer.',
  video: 'MedSync does not play DICOM video yet: download the file to play it.',
};

/** One notice for the instances of a series that are not shown (grouped by kind: the first kind leads). */
export function noticeFor(others: readonly NotDisplayable[]): Notice | undefined {
  const first = others[0];
  if (!first) return undefined;
  const name = first.sopClass?.name ?? (first.sopClassUid ? `SOP class ${first.sopClassUid}` : 'An object');
  const sameClass = others.every((o) => o.sopClassUid === first.sopClassUid);
  const count = others.length > 1 ? ` (${others.length} ${sameClass ? 'objects' : 'objects of several kinds'})` : '';
  const what = first.sopClass || first.kind !== 'other' ? `: ${KIND_IN_WORDS[first.kind]}` : '';
  const instead = WHAT_INSTEAD[first.kind] ?? 'The file can be downloaded for software that reads it.';
  const why = first.reason === 'it is not an image' ? 'It is not an image.' : `It is not shown: ${first.reason}.`;
  return { kind: first.kind, title: `${name}${count}${what}`, detail: `${why} ${instead}` };
}
