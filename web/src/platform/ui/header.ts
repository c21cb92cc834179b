import type { User } from '../api/types';
import { h } from './dom';

/** The bar on every logged-in page: brand, navigation, user name + role, logout. */
export function createHeader(user: User, onLogout: () => void, extra: Node[] = []): HTMLElement {
  return h(
    'header',
    { class: 'app-header' },
    h('a', { class: 'brand', href: '#/worklist', 'aria-label': 'MedSync worklist' }, 'MedSync'),
    h(
      'nav',
      { class: 'header-extra' },
      h('a', { class: 'btn', href: '#/worklist', 'data-testid': 'nav-worklist' }, 'Worklist'),
      h('a', { class: 'btn', href: '#/archive', 'data-testid': 'nav-archive' }, 'Recordings'),
      ...extra,
    ),
    h(
      'div',
      { class: 'user' },
      h(
        'span',
        { 'data-testid': 'current-user', title: user.username },
        `${user.displayName || user.username} `,
        h('span', { class: 'role' }, `(${user.role})`),
      ),
      h('button', { type: 'button', class: 'btn', 'data-testid': 'logout', onclick: onLogout }, 'Log out'),
    ),
  );
}
