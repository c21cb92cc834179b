import '../../extensions/archive/archive.css';
import { ApiError } from '../../platform/api/client';
import type { Mode } from '../../platform/app';
import { h } from '../../platform/ui/dom';
import { createHeader } from '../../platform/ui/header';
import { fetchIntegrity, integritySection } from '../../extensions/archive';

/** `#/archive/admin`: the archive's administration for admins; its "Integrity" section says whether every copy verifies. */
export const adminMode: Mode<{ name: 'archive-admin' }> = {
  route: 'archive-admin',
  requiresLogin: true,
  mount(root, ctx) {
    const user = ctx.session.user!;
    const controller = new AbortController();
    const status = h('p', { class: 'table-status', role: 'status', 'data-testid': 'admin-status' }, 'Loading…');
    const main = h('main', { class: 'worklist-page archive-page' }, h('h1', {}, 'Archive administration'), status);
    root.replaceChildren(
      createHeader(user, () => void ctx.session.logout()),
      main,
    );
    if (user.role !== 'admin') {
      status.textContent = 'Only administrators see the archive administration.';
      return () => controller.abort();
    }
    fetchIntegrity(ctx.api.client, controller.signal)
      .then((i) => {
        status.remove();
        main.append(integritySection(i));
      })
      .catch((e: unknown) => {
        if ((e as Error).name === 'AbortError' || (e instanceof ApiError && e.status === 401)) return;
        status.setAttribute('data-state', 'error');
        status.textContent = `The archive's integrity cannot be read: ${(e as Error).message}`;
      });
    return () => controller.abort();
  },
};
