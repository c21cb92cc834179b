import type { DicomJsonDataset } from '../api/types';

/** First value of an attribute, as given by PS3.18 JSON. */
export function firstValue(ds: DicomJsonDataset | undefined, tag: string): unknown {
  return ds?.[tag]?.Value?.[0];
}

/** A string attribute (PN attributes give their Alphabetic group). */
export function getString(ds: DicomJsonDataset | undefined, tag: string): string | undefined {
  const v = firstValue(ds, tag);
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object') {
    const pn = v as { Alphabetic?: string };
    return pn.Alphabetic;
  }
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

export function getNumber(ds: DicomJsonDataset | undefined, tag: string): number | undefined {
  const v = firstValue(ds, tag);
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : undefined;
}

export function getNumbers(ds: DicomJsonDataset | undefined, tag: string): number[] | undefined {
  const values = ds?.[tag]?.Value;
  if (!values || values.length === 0) return undefined;
  const numbers = values.map((v) => (typeof v === 'number' ? v : Number(v)));
  return numbers.every(Number.isFinite) ? numbers : undefined;
}

/**
 * DICOM PN (PS3.5 6.2) for display: "DOE^JANE^M^DR^JR" -> "DOE, JANE M DR JR"; "DOE^JANE" -> "DOE, JANE".
 * Only the alphabetic group (before the first "=") is used; empty components are dropped.
 */
export function formatPersonName(pn: string | undefined | null): string {
  if (!pn) return '';
  const alphabetic = pn.split('=')[0] ?? '';
  const [family = '', given = '', middle = '', prefix = '', suffix = ''] = alphabetic.split('^').map((p) => p.trim());
  const rest = [given, middle, prefix, suffix].filter(Boolean).join(' ');
  if (family && rest) return `${family}, ${rest}`;
  return family || rest;
}

/** DICOM DA "20260101" -> "2026-01-01" (other values unchanged). */
export function formatDate(da: string | undefined): string {
  if (!da) return '';
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(da.trim());
  return m ? `${m[1]}-${m[2]}-${m[3]}` : da;
}

/** DICOM TM "143015.123" -> "14:30:15". */
export function formatTime(tm: string | undefined): string {
  if (!tm) return '';
  const m = /^(\d{2})(\d{2})?(\d{2})?/.exec(tm.trim());
  if (!m) return tm;
  return [m[1], m[2], m[3]].filter((p) => p !== undefined).join(':');
}

/** Numbers for overlays: at most `digits` decimals, no trailing zeros. */
export function formatNumber(n: number | undefined, digits = 2): string {
  if (n === undefined || !Number.isFinite(n)) return '';
  return String(Number(n.toFixed(digits)));
}
