import { h } from '../../platform/ui/dom';
import type { QualityFlag, Storyboard } from './archiveApi';
import { tileAt, tileStyle } from './storyboard';
import { formatClock, layoutFlags, timeAt } from './timeline';

const FLAG_LABELS: Record<string, string> = {
  black: 'Black',
  frozen: 'Frozen',
  blurred: 'Out of focus',
  overexposed: 'Overexposed',
  underexposed: 'Underexposed',
};

const PREVIEW_WIDTH = 160;

/**
 * The bar under the video: the played part, the quality flags in one lane per kind (click one to seek to its
 * start), and on hover the storyboard tile and time under the pointer (click to seek there).
 */
export class TimelineView {
  readonly element: HTMLElement;
  private readonly track: HTMLElement;
  private readonly played: HTMLElement;
  private readonly lanes: HTMLElement;
  private readonly preview: HTMLElement;
  private readonly previewTile: HTMLElement;
  private readonly previewTime: HTMLElement;
  private duration = 0;
  private readonly resize: ResizeObserver;

  constructor(
    private readonly flags: readonly QualityFlag[],
    private readonly storyboard: Storyboard | null,
    private readonly onSeek: (seconds: number) => void,
  ) {
    this.played = h('div', { class: 'tl-played' });
    this.track = h('div', { class: 'tl-track', 'data-testid': 'timeline-track', role: 'presentation' }, this.played);
    this.lanes = h('div', { class: 'tl-lanes' });
    this.previewTile = h('div', { class: 'tl-tile', 'data-testid': 'storyboard-tile' });
    this.previewTime = h('span', { class: 'tl-time' });
    this.preview = h(
      'div',
      { class: 'tl-preview', 'data-testid': 'storyboard-preview', hidden: true },
      this.previewTile,
      this.previewTime,
    );
    this.element = h('div', { class: 'tl', 'data-testid': 'archive-timeline' }, this.track, this.lanes, this.preview);
    if (storyboard) this.previewTile.style.backgroundImage = `url("${storyboard.image}")`;
    else this.previewTile.hidden = true;

    this.element.addEventListener('pointermove', (e) => this.hover(e.clientX));
    this.element.addEventListener('pointerleave', () => (this.preview.hidden = true));
    this.track.addEventListener('click', (e) => {
      const rect = this.track.getBoundingClientRect();
      if (this.duration > 0) this.onSeek(timeAt(e.clientX - rect.left, rect.width, this.duration));
    });
    this.resize = new ResizeObserver(() => this.draw());
    this.resize.observe(this.element);
  }

  /** The recording's length in seconds (from the catalog first, then the media once it knows). */
  setDuration(seconds: number): void {
    if (!(seconds > 0) || Math.abs(seconds - this.duration) < 0.01) return;
    this.duration = seconds;
    this.element.setAttribute('data-duration', seconds.toFixed(2));
    this.draw();
  }

  setTime(seconds: number): void {
    const fraction = this.duration > 0 ? Math.min(1, seconds / this.duration) : 0;
    this.played.style.width = `${(fraction * 100).toFixed(3)}%`;
  }

  dispose(): void {
    this.resize.disconnect();
  }

  private draw(): void {
    const width = this.track.clientWidth || 600;
    const { segments, lanes } = layoutFlags(this.flags, this.duration, width);
    this.lanes.replaceChildren(
      ...lanes.map((kind, lane) =>
        h(
          'div',
          { class: 'tl-lane', 'data-kind': kind },
          h('span', { class: 'sr-only' }, FLAG_LABELS[kind] ?? kind),
          h(
            'div',
            { class: 'tl-lane-bar' },
            ...segments
              .filter((s) => s.lane === lane)
              .map((s) => {
                const label = `${FLAG_LABELS[s.kind] ?? s.kind} ${formatClock(s.start)}–${formatClock(s.end)}${s.detail ? ` (${s.detail})` : ''}`;
                const mark = h('button', {
                  type: 'button',
                  class: `tl-flag flag-${known(s.kind)}`,
                  'data-testid': 'timeline-flag',
                  'data-kind': s.kind,
                  'data-start': s.start.toFixed(2),
                  'data-end': s.end.toFixed(2),
                  title: label,
                  'aria-label': `${label}: go to its start`,
                  onclick: () => this.onSeek(s.start),
                });
                mark.style.left = `${(s.left * 100).toFixed(3)}%`;
                mark.style.width = `${(s.width * 100).toFixed(3)}%`;
                return mark;
              }),
          ),
        ),
      ),
    );
  }

  private hover(clientX: number): void {
    const rect = this.track.getBoundingClientRect();
    if (this.duration <= 0 || rect.width <= 0) return;
    const x = Math.min(rect.width, Math.max(0, clientX - rect.left));
    const t = timeAt(x, rect.width, this.duration);
    this.preview.hidden = false;
    this.preview.setAttribute('data-time', t.toFixed(2));
    this.previewTime.textContent = formatClock(t);
    const tile = this.storyboard ? tileAt(this.storyboard, t) : undefined;
    if (this.storyboard && tile) {
      const style = tileStyle(this.storyboard, tile, PREVIEW_WIDTH);
      Object.assign(this.previewTile.style, {
        width: `${style.width}px`,
        height: `${style.height}px`,
        backgroundSize: style.backgroundSize,
        backgroundPosition: style.backgroundPosition,
      });
      this.preview.setAttribute('data-tile', String(tile.index));
    }
    const half = (this.storyboard ? PREVIEW_WIDTH : 48) / 2;
    this.preview.style.left = `${Math.min(rect.width - half, Math.max(half, x))}px`;
  }
}

function known(kind: string): string {
  return kind in FLAG_LABELS ? kind : 'other';
}
