import '../../extensions/archive/archive.css';
import { ApiError } from '../../platform/api/client';
import type { Mode } from '../../platform/app';
import { h } from '../../platform/ui/dom';
import { createHeader } from '../../platform/ui/header';
import {
  ArchiveApi,
  PlayerView,
  ShareDialog,
  formatStarted,
  jobsList,
  needsPolling,
  pollDelay,
  renditionsTable,
  retentionSection,
  type RecordingDetail,
} from '../../extensions/archive';
import { formatClock } from '../../extensions/archive/timeline';

type RecordingRoute = { name: 'archive-recording'; recordingId: string };

/**
 * `#/archive/recording/{id}`: the player with its timeline, what the recording is, its renditions with their
 * quality, its jobs (polled while any runs), and for those who may: share and anonymize.
 */
export const recordingMode: Mode<RecordingRoute> = {
  route: 'archive-recording',
  requiresLogin: true,
  mount(root, ctx, route) {
    const user = ctx.session.user!;
    const api = new ArchiveApi(ctx.api.client);
    let disposed = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let player: PlayerView | undefined;
    let unchanged = 0;
    let last = '';

    const status = h('div', { class: 'table-status', 'data-testid': 'recording-status', role: 'status' });
    const playerSlot = h('div', { class: 'player-slot' });
    const info = h('div', { class: 'recording-info', 'data-testid': 'recording-info' });
    const actions = h('div', { class: 'recording-actions' });
    const renditions = h('section', { class: 'recording-section' });
    const jobs = h('section', { class: 'recording-section' });
    const retention = h('div', {});
    root.replaceChildren(
      createHeader(user, () => void ctx.session.logout()),
      h(
        'main',
        { class: 'archive-page recording-page' },
        h('a', { href: '#/archive', class: 'back' }, '← Recordings'),
        status,
        playerSlot,
        h('div', { class: 'recording-side' }, info, actions, retention, renditions, jobs),
      ),
    );

    function show(r: RecordingDetail): void {
      info.replaceChildren(...describe(r));
      renditions.replaceChildren(h('h3', {}, 'Renditions'), renditionsTable(r.renditions));
      jobs.replaceChildren(h('h3', {}, 'Jobs'), jobsList(r.jobs));
      retention.replaceChildren(...(r.retention ? [retentionSection(r.retention)] : []));
      status.hidden = r.status !== 'failed' && !!r.playlist;
      status.setAttribute('data-state', r.status);
      status.textContent =
        r.status === 'failed'
          ? `Processing failed: ${r.statusMessage ?? 'see the jobs below'}`
          : r.playlist
            ? ''
            : 'The recording is being processed; it plays once its renditions are ready.';
      // The player is made once, when a playlist first exists: polling must not restart playback.
      if (r.playlist && !player) {
        player = new PlayerView({
          playlist: r.playlist,
          durationSeconds: r.durationSeconds,
          flags: r.flags,
          storyboard: r.storyboard,
        });
        playerSlot.replaceChildren(player.element);
        void player.start();
      }
      showActions(r);
    }

    function showActions(r: RecordingDetail): void {
      const buttons: HTMLElement[] = [];
      if (r.may.share) {
        const dialog = new ShareDialog(api, r.id);
        buttons.push(
          h(
            'button',
            { type: 'button', class: 'btn', 'data-testid': 'share-open', onclick: () => void dialog.open() },
            'Share…',
          ),
          dialog.element,
        );
      }
      if (r.may.anonymize && !r.anonymized) {
        const result = h('span', { 'data-testid': 'anonymize-result', role: 'status' });
        const button = h(
          'button',
          {
            type: 'button',
            class: 'btn',
            'data-testid': 'anonymize',
            onclick: () => {
              button.disabled = true;
              api
                .anonymize(r.id)
                .then((answer) => ctx.router.go({ name: 'archive-recording', recordingId: answer.recording.id }))
                .catch((e: unknown) => {
                  button.disabled = false;
                  result.textContent = `Could not anonymize: ${(e as Error).message}`;
                });
            },
          },
          'Make anonymized copy',
        );
        buttons.push(button, result);
      }
      // Rebuilt only when the rights change, so an open dialog survives a poll.
      const key = `${r.may.share}/${r.may.anonymize}/${r.anonymized}`;
      if (actions.getAttribute('data-key') === key) return;
      actions.setAttribute('data-key', key);
      actions.replaceChildren(...buttons);
    }

    async function load(): Promise<void> {
      try {
        const r = await api.recording(route.recordingId);
        if (disposed) return;
        const fingerprint = JSON.stringify([r.status, r.jobs, r.playlist]);
        unchanged = fingerprint === last ? unchanged + 1 : 0;
        last = fingerprint;
        show(r);
        if (needsPolling(r)) timer = setTimeout(() => void load(), pollDelay(unchanged));
      } catch (e) {
        if (disposed || (e instanceof ApiError && e.status === 401)) return;
        status.hidden = false;
        status.setAttribute('data-state', 'error');
        status.textContent =
          e instanceof ApiError && e.status === 404
            ? 'There is no such recording, or you may not see it.'
            : `Could not load the recording: ${(e as Error).message}`;
      }
    }
    void load();
    return () => {
      disposed = true;
      clearTimeout(timer);
      player?.dispose();
    };
  },
};

function describe(r: RecordingDetail): Node[] {
  const rows: [string, string | null][] = [
    ['Procedure', r.procedure],
    ['Patient', [r.patientName, r.patientId].filter(Boolean).join(' · ') || null],
    ['Accession', r.accession],
    ['Study UID', r.studyUid],
    ['Hospital', r.hospital],
    ['OR', r.operatingRoom],
    ['Surgeon', r.operator],
    ['Owner', r.owner],
    ['Started', r.startedAt ? formatStarted(r.startedAt) : null],
    ['Duration', r.durationSeconds != null ? formatClock(r.durationSeconds) : null],
    ['Derived from', r.derivedFrom],
  ];
  return [
    h(
      'h2',
      { 'data-testid': 'recording-title' },
      r.title || r.procedure || `Recording ${r.id}`,
      r.anonymized ? h('span', { class: 'tag', 'data-testid': 'anonymized-tag' }, 'anonymized') : null,
      r.retention?.holds.some((x) => x.active)
        ? h('span', { class: 'tag hold-badge', 'data-testid': 'title-hold-badge' }, 'legal hold')
        : null,
    ),
    h(
      'dl',
      { class: 'recording-fields' },
      ...rows.filter(([, v]) => v).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
    ),
  ];
}
