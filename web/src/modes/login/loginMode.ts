import { ApiError } from '../../platform/api/client';
import type { Mode } from '../../platform/app';
import { parseRoute } from '../../platform/router';
import { h } from '../../platform/ui/dom';

/** `#/login`: the sign-in form. */
export const loginMode: Mode<{ name: 'login'; next?: string }> = {
  route: 'login',
  requiresLogin: false,
  mount(root, ctx, route) {
    const username = h('input', {
      name: 'username',
      id: 'login-username',
      autocomplete: 'username',
      required: true,
      autofocus: true,
    });
    const password = h('input', {
      name: 'password',
      id: 'login-password',
      type: 'password',
      autocomplete: 'current-password',
      required: true,
    });
    // Added to the form only when there is an error, so waiting for it waits for the message.
    const error = h('p', { class: 'login-error', 'data-testid': 'login-error', role: 'alert' });
    const submit = h('button', { type: 'submit', class: 'btn primary' }, 'Sign in');
    const form = h(
      'form',
      { class: 'login-form', 'aria-labelledby': 'login-title', novalidate: true },
      h('h1', { id: 'login-title' }, 'MedSync'),
      h('p', { class: 'subtitle' }, 'Synchronized medical image reading'),
      h('label', { for: 'login-username' }, 'User name'),
      username,
      h('label', { for: 'login-password' }, 'Password'),
      password,
      submit,
    );
    let active = true;
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void signIn();
    });
    async function signIn(): Promise<void> {
      if (!username.value || !password.value) {
        showError('Enter your user name and password.');
        return;
      }
      submit.disabled = true;
      error.remove();
      try {
        await ctx.session.login(username.value.trim(), password.value);
        if (!active) return;
        const next = route.next ? parseRoute(route.next) : undefined;
        ctx.router.go(next && next.name !== 'login' ? next : { name: 'worklist' }, true);
      } catch (err) {
        if (!active) return;
        showError(
          err instanceof ApiError && err.status === 401
            ? 'Wrong user name or password'
            : `Sign-in failed: ${err instanceof Error ? err.message : String(err)}`,
        );
        password.select();
      } finally {
        submit.disabled = false;
      }
    }
    function showError(text: string): void {
      error.textContent = text;
      submit.before(error);
    }
    root.replaceChildren(h('main', { class: 'login-page' }, form));
    username.focus();
    return () => {
      active = false;
    };
  },
};
