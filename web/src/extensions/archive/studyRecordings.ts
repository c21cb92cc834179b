import { ApiError } from '../../platform/api/client';
import { h } from '../../platform/ui/dom';
import { ArchiveApi, type RecordingSummary } from './archiveApi';
import { formatStarted } from './libraryTable';
import { PlayerView } from './playerView';

/**
 * The recordings of one study, for the viewer: a "Recordings (n)" button that opens a panel listing them, each
 * played in place by the archive player. The list is the server's answer to `?study=`, which already holds only
 * what this user may see; the caller shows the button only to roles that see patient data (the server refuses a
 * study search to students and observers, who must not learn that a patient's study has a recording).
 */
export class StudyRecordings {
  readonly button = h('button', { type: 'button', class: 'btn', 'data-testid': 'study-recordings', hidden: true });
  readonly panel = h('aside', {
    class: 'study-recordings-panel',
    'data-testid': 'study-recordings-panel',
    hidden: true,
  });
  private player: PlayerView | undefined;
  private disposed = false;

  constructor(
    private readonly api: ArchiveApi,
    private readonly study: string,
  ) {
    this.button.addEventListener('click', () => {
      this.panel.hidden = !this.panel.hidden;
      this.button.setAttribute('aria-expanded', String(!this.panel.hidden));
    });
  }

  /** Lists the study's recordings; no button when there are none or the archive is not there. */
  async load(): Promise<void> {
    let list: RecordingSummary[];
    try {
      list = await this.api.recordings({ study: this.study, limit: 50 });
    } catch (e) {
      // 404: a server without the archive; 400/403: a role that may not search by study. Neither is the viewer's error.
      if (!(e instanceof ApiError)) console.warn('Study recordings:', e);
      return;
    }
    if (this.disposed || list.length === 0) return;
    this.button.textContent = `▶ Recordings (${list.length})`;
    this.button.hidden = false;
    const slot = h('div', { class: 'study-recordings-player', 'data-testid': 'study-recordings-player' });
    const close = h('button', { type: 'button', class: 'btn', onclick: () => this.button.click() }, 'Close');
    this.panel.replaceChildren(
      h('header', {}, h('h3', {}, `Recordings of this study (${list.length})`), close),
      h(
        'ul',
        {},
        ...list.map((r) =>
          h(
            'li',
            {},
            h(
              'button',
              {
                type: 'button',
                class: 'link',
                'data-testid': 'study-recording',
                onclick: () => void this.play(r, slot),
              },
              r.title || r.procedure || 'Recording',
              r.anonymized ? ' (anonymized)' : '',
            ),
            r.startedAt ? h('span', { class: 'muted' }, ` ${formatStarted(r.startedAt)}`) : '',
          ),
        ),
      ),
      slot,
    );
  }

  private async play(r: RecordingSummary, slot: HTMLElement): Promise<void> {
    this.player?.dispose();
    this.player = undefined;
    slot.replaceChildren(h('p', { role: 'status' }, 'Loading…'));
    try {
      const d = await this.api.recording(r.id);
      if (this.disposed) return;
      if (!d.playlist) {
        slot.replaceChildren(h('p', { role: 'status' }, 'This recording has no playable rendition yet.'));
        return;
      }
      this.player = new PlayerView({
        playlist: d.playlist,
        durationSeconds: d.durationSeconds,
        flags: d.flags,
        storyboard: d.storyboard,
      });
      slot.replaceChildren(
        h('a', { href: `#/archive/recording/${encodeURIComponent(r.id)}` }, 'Open in the archive'),
        this.player.element,
      );
      void this.player.start();
    } catch (e) {
      slot.replaceChildren(
        h('p', { role: 'alert' }, `The recording cannot be played: ${e instanceof Error ? e.message : String(e)}`),
      );
    }
  }

  dispose(): void {
    this.disposed = true;
    this.player?.dispose();
  }
}
