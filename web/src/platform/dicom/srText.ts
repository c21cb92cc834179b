import type { DicomJsonDataset } from '../api/types';
import { formatDate, formatPersonName, formatTime, getString } from './json';

/** One line of a structured report's content tree, indented by `depth` (0 is the document title). */
export interface SrLine {
  depth: number;
  text: string;
}

const CONCEPT_NAME = '0040A043';
const CONTENT_SEQUENCE = '0040A730';
const VALUE_TYPE = '0040A040';
const CODE_MEANING = '00080104';
const CODE_VALUE = '00080100';
const TEXT_VALUE = '0040A160';
const CONCEPT_CODE = '0040A168';
const MEASURED_VALUE = '0040A300';
const NUMERIC_VALUE = '0040A30A';
const UNITS = '004008EA';
const DATE_TIME = '0040A120';
const DATE = '0040A121';
const TIME = '0040A122';
const PERSON_NAME = '0040A123';
const UID = '0040A124';
const REFERENCED_SOP = '00081199';
const REFERENCED_SOP_INSTANCE = '00081155';

/** Deeper trees are cut: a report is read by a person, and a malformed one must not recurse forever. */
const MAX_DEPTH = 16;
const MAX_LINES = 2000;

/**
 * The text of a structured report (PS3.3 C.17.3) as indented "Concept: value" lines, for reading in the
 * viewer. Empty when the metadata carries no content, e.g. for roles that see studies de-identified (the
 * PS3.15 Basic Profile removes the Content Sequence).
 */
export function srLines(report: DicomJsonDataset): SrLine[] {
  const lines: SrLine[] = [];
  if (!report[CONTENT_SEQUENCE]?.Value?.length) return lines;
  const title = meaningOf(report, CONCEPT_NAME);
  if (title) lines.push({ depth: 0, text: title });
  walk(items(report, CONTENT_SEQUENCE), 1, lines);
  return lines;
}

function walk(children: DicomJsonDataset[], depth: number, out: SrLine[]): void {
  if (depth > MAX_DEPTH) return;
  for (const item of children) {
    if (out.length >= MAX_LINES) return;
    const concept = meaningOf(item, CONCEPT_NAME);
    const value = valueOf(item);
    const text = concept && value ? `${concept}: ${value}` : concept || value;
    if (text) out.push({ depth, text });
    walk(items(item, CONTENT_SEQUENCE), text ? depth + 1 : depth, out);
  }
}

function valueOf(item: DicomJsonDataset): string {
  switch (getString(item, VALUE_TYPE)?.trim()) {
    case 'TEXT':
      return getString(item, TEXT_VALUE) ?? '';
    case 'CODE':
      return meaningOf(item, CONCEPT_CODE);
    case 'NUM': {
      const measured = items(item, MEASURED_VALUE)[0];
      const number = getString(measured, NUMERIC_VALUE)?.trim() ?? '';
      const unit = measured ? meaningOf(measured, UNITS) : '';
      return [number, unit].filter(Boolean).join(' ');
    }
    case 'DATETIME':
      return getString(item, DATE_TIME) ?? '';
    case 'DATE':
      return formatDate(getString(item, DATE));
    case 'TIME':
      return formatTime(getString(item, TIME));
    case 'PNAME':
      return formatPersonName(getString(item, PERSON_NAME));
    case 'UIDREF':
      return getString(item, UID) ?? '';
    case 'IMAGE':
    case 'COMPOSITE':
    case 'WAVEFORM': {
      const sop = getString(items(item, REFERENCED_SOP)[0], REFERENCED_SOP_INSTANCE);
      return sop ? `(reference to ${sop})` : '';
    }
    default:
      return '';
  }
}

function meaningOf(ds: DicomJsonDataset, sequence: string): string {
  const code = items(ds, sequence)[0];
  return getString(code, CODE_MEANING)?.trim() || getString(code, CODE_VALUE)?.trim() || '';
}

function items(ds: DicomJsonDataset | undefined, tag: string): DicomJsonDataset[] {
  const values = ds?.[tag]?.Value;
  return Array.isArray(values) ? values.filter((v): v is DicomJsonDataset => !!v && typeof v === 'object') : [];
}
