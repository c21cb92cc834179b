import { ApiError } from '../../platform/api/client';
import { h } from '../../platform/ui/dom';
import { shareActive, type ArchiveApi, type Shares } from './archiveApi';
import { formatStarted } from './libraryTable';

/** An expiry `days` from `now`, as the ISO instant the API takes. */
export function expiryIn(days: number, now: Date = new Date()): string {
  return new Date(now.getTime() + days * 24 * 3600 * 1000).toISOString();
}

/** The absolute URL of a link the server answered with (`/#/archive/link/<token>`), for copying. */
export function absoluteLink(url: string, origin: string): string {
  return new URL(url, origin).href;
}

/**
 * Sharing one recording: grant it to a named user until a date, or make a link (anonymized or not) whose URL is
 * shown once, right after it is made; lists the grants and links in force with a revoke button each.
 */
export class ShareDialog {
  readonly element: HTMLDialogElement;
  private readonly grants: HTMLElement;
  private readonly links: HTMLElement;
  private readonly created: HTMLElement;
  private readonly error: HTMLElement;

  constructor(
    private readonly api: ArchiveApi,
    private readonly recordingId: string,
  ) {
    const grantee = h('input', {
      type: 'text',
      'data-testid': 'grant-user',
      placeholder: 'User name',
      autocomplete: 'off',
      'aria-label': 'Share with user',
    });
    const grantDays = h('input', {
      type: 'number',
      min: 1,
      max: 3650,
      value: 30,
      class: 'num-input',
      'data-testid': 'grant-days',
      'aria-label': 'Grant valid for days',
    });
    const linkDays = h('input', {
      type: 'number',
      min: 1,
      max: 365,
      value: 7,
      class: 'num-input',
      'data-testid': 'link-days',
      'aria-label': 'Link valid for days',
    });
    const anonymized = h('input', { type: 'checkbox', checked: true, 'data-testid': 'link-anonymized' });
    this.grants = h('ul', { class: 'share-list', 'data-testid': 'grant-list' });
    this.links = h('ul', { class: 'share-list', 'data-testid': 'link-list' });
    this.created = h('div', { class: 'share-created', hidden: true });
    this.error = h('p', { class: 'login-error', role: 'alert', 'data-testid': 'share-error', hidden: true });
    this.element = h(
      'dialog',
      { class: 'share-dialog', 'data-testid': 'share-dialog', 'aria-label': 'Share recording' },
      h('h2', {}, 'Share'),
      h(
        'form',
        {
          class: 'share-row',
          onsubmit: (e: Event) => {
            e.preventDefault();
            void this.act(async () => {
              if (!grantee.value.trim()) throw new Error('Name the user to share with.');
              await this.api.grant(this.recordingId, grantee.value.trim(), expiryIn(Number(grantDays.value) || 30));
              grantee.value = '';
            });
          },
        },
        grantee,
        h('label', {}, 'for ', grantDays, ' days'),
        h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'grant-create' }, 'Share'),
      ),
      this.grants,
      h(
        'div',
        { class: 'share-row' },
        h('label', {}, anonymized, ' anonymized'),
        h('label', {}, 'for ', linkDays, ' days'),
        h(
          'button',
          {
            type: 'button',
            class: 'btn',
            'data-testid': 'link-create',
            onclick: () =>
              void this.act(async () => {
                const link = await this.api.createLink(
                  this.recordingId,
                  anonymized.checked,
                  expiryIn(Number(linkDays.value) || 7),
                );
                this.showCreated(absoluteLink(link.url, window.location.origin));
              }),
          },
          'Create link',
        ),
      ),
      this.created,
      this.links,
      this.error,
      h(
        'div',
        { class: 'share-row end' },
        h(
          'button',
          { type: 'button', class: 'btn', 'data-testid': 'share-close', onclick: () => this.element.close() },
          'Close',
        ),
      ),
    );
  }

  async open(): Promise<void> {
    this.created.hidden = true;
    this.created.replaceChildren();
    this.element.showModal();
    await this.act(() => Promise.resolve());
  }

  /** Runs a change, then shows the shares as the server has them now (or the error). */
  private async act(change: () => Promise<void>): Promise<void> {
    this.error.hidden = true;
    try {
      await change();
      this.render(await this.api.shares(this.recordingId));
    } catch (e) {
      this.error.hidden = false;
      this.error.textContent = e instanceof ApiError || e instanceof Error ? e.message : String(e);
    }
  }

  /** The link's URL, this once: the server keeps only a hash of its token. */
  private showCreated(url: string): void {
    const field = h('input', { type: 'text', readonly: true, value: url, 'data-testid': 'link-url' });
    this.created.hidden = false;
    this.created.replaceChildren(
      h('p', {}, 'Copy the link now: it is not shown again.'),
      field,
      h(
        'button',
        {
          type: 'button',
          class: 'btn',
          onclick: () => {
            field.select();
            void navigator.clipboard?.writeText(url).catch(() => undefined);
          },
        },
        'Copy',
      ),
    );
    field.select();
  }

  private render(shares: Shares): void {
    const state = (s: { revokedAt: string | null; expiresAt: string | null }) =>
      s.revokedAt ? 'revoked' : shareActive(s) ? 'active' : 'expired';
    const until = (s: { revokedAt: string | null; expiresAt: string | null }) =>
      state(s) === 'active' ? (s.expiresAt ? `, until ${formatStarted(s.expiresAt)}` : '') : ` (${state(s)})`;
    this.grants.replaceChildren(
      ...shares.grants.map((g) =>
        h(
          'li',
          { 'data-testid': 'grant-entry', 'data-grant-id': g.id, 'data-grantee': g.grantee, 'data-state': state(g) },
          `${g.grantee}${until(g)}`,
          state(g) !== 'active'
            ? null
            : h(
                'button',
                {
                  type: 'button',
                  class: 'btn',
                  'data-testid': 'grant-revoke',
                  onclick: () => void this.act(() => this.api.revokeGrant(g.id)),
                },
                'Revoke',
              ),
        ),
      ),
    );
    this.links.replaceChildren(
      ...shares.links.map((l) =>
        h(
          'li',
          {
            'data-testid': 'link-entry',
            'data-link-id': l.id,
            'data-anonymized': String(l.anonymized),
            'data-state': state(l),
          },
          `${l.anonymized ? 'Anonymized link' : 'Link'}${until(l)}`,
          state(l) !== 'active'
            ? null
            : h(
                'button',
                {
                  type: 'button',
                  class: 'btn',
                  'data-testid': 'link-revoke',
                  onclick: () => void this.act(() => this.api.revokeLink(l.id)),
                },
                'Revoke',
              ),
        ),
      ),
    );
  }
}
