import { describe, expect, it } from 'vitest';
import type { DicomJsonDataset } from '../../platform/api/types';
import { noticeFor, sortOutSeries, whyNotDisplayable } from './displayability';

const CT = '1.2.840.10008.5.1.4.1.1.2';

function instance(attrs: Record<string, unknown[] | undefined>, pixels = true): DicomJsonDataset {
  const ds: DicomJsonDataset = {
    '00080018': { vr: 'UI', Value: ['1.2.3.4'] },
    '00020010': { vr: 'UI', Value: ['1.2.840.10008.1.2.1'] },
    '00280010': { vr: 'US', Value: [64] },
    '00280011': { vr: 'US', Value: [64] },
    '00280100': { vr: 'US', Value: [16] },
    '00280002': { vr: 'US', Value: [1] },
    '00280004': { vr: 'CS', Value: ['MONOCHROME2'] },
    '00080016': { vr: 'UI', Value: [CT] },
  };
  for (const [tag, value] of Object.entries(attrs)) {
    if (value === undefined) delete ds[tag];
    else ds[tag] = { vr: 'XX', Value: value };
  }
  if (pixels) ds['7FE00010'] = { vr: 'OW', BulkDataURI: 'x' };
  return ds;
}

describe('whyNotDisplayable', () => {
  it('lets an ordinary CT image through', () => {
    expect(whyNotDisplayable(instance({}))).toBeUndefined();
  });

  it.each([
    ['1.2.840.10008.5.1.4.1.1.481.3', 'structure-set'],
    ['1.2.840.10008.5.1.4.1.1.88.11', 'report'],
    ['1.2.840.10008.5.1.4.1.1.88.59', 'key-objects'],
    ['1.2.840.10008.5.1.4.1.1.11.1', 'presentation-state'],
    ['1.2.840.10008.5.1.4.1.1.9.1.1', 'waveform'],
    ['1.2.840.10008.5.1.4.1.1.104.1', 'document'],
    ['1.2.840.10008.5.1.4.1.1.481.5', 'rt-plan'],
    ['1.2.840.10008.5.1.4.1.1.66', 'raw-data'],
  ])('refuses SOP class %s as %s even with pixel data', (uid, kind) => {
    const refused = whyNotDisplayable(instance({ '00080016': [uid] }));
    expect(refused?.kind).toBe(kind);
    expect(refused?.reason).toBe('it is not an image');
  });

  it.each([
    [{}, false, 'it has no pixel data'],
    [{ '00280010': undefined }, true, 'its image size (Rows, Columns) is missing or zero'],
    [{ '00280011': [0] }, true, 'its image size (Rows, Columns) is missing or zero'],
    [{ '00280100': undefined }, true, 'it does not say how many bits each pixel has (Bits Allocated)'],
    [{ '00280100': [12] }, true, 'its pixels have 12 bits allocated, which the viewer cannot unpack'],
    [{ '00280002': [4] }, true, 'its pixels have 4 samples each; the viewer shows grey or colour (1 or 3)'],
    [{ '00280004': ['ARGB'] }, true, 'its colour model (ARGB) is not one the viewer shows'],
    [
      { '00020010': ['1.2.840.10008.1.2.4.94'] },
      true,
      'it is encoded as JPIP Referenced (1.2.840.10008.1.2.4.94), which the viewer cannot decode',
    ],
    [{ '00020010': ['1.2.3.999'] }, true, 'it is encoded as transfer syntax 1.2.3.999, which the viewer cannot decode'],
    [
      { '00020010': ['1.2.840.10008.1.2.5'], '00280100': [32] },
      true,
      'it is RLE-compressed with 32 bits per sample, which the viewer cannot decode',
    ],
    [
      { '00280004': ['YBR_FULL_422'], '00280002': [3], '00280100': [8] },
      true,
      'its colour pixels are stored subsampled (YBR_FULL_422) without compression, which the viewer cannot read',
    ],
  ])('refuses an image with %j (pixel data %s): %s', (attrs, pixels, reason) => {
    const refused = whyNotDisplayable(instance(attrs, pixels));
    expect(refused?.kind).toBe('image');
    expect(refused?.reason).toBe(reason);
  });

  it('lets JPEG-compressed YBR_FULL_422 through', () => {
    const jpeg = { '00020010': ['1.2.840.10008.1.2.4.50'], '00280004': ['YBR_FULL_422'], '00280100': [8] };
    expect(whyNotDisplayable(instance(jpeg))).toBeUndefined();
  });

  it('calls an H.264 image a video', () => {
    expect(whyNotDisplayable(instance({ '00020010': ['1.2.840.10008.1.2.4.102'] }))?.kind).toBe('video');
  });

  it.each(['1.2.840.10008.1.2.2', '1.2.840.10008.1.2.5', '1.2.840.10008.1.2.4.80', '3.2.840.10008.1.2.4.96'])(
    'lets transfer syntax %s through',
    (ts) => expect(whyNotDisplayable(instance({ '00020010': [ts] }))).toBeUndefined(),
  );

  it('names floating-point pixel data', () => {
    const ds = instance({}, false);
    ds['7FE00008'] = { vr: 'OF', BulkDataURI: 'x' };
    expect(whyNotDisplayable(ds)?.kind).toBe('parametric-map');
  });

  it('tries an unknown SOP class with pixel data as an image, and calls one without "other"', () => {
    expect(whyNotDisplayable(instance({ '00080016': ['1.2.3.4.5'] }))).toBeUndefined();
    expect(whyNotDisplayable(instance({ '00080016': ['1.2.3.4.5'] }, false))?.kind).toBe('other');
  });
});

describe('sortOutSeries and noticeFor', () => {
  it('keeps the images and names what is left', () => {
    const sr = instance({ '00080016': ['1.2.840.10008.5.1.4.1.1.88.33'] }, false);
    const { images, others } = sortOutSeries([instance({}), sr]);
    expect(images).toHaveLength(1);
    expect(noticeFor(others)).toEqual({
      kind: 'report',
      title: 'Comprehensive SR: a structured report',
      detail: 'It is not an image. Its text is shown below when it is available to you; the file can be downloaded.',
    });
  });

  it('counts several objects and says why an image is not shown', () => {
    const broken = instance({ '00280100': [24] });
    const notice = noticeFor(sortOutSeries([broken, broken]).others);
    expect(notice?.title).toBe('CT Image (2 objects): an image');
    expect(notice?.detail).toMatch(/^It is not shown: its pixels have 24 bits allocated/);
  });

  it('names an unknown class by its UID', () => {
    const notice = noticeFor(sortOutSeries([instance({ '00080016': ['1.2.3.4.5'] }, false)]).others);
    expect(notice?.title).toBe('SOP class 1.2.3.4.5');
    expect(notice?.detail).toBe(
      'It is not shown: it has no pixel data. The file can be downloaded for software that reads it.',
    );
  });

  it('has nothing to say about a series of images', () => {
    expect(noticeFor([])).toBeUndefined();
  });
});
