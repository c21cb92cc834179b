import { describe, expect, it } from 'vitest';
import { aiReadText, attachTo, isSettled, parseAttach, retakeMessages, statusText, type PhotoState } from './photoApi';

const state = (over: Partial<PhotoState> = {}): PhotoState => ({
  id: 'p1',
  status: 'received',
  attachTo: 'consult',
  batch: 'b1',
  createdAt: '2026-12-06T23:00:00Z',
  photo: { width: 640, height: 480, mediaType: 'image/jpeg' },
  quad: null,
  cornersSource: null,
  problems: [],
  restoration: 'not installed',
  studyUid: null,
  images: {},
  ...over,
});

describe('attachTo', () => {
  it('builds the three forms the server takes', () => {
    expect(attachTo('study', ' 1.2.840.10008.1 ')).toBe('study:1.2.840.10008.1');
    expect(attachTo('readout', 'r-1_a')).toBe('readout:r-1_a');
    expect(attachTo('consult', 'ignored')).toBe('consult');
  });

  it('refuses a reference the server would refuse, before sending', () => {
    expect(() => attachTo('study', '')).toThrow(/Study Instance UID/);
    expect(() => attachTo('study', '1..2')).toThrow(/Study Instance UID/);
    expect(() => attachTo('study', 'Smith')).toThrow(/Study Instance UID/);
    expect(() => attachTo('study', '1.' + '2'.repeat(70))).toThrow(/Study Instance UID/);
    expect(() => attachTo('readout', 'a b')).toThrow(/readout/);
  });

  it('round-trips through a page link', () => {
    expect(parseAttach('study:1.2.3')).toEqual({ kind: 'study', ref: '1.2.3' });
    expect(parseAttach('readout:abc')).toEqual({ kind: 'readout', ref: 'abc' });
    expect(parseAttach(undefined)).toEqual({ kind: 'consult', ref: '' });
    expect(parseAttach('garbage')).toEqual({ kind: 'consult', ref: '' });
  });
});

describe('status', () => {
  it('is settled where the server waits for the sender or is done', () => {
    expect(isSettled('stored')).toBe(true);
    expect(isSettled('retake')).toBe(true);
    expect(isSettled('needs-corners')).toBe(true);
    expect(isSettled('failed')).toBe(true);
    expect(isSettled('received')).toBe(false);
    expect(isSettled('rectified')).toBe(false);
    expect(isSettled('restored')).toBe(false);
  });

  it('says whether a restore comes after rectification', () => {
    expect(statusText(state({ status: 'rectified' }))).toMatch(/storing/);
    expect(statusText(state({ status: 'rectified', restoration: 'DnCNN 17 layers' }))).toMatch(/restoring/);
  });

  it('names the server reason of a failure and the retake advice per problem', () => {
    expect(statusText(state({ status: 'failed', error: { code: 'x', message: 'disk full' } }))).toBe(
      'Failed: disk full',
    );
    const p = state({
      status: 'retake',
      problems: [
        { code: 'blur', measured: 3, limit: 10, message: 'Too blurred: hold the phone still' },
        { code: 'glare', measured: 0.2, limit: 0.05, message: 'Glare: tilt the phone' },
      ],
    });
    expect(retakeMessages(p)).toEqual(['Too blurred: hold the phone still', 'Glare: tilt the phone']);
    expect(statusText(p)).toMatch(/retake/);
  });
});

describe('aiReadText', () => {
  const read = {
    label: 'decision support - not a diagnosis',
    model: 'MedSync lesion classifier (5 conv layers), research model',
    finding: 'probability of a focal lesion',
    ms: 40,
  };

  it('says nothing without a read', () => {
    expect(aiReadText(state())).toBeNull();
    expect(aiReadText(state({ aiRead: null }))).toBeNull();
  });

  it('puts the decision-support label before the score', () => {
    const t = aiReadText(state({ aiRead: { ...read, score: 0.8312, region: { x: 0, y: 16, size: 48 } } }));
    expect(t).toBe(
      'Decision support - not a diagnosis: probability of a focal lesion 0.83 (MedSync lesion classifier)',
    );
  });

  it('says when the read failed, still labelled', () => {
    expect(aiReadText(state({ aiRead: { ...read, error: 'the AI read failed: too small' } }))).toBe(
      'Decision support - not a diagnosis: the AI read failed: too small',
    );
  });
});
