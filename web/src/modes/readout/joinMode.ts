import { ApiError } from '../../platform/api/client';
import type { Mode } from '../../platform/app';
import { h } from '../../platform/ui/dom';

type JoinRoute = { name: 'join'; token: string };

/**
 * `#/join/{token}`: an invite link. Logged-in users go straight to the readout; a guest invited as student or
 * observer gives a name and gets a guest session; an invite for a clinician asks for a login first.
 */
export const joinMode: Mode<JoinRoute> = {
  route: 'join',
  requiresLogin: false,
  mount(root, ctx, route) {
    const error = h('p', { class: 'login-error', 'data-testid': 'join-error', role: 'alert', hidden: true });
    const name = h('input', {
      type: 'text',
      name: 'name',
      'data-testid': 'join-name',
      placeholder: 'Your name',
      maxlength: 48,
      'aria-label': 'Your name',
    });
    const join = async (): Promise<void> => {
      try {
        const r = await ctx.api.client.send<{ readoutId: string }>('POST', '/api/readouts/join', {
          token: route.token,
          name: name.value,
        });
        try {
          localStorage.setItem('medsync.loggedIn', '1');
        } catch {
          // no storage: restore() asks anyway
        }
        await ctx.session.restore();
        ctx.router.go({ name: 'readout', readoutId: r.readoutId }, true);
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) {
          ctx.router.go({ name: 'login', next: `#/join/${route.token}` });
          return;
        }
        error.hidden = false;
        // 409: the name is an account's; the invite itself is fine, another name will do.
        error.textContent =
          e instanceof ApiError && e.status === 409 ? e.message : `This invite cannot be used: ${(e as Error).message}`;
      }
    };
    const submit = h(
      'button',
      { type: 'button', class: 'btn', 'data-testid': 'join-submit', onclick: () => void join() },
      'Join readout',
    );
    root.replaceChildren(
      h(
        'main',
        { class: 'login-page' },
        h(
          'form',
          {
            class: 'login-form',
            onsubmit: (e: Event) => {
              e.preventDefault();
              void join();
            },
          },
          h('h1', {}, 'Join a readout'),
          name,
          submit,
          error,
        ),
      ),
    );
    if (ctx.session.user) void join();
    return () => undefined;
  },
};
