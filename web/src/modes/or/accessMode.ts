import { ApiError } from '../../platform/api/client';
import type { Mode } from '../../platform/app';
import { h } from '../../platform/ui/dom';
import { createHeader } from '../../platform/ui/header';

/** One OR's allow-list as GET /api/admin/or-access answers (docs/or-gateway.md "Access rules"). */
interface OrAccessRow {
  id: string;
  name: string;
  procedure: string;
  roles: string[];
  users: string[];
  teaching: boolean;
  teachingOnlyRoles: string[];
  source: 'configuration' | 'administrator';
  updatedBy: string | null;
  updatedAt: string | null;
}

const ROLES = ['attending', 'resident', 'student', 'observer', 'admin'];

/**
 * `#/or/access`: who may watch each live OR, for administrators. Each OR's roles, named users and whether its
 * procedure is a teaching one (the roles the server lists as teaching-only may watch only then); saved through PUT
 * /api/admin/or-access/{id}, effective at once (viewings no longer admitted end), or reset to the configuration.
 */
export const orAccessMode: Mode<{ name: 'or-access' }> = {
  route: 'or-access',
  requiresLogin: true,
  mount(root, ctx) {
    const user = ctx.session.user!;
    const status = h('p', { class: 'table-status', role: 'status', 'data-testid': 'or-access-status' }, 'Loading…');
    const list = h('div', { class: 'or-access-list' });
    root.replaceChildren(
      createHeader(user, () => void ctx.session.logout()),
      h('main', { class: 'worklist-page' }, h('h1', {}, 'Who may watch live ORs'), status, list),
    );
    if (user.role !== 'admin') {
      status.textContent = 'Only administrators decide who may watch live ORs.';
      return () => undefined;
    }
    let disposed = false;

    function row(r: OrAccessRow): HTMLElement {
      const boxes = ROLES.map((role) =>
        h(
          'label',
          { class: 'or-access-role' },
          h('input', {
            type: 'checkbox',
            name: role,
            'data-testid': `or-access-${r.id}-role-${role}`,
            checked: r.roles.includes(role),
          }),
          ` ${role}`,
        ),
      );
      const users = h<'input'>('input', {
        type: 'text',
        'data-testid': `or-access-${r.id}-users`,
        'aria-label': 'Users allowed whatever their role, separated by commas',
        value: r.users.join(', '),
      });
      const teaching = h<'input'>('input', {
        type: 'checkbox',
        'data-testid': `or-access-${r.id}-teaching`,
        checked: r.teaching,
      });
      const note = h('span', { class: 'or-access-note', 'data-testid': `or-access-${r.id}-note` }, describe(r));
      const save = h(
        'button',
        {
          type: 'button',
          class: 'btn',
          'data-testid': `or-access-${r.id}-save`,
          onclick: () =>
            void put(r.id, {
              roles: ROLES.filter((_, i) => (boxes[i].querySelector('input') as HTMLInputElement).checked),
              users: users.value
                .split(',')
                .map((u) => u.trim())
                .filter(Boolean),
              teaching: teaching.checked,
            }),
        },
        'Save',
      );
      const reset = h(
        'button',
        {
          type: 'button',
          class: 'btn',
          'data-testid': `or-access-${r.id}-reset`,
          onclick: () => void send('DELETE', `/api/admin/or-access/${encodeURIComponent(r.id)}`),
        },
        'Back to configuration',
      );
      return h(
        'section',
        { class: 'or-access', 'data-testid': `or-access-${r.id}` },
        h('h2', {}, `${r.name}${r.procedure ? ` — ${r.procedure}` : ''}`),
        h('div', {}, ...boxes),
        h('label', {}, 'Users ', users),
        h(
          'label',
          {},
          teaching,
          ` Teaching procedure (${r.teachingOnlyRoles.join(', ') || 'no role'} may watch only teaching procedures)`,
        ),
        h('div', {}, save, ' ', reset, ' ', note),
      );
    }

    function describe(r: OrAccessRow): string {
      return r.source === 'administrator'
        ? `set by ${r.updatedBy ?? '?'} at ${r.updatedAt ? new Date(r.updatedAt).toLocaleString() : '?'}`
        : 'from the configuration';
    }

    async function send(method: string, path: string, body?: unknown): Promise<void> {
      try {
        await ctx.api.client.send(method, path, body);
        status.setAttribute('data-state', 'saved');
        status.textContent = 'Saved: it applies at once.';
        await load();
      } catch (e) {
        status.setAttribute('data-state', 'error');
        status.textContent = e instanceof ApiError ? e.message : String(e);
      }
    }

    function put(id: string, body: { roles: string[]; users: string[]; teaching: boolean }): Promise<void> {
      return send('PUT', `/api/admin/or-access/${encodeURIComponent(id)}`, body);
    }

    async function load(): Promise<void> {
      const r = await ctx.api.client.json<{ ors: OrAccessRow[] }>('/api/admin/or-access');
      if (disposed) return;
      list.replaceChildren(...r.ors.map(row));
      if (status.getAttribute('data-state') !== 'saved') {
        status.textContent = r.ors.length === 0 ? 'No live ORs are configured.' : '';
        status.setAttribute('data-state', 'loaded');
      }
    }

    load().catch((e: unknown) => {
      status.setAttribute('data-state', 'error');
      status.textContent = `The allow-lists cannot be read: ${(e as Error).message}`;
    });
    return () => {
      disposed = true;
    };
  },
};
