import { describe, expect, it } from 'vitest';
import { UploadFormError, buildUploadMetadata, rejectFile, type UploadForm } from './uploadMetadata';

const DIGEST = 'ab'.repeat(32);
const form = (over: Partial<UploadForm> = {}): UploadForm => ({
  hospital: 'demo-hospital',
  operatingRoom: '',
  operator: '',
  procedure: '',
  accession: '',
  studyUid: '',
  patientId: '',
  patientName: '',
  startedAt: '2026-12-01T09:30:00Z',
  title: '',
  ...over,
});
const NOW = new Date('2026-12-06T12:00:00Z');

describe('buildUploadMetadata', () => {
  it('carries the required keys and only the fields that were given, trimmed', () => {
    const meta = buildUploadMetadata(
      form({ operatingRoom: ' OR 3 ', procedure: 'Laparoscopic cholecystectomy', studyUid: '1.2.840.113619.2.55' }),
      { name: 'case.mp4' },
      DIGEST.toUpperCase(),
      NOW,
    );
    expect(meta).toEqual({
      filename: 'case.mp4',
      sha256: DIGEST,
      hospital: 'demo-hospital',
      startedAt: '2026-12-01T09:30:00.000Z',
      operatingRoom: 'OR 3',
      procedure: 'Laparoscopic cholecystectomy',
      studyUid: '1.2.840.113619.2.55',
    });
  });

  it('turns a datetime-local value (local time) into an ISO instant', () => {
    const meta = buildUploadMetadata(form({ startedAt: '2026-12-01T09:30' }), { name: 'a.mkv' }, DIGEST, NOW);
    expect(meta.startedAt).toBe(new Date(2026, 11, 1, 9, 30).toISOString());
  });

  it.each([
    ['hospital', form({ hospital: ' ' })],
    ['startedAt', form({ startedAt: '' })],
    ['startedAt', form({ startedAt: 'yesterday' })],
    ['startedAt', form({ startedAt: '2027-01-01T00:00:00Z' })],
    ['studyUid', form({ studyUid: '1.2.abc' })],
    ['studyUid', form({ studyUid: `1.${'2'.repeat(70)}` })],
  ])('refuses a bad %s with the field named', (field, f) => {
    let error: unknown;
    try {
      buildUploadMetadata(f, { name: 'a.mp4' }, DIGEST, NOW);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UploadFormError);
    expect((error as UploadFormError).field).toBe(field);
  });

  it('refuses a digest that is not 64 hex digits', () => {
    expect(() => buildUploadMetadata(form(), { name: 'a.mp4' }, 'abc', NOW)).toThrow(/64 hex/);
  });
});

describe('rejectFile', () => {
  it('takes the archive containers in any case and refuses others and empty files', () => {
    for (const name of ['a.mp4', 'b.MOV', 'c.mkv', 'd.Mxf']) expect(rejectFile({ name, size: 1 })).toBeUndefined();
    expect(rejectFile({ name: 'scan.dcm', size: 1 })).toMatch(/MP4, MOV, MKV or MXF/);
    expect(rejectFile({ name: 'noext', size: 1 })).toMatch(/MP4/);
    expect(rejectFile({ name: 'a.mp4', size: 0 })).toMatch(/empty/);
  });
});
