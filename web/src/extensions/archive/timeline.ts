import { FLAG_KINDS, type QualityFlag } from './archiveApi';

/** One quality flag as drawn on the timeline: fractions of the bar's width, one lane per kind. */
export interface FlagSegment {
  kind: string;
  /** 0..1 of the bar's width. */
  left: number;
  width: number;
  /** 0-based lane (row) of the segment's kind, in {@link FLAG_KINDS} order, unknown kinds after them. */
  lane: number;
  start: number;
  end: number;
  detail: string | null;
}

export interface TimelineLayout {
  segments: FlagSegment[];
  lanes: string[];
}

/**
 * Lays the flags out over a bar `barWidth` pixels wide for a recording of `duration` seconds. A stretch shorter
 * than a pixel is widened to `minPixels` (else a one-frame black flash could not be seen nor clicked); stretches
 * of one kind that then touch are merged, so the bar shows one mark where the eye sees one. Flags past the end
 * (a duration rounded down) are clipped; flags entirely outside are dropped.
 */
export function layoutFlags(
  flags: readonly QualityFlag[],
  duration: number,
  barWidth: number,
  minPixels = 3,
): TimelineLayout {
  if (!(duration > 0) || !(barWidth > 0)) return { segments: [], lanes: [] };
  const minFraction = Math.min(1, minPixels / barWidth);
  const known = new Set<string>(FLAG_KINDS);
  const kinds = [...new Set(flags.map((f) => f.kind))];
  const lanes = [...FLAG_KINDS.filter((k) => kinds.includes(k)), ...kinds.filter((k) => !known.has(k)).sort()];
  const segments: FlagSegment[] = [];
  for (const kind of lanes) {
    const lane = lanes.indexOf(kind);
    const ofKind = flags
      .filter((f) => f.kind === kind && f.start < duration && f.end >= 0)
      .map((f) => ({ ...f, start: Math.max(0, f.start), end: Math.min(duration, f.end) }))
      .sort((a, b) => a.start - b.start);
    let current: FlagSegment | undefined;
    for (const f of ofKind) {
      let left = f.start / duration;
      let width = Math.max((f.end - f.start) / duration, minFraction);
      if (left + width > 1) left = Math.max(0, 1 - width);
      width = Math.min(width, 1 - left);
      if (current && left <= current.left + current.width) {
        const right = Math.max(current.left + current.width, left + width);
        current.width = right - current.left;
        current.end = Math.max(current.end, f.end);
        current.detail = joinDetail(current.detail, f.detail);
        continue;
      }
      current = { kind, left, width, lane, start: f.start, end: f.end, detail: f.detail };
      segments.push(current);
    }
  }
  return { segments, lanes };
}

function joinDetail(a: string | null, b: string | null): string | null {
  if (!a) return b;
  if (!b || a === b) return a;
  return `${a}; ${b}`;
}

/** The time (seconds) under pixel `x` of a bar `barWidth` wide, clamped to the recording. */
export function timeAt(x: number, barWidth: number, duration: number): number {
  if (!(barWidth > 0) || !(duration > 0)) return 0;
  return Math.min(duration, Math.max(0, (x / barWidth) * duration));
}

/** `m:ss` (or `h:mm:ss`) of a time in seconds, for labels and tooltips. */
export function formatClock(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
