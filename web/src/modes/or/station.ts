import { ApiError } from '../../platform/api/client';
import type { Mode } from '../../platform/app';
import { h } from '../../platform/ui/dom';
import { createHeader } from '../../platform/ui/header';
import type { LiveOr } from './liveOrs';
import { talkControls } from './talk';

type StationRoute = { name: 'or-station'; orId: string };

/**
 * `#/or/<id>/station`: the page for a browser at the OR station. Clears the remote expert's drawings from the OR's
 * screens (DELETE /api/ors/{id}/annotations; the server checks that the user may use this OR and clear), and is the
 * OR's end of the talk-back: it plays the experts and sends the OR's microphone (docs/or-gateway.md "Talk-back").
 */
export const stationMode: Mode<StationRoute> = {
  route: 'or-station',
  requiresLogin: true,
  mount(root, ctx, route) {
    const user = ctx.session.user!;
    const base = `/api/ors/${encodeURIComponent(route.orId)}`;
    const title = h('h1', { 'data-testid': 'station-title' }, 'OR station');
    const status = h('p', { role: 'status', 'data-testid': 'station-status', 'data-state': 'loading' }, 'Loading…');
    const clear = h(
      'button',
      { type: 'button', class: 'btn', 'data-testid': 'station-clear', disabled: true },
      'Clear remote drawings',
    );
    const talk = talkControls((m, p, b) => ctx.api.client.send(m, p, b), base, 'station');
    root.replaceChildren(
      createHeader(user, () => void ctx.session.logout()),
      h(
        'main',
        { class: 'or-page' },
        h('a', { href: '#/worklist', class: 'back' }, '← Worklist'),
        title,
        clear,
        status,
        talk.element,
      ),
    );
    let disposed = false;

    function setStatus(state: string, text: string): void {
      status.setAttribute('data-state', state);
      status.textContent = text;
    }

    function failed(e: unknown): void {
      if (disposed) return;
      if (e instanceof ApiError && e.status === 403) setStatus('forbidden', 'You may not use this OR\u2019s station.');
      else if (e instanceof ApiError && e.status === 404) setStatus('not-found', 'There is no such OR.');
      else setStatus('error', e instanceof Error ? e.message : String(e));
    }

    clear.onclick = () => {
      clear.disabled = true;
      ctx.api.client
        .send<{ count: number }>('DELETE', `${base}/annotations`)
        .then((r) => {
          if (disposed) return;
          setStatus('cleared', `${r.count} remote drawing${r.count === 1 ? '' : 's'} cleared`);
        })
        .catch(failed)
        .finally(() => {
          clear.disabled = false;
        });
    };

    ctx.api.client
      .json<LiveOr>(base)
      .then((o) => {
        if (disposed) return;
        title.textContent = `${o.name} — OR station`;
        clear.disabled = false;
        setStatus(
          'ready',
          'Ready: experts\u2019 drawings show on this OR\u2019s display, marked REMOTE, until cleared here.',
        );
      })
      .catch(failed);

    const leave = (): void => talk.dispose();
    window.addEventListener('pagehide', leave);
    return () => {
      disposed = true;
      window.removeEventListener('pagehide', leave);
      talk.dispose();
    };
  },
};
