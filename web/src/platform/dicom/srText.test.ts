import { describe, expect, it } from 'vitest';
import type { DicomJsonDataset } from '../api/types';
import { srLines } from './srText';

const code = (meaning: string) => ({ vr: 'SQ', Value: [{ '00080104': { vr: 'LO', Value: [meaning] } }] });

describe('srLines', () => {
  it('reads a report tree as indented concept: value lines', () => {
    const report: DicomJsonDataset = {
      '0040A043': code('Chest X-Ray Report'),
      '0040A730': {
        vr: 'SQ',
        Value: [
          {
            '0040A040': { vr: 'CS', Value: ['CONTAINER'] },
            '0040A043': code('Findings'),
            '0040A730': {
              vr: 'SQ',
              Value: [
                {
                  '0040A040': { vr: 'CS', Value: ['TEXT'] },
                  '0040A043': code('Finding'),
                  '0040A160': { vr: 'UT', Value: ['No acute disease'] },
                },
                {
                  '0040A040': { vr: 'CS', Value: ['NUM'] },
                  '0040A043': code('Diameter'),
                  '0040A300': {
                    vr: 'SQ',
                    Value: [{ '0040A30A': { vr: 'DS', Value: [12.5] }, '004008EA': code('mm') }],
                  },
                },
                { '0040A040': { vr: 'CS', Value: ['CODE'] }, '0040A043': code('Side'), '0040A168': code('Left') },
                {
                  '0040A040': { vr: 'CS', Value: ['DATE'] },
                  '0040A043': code('Seen'),
                  '0040A121': { vr: 'DA', Value: ['20260102'] },
                },
              ],
            },
          },
        ],
      },
    };
    expect(srLines(report)).toEqual([
      { depth: 0, text: 'Chest X-Ray Report' },
      { depth: 1, text: 'Findings' },
      { depth: 2, text: 'Finding: No acute disease' },
      { depth: 2, text: 'Diameter: 12.5 mm' },
      { depth: 2, text: 'Side: Left' },
      { depth: 2, text: 'Seen: 2026-01-02' },
    ]);
  });

  it('is empty without a content sequence (removed for de-identified roles)', () => {
    expect(srLines({ '0040A043': code('Report') })).toEqual([]);
  });

  it('stops at a bounded depth on a self-similar tree', () => {
    let item: DicomJsonDataset = { '0040A040': { vr: 'CS', Value: ['TEXT'] }, '0040A160': { vr: 'UT', Value: ['x'] } };
    for (let i = 0; i < 100; i++)
      item = {
        '0040A040': { vr: 'CS', Value: ['TEXT'] },
        '0040A160': { vr: 'UT', Value: ['x'] },
        '0040A730': { vr: 'SQ', Value: [item] },
      };
    expect(srLines({ '0040A730': { vr: 'SQ', Value: [item] } }).length).toBe(16);
  });
});
