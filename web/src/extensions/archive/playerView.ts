import { h } from '../../platform/ui/dom';
import type { QualityFlag, Storyboard } from './archiveApi';
import type { HlsPlayback, Level } from './hlsPlayer';
import { formatClock } from './timeline';
import { TimelineView } from './timelineView';

export interface PlayerSource {
  playlist: string;
  /** From the catalog; the media's own duration replaces it once known. */
  durationSeconds: number | null;
  flags: readonly QualityFlag[];
  storyboard: Storyboard | null;
}

/** "90", "1:30" or "1:02:03" as seconds; undefined when it is none of these. */
export function parseClock(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  const m = /^(?:(\d+):)?(\d{1,2}):(\d{2}(?:\.\d+)?)$/.exec(t);
  if (!m) return undefined;
  const [, hh, mm, ss] = m;
  if (Number(ss) >= 60 || (hh !== undefined && Number(mm) >= 60)) return undefined;
  return Number(hh ?? 0) * 3600 + Number(mm) * 60 + Number(ss);
}

/**
 * The video, its timeline, a "go to" box and the rung chooser. Test hooks: `video[data-testid=archive-video]`
 * (`data-engine` hls.js|native, `data-state` loading|ready|error), `[data-testid=seek-input]` (seconds or m:ss,
 * Enter seeks), `[data-testid=player-error]`.
 */
export class PlayerView {
  readonly element: HTMLElement;
  readonly video: HTMLVideoElement;
  private readonly timeline: TimelineView;
  private readonly error: HTMLElement;
  private readonly levelSelect: HTMLSelectElement;
  private readonly clock: HTMLElement;
  private playback: HlsPlayback | undefined;
  private disposed = false;

  constructor(private readonly source: PlayerSource) {
    this.video = h('video', {
      class: 'archive-video',
      'data-testid': 'archive-video',
      'data-state': 'loading',
      controls: true,
      playsinline: true,
      preload: 'auto',
    });
    this.video.muted = true;
    this.timeline = new TimelineView(source.flags, source.storyboard, (t) => this.seek(t));
    if (source.durationSeconds) this.timeline.setDuration(source.durationSeconds);
    this.error = h('p', { class: 'player-error', 'data-testid': 'player-error', role: 'alert', hidden: true });
    this.levelSelect = h(
      'select',
      { 'data-testid': 'quality-select', 'aria-label': 'Playback quality', disabled: true },
      h('option', { value: '-1' }, 'Auto'),
    );
    this.levelSelect.addEventListener('change', () => this.playback?.setLevel(Number(this.levelSelect.value)));
    const seekInput = h('input', {
      type: 'text',
      class: 'num-input',
      'data-testid': 'seek-input',
      placeholder: 'm:ss',
      'aria-label': 'Go to time (seconds or m:ss)',
      inputmode: 'decimal',
    });
    seekInput.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      const t = parseClock(seekInput.value);
      seekInput.setAttribute('aria-invalid', String(t === undefined));
      if (t !== undefined) this.seek(t);
    });
    this.clock = h('span', { class: 'player-clock', 'data-testid': 'player-clock' }, '0:00');
    this.element = h(
      'section',
      { class: 'player', 'aria-label': 'Recording player' },
      h('div', { class: 'player-frame' }, this.video),
      this.timeline.element,
      h(
        'div',
        { class: 'player-bar' },
        this.clock,
        h('label', {}, 'Go to ', seekInput),
        h('label', {}, 'Quality ', this.levelSelect),
      ),
      this.error,
    );
    this.video.addEventListener('timeupdate', () => {
      this.timeline.setTime(this.video.currentTime);
      this.clock.textContent = formatClock(this.video.currentTime);
    });
    this.video.addEventListener('durationchange', () => {
      if (Number.isFinite(this.video.duration)) this.timeline.setDuration(this.video.duration);
    });
    this.video.addEventListener('loadedmetadata', () => this.video.setAttribute('data-state', 'ready'));
  }

  /** Starts loading the stream (hls.js is fetched on first use). */
  async start(): Promise<void> {
    const { playHls } = await import('./hlsPlayer');
    if (this.disposed) return;
    try {
      this.playback = await playHls(this.video, this.source.playlist, {
        onFatal: (message) => this.fail(message),
        onLevels: (levels) => this.showLevels(levels),
        onLevelSwitched: (index) => this.video.setAttribute('data-level', String(index)),
      });
      if (this.disposed) this.playback.destroy();
      else this.video.setAttribute('data-engine', this.playback.engine);
    } catch (e) {
      this.fail(e instanceof Error ? e.message : String(e));
    }
  }

  seek(seconds: number): void {
    const limit = Number.isFinite(this.video.duration) ? this.video.duration : (this.source.durationSeconds ?? seconds);
    this.video.currentTime = Math.max(0, Math.min(limit, seconds));
    this.timeline.setTime(this.video.currentTime);
  }

  dispose(): void {
    this.disposed = true;
    this.timeline.dispose();
    this.playback?.destroy();
  }

  private showLevels(levels: Level[]): void {
    this.levelSelect.replaceChildren(
      h('option', { value: '-1' }, 'Auto'),
      ...levels.map((l, i) => h('option', { value: String(i) }, `${l.height}p · ${(l.bitrate / 1e6).toFixed(1)} Mb/s`)),
    );
    this.levelSelect.disabled = levels.length < 2;
  }

  private fail(message: string): void {
    this.video.setAttribute('data-state', 'error');
    this.error.hidden = false;
    this.error.textContent = message;
  }
}
