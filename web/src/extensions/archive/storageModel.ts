import { DECIMAL } from './bytes';
import type { ApiClient } from '../../platform/api/client';

/** GET /api/archive/storage-model (docs/archive-api.md, "Storage model"): bytes are bytes, the page picks units. */
export interface StorageAnswer {
  inputs: {
    hospitals: number;
    ors: number;
    surgeriesPerDay: number;
    minutes: number;
    preset: string;
    rateMbps: number;
    years: number;
    copies: number;
    encrypted: boolean;
    horizon: number;
  };
  results: {
    bytesPerSurgery: number;
    recordedHoursPerHospitalPerDay: number;
    bytesPerHospitalPerDay: number;
    bytesPerHospitalPerYear: number;
    bytesPerYear: number;
    plateauBytes: number;
  };
  curve: { years: number; bytes: number }[];
  presets: { id: string; label: string; rateMbps: number; gbPerHour: number; psnrDb: number | null }[];
  paperCheck: { figure: string; paper: string; recomputed: string; agrees: boolean; why: string }[];
}

export type StorageParams = Partial<
  Record<
    | 'hospitals'
    | 'ors'
    | 'surgeriesPerDay'
    | 'minutes'
    | 'preset'
    | 'rate'
    | 'years'
    | 'copies'
    | 'encrypted'
    | 'horizon',
    string
  >
>;

export class StorageFormatError extends Error {
  constructor(what: string) {
    super(`The server's storage-model answer is not understood: ${what}`);
    this.name = 'StorageFormatError';
  }
}

function finite(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new StorageFormatError(`${what} is not a number`);
  return v;
}

/** Checks the numbers the page draws with: a plot of NaN would be silently empty. */
export function parseStorageAnswer(v: unknown): StorageAnswer {
  if (typeof v !== 'object' || v === null) throw new StorageFormatError('not an object');
  const a = v as StorageAnswer;
  if (!a.results || !Array.isArray(a.curve) || !Array.isArray(a.presets) || !Array.isArray(a.paperCheck) || !a.inputs)
    throw new StorageFormatError('results, curve, presets, paperCheck or inputs missing');
  for (const [k, n] of Object.entries(a.results)) finite(n, `results.${k}`);
  a.curve.forEach((p, i) => {
    finite(p.years, `curve[${i}].years`);
    finite(p.bytes, `curve[${i}].bytes`);
  });
  return a;
}

export async function fetchStorageModel(client: ApiClient, params: StorageParams): Promise<StorageAnswer> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  const qs = q.toString();
  return parseStorageAnswer(await client.json<unknown>(`/api/archive/storage-model${qs ? `?${qs}` : ''}`));
}

const SVG = 'http://www.w3.org/2000/svg';

function el(name: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A step of 1, 2 or 5 x 10^n that cuts [0, max] into about `count` parts. */
export function niceStep(max: number, count = 5): number {
  if (!(max > 0)) return 1;
  const raw = max / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
}

export interface PlotLayout {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
  unit: string;
  maxYears: number;
  yTicks: { value: number; y: number }[];
  xTicks: { value: number; x: number }[];
  retentionX: number | null;
  points: string;
}

/**
 * Where everything goes (pure, so it is tested without a DOM): years on x, bytes on y in one decimal unit chosen
 * from the largest value (so the axis reads "PB" or "TB"), and the retention where deletion starts.
 */
export function plotLayout(curve: { years: number; bytes: number }[], retentionYears: number): PlotLayout {
  const width = 640;
  const height = 300;
  const left = 70;
  const right = 16;
  const top = 16;
  const bottom = 40;
  const maxYears = Math.max(1, ...curve.map((p) => p.years));
  const maxBytes = Math.max(1, ...curve.map((p) => p.bytes));
  let unit = 0;
  while (maxBytes / 1000 ** unit >= 1000 && unit < DECIMAL.length - 1) unit++;
  const scale = 1000 ** unit;
  const yStep = niceStep(maxBytes / scale);
  const yMax = Math.ceil(maxBytes / scale / yStep) * yStep;
  const xStep = niceStep(maxYears, 6);
  const x = (years: number) => left + (years / maxYears) * (width - left - right);
  const y = (value: number) => top + (1 - value / yMax) * (height - top - bottom);
  const yTicks = [];
  for (let v = 0; v <= yMax + 1e-9; v += yStep) yTicks.push({ value: +v.toFixed(6), y: y(v) });
  const xTicks = [];
  for (let t = 0; t <= maxYears + 1e-9; t += xStep) xTicks.push({ value: +t.toFixed(6), x: x(t) });
  return {
    width,
    height,
    left,
    right,
    top,
    bottom,
    unit: DECIMAL[unit],
    maxYears,
    yTicks,
    xTicks,
    retentionX: retentionYears <= maxYears ? x(retentionYears) : null,
    points: curve.map((p) => `${x(p.years).toFixed(1)},${y(p.bytes / scale).toFixed(1)}`).join(' '),
  };
}

/** Stored volume over time as an SVG line, drawn from {@link plotLayout}. */
export function storagePlot(curve: { years: number; bytes: number }[], retentionYears: number): SVGSVGElement {
  const l = plotLayout(curve, retentionYears);
  const svg = el('svg', {
    viewBox: `0 0 ${l.width} ${l.height}`,
    class: 'storage-plot',
    role: 'img',
    'data-testid': 'storage-plot',
  }) as SVGSVGElement;
  svg.append(el('title', {}, `Stored volume over ${l.maxYears} years (${l.unit})`));
  for (const t of l.yTicks) {
    svg.append(el('line', { x1: l.left, x2: l.width - l.right, y1: t.y, y2: t.y, class: 'grid' }));
    svg.append(el('text', { x: l.left - 6, y: t.y + 4, 'text-anchor': 'end' }, String(t.value)));
  }
  for (const t of l.xTicks) {
    svg.append(el('text', { x: t.x, y: l.height - l.bottom + 16, 'text-anchor': 'middle' }, String(t.value)));
  }
  const midX = (l.left + l.width - l.right) / 2;
  const midY = (l.top + l.height - l.bottom) / 2;
  svg.append(el('text', { x: midX, y: l.height - 6, 'text-anchor': 'middle' }, 'years of recording'));
  svg.append(
    el('text', { x: 14, y: midY, transform: `rotate(-90 14 ${midY})`, 'text-anchor': 'middle' }, `stored (${l.unit})`),
  );
  if (l.retentionX !== null) {
    svg.append(
      el('line', { x1: l.retentionX, x2: l.retentionX, y1: l.top, y2: l.height - l.bottom, class: 'retention' }),
    );
  }
  svg.append(el('polyline', { points: l.points, class: 'stored', 'data-testid': 'storage-line' }));
  return svg;
}
