import '../../extensions/archive/archive.css';
import { ApiError } from '../../platform/api/client';
import type { Mode } from '../../platform/app';
import { h } from '../../platform/ui/dom';
import { ArchiveApi, PlayerView, formatStarted } from '../../extensions/archive';

type LinkRoute = { name: 'archive-link'; token: string };

/** `#/archive/link/{token}`: a shared recording, for anyone holding the link (no login): the player only. */
export const linkMode: Mode<LinkRoute> = {
  route: 'archive-link',
  requiresLogin: false,
  mount(root, ctx, route) {
    let disposed = false;
    let player: PlayerView | undefined;
    const status = h('p', { class: 'table-status', 'data-testid': 'link-status', role: 'status' }, 'Loading…');
    const main = h('main', { class: 'archive-page recording-page' }, status);
    root.replaceChildren(main);
    new ArchiveApi(ctx.api.client)
      .link(route.token)
      .then((r) => {
        if (disposed) return;
        status.hidden = true;
        const title = r.title || r.procedure || 'Shared recording';
        main.append(
          h(
            'h2',
            { 'data-testid': 'recording-title' },
            title,
            r.anonymized ? h('span', { class: 'tag', 'data-testid': 'anonymized-tag' }, 'anonymized') : null,
          ),
          r.startedAt ? h('p', { class: 'muted' }, formatStarted(r.startedAt)) : '',
        );
        player = new PlayerView({
          playlist: r.playlist ?? `/api/archive/links/${encodeURIComponent(route.token)}/playlist.m3u8`,
          durationSeconds: r.durationSeconds,
          flags: r.flags,
          storyboard: r.storyboard,
        });
        main.append(player.element);
        void player.start();
      })
      .catch((e: unknown) => {
        if (disposed) return;
        status.setAttribute('data-state', 'error');
        status.textContent =
          e instanceof ApiError && (e.status === 404 || e.status === 410)
            ? 'This link has expired, was revoked, or never existed.'
            : `The recording cannot be opened: ${(e as Error).message}`;
      });
    return () => {
      disposed = true;
      player?.dispose();
    };
  },
};
