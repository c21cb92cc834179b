import { ApiError } from '../../platform/api/client';
import { canUpload, type Source, type WorklistStudy } from '../../platform/api/types';
import type { Mode } from '../../platform/app';
import { debounce, h } from '../../platform/ui/dom';
import { createHeader } from '../../platform/ui/header';
import { UploadPanel, WorklistTable } from '../../extensions/study-browser';
import { listOrs, liveOrsSection } from '../or/liveOrs';

/** `#/worklist`: search and filter the studies of all sources, upload, open one in the viewer. */
export const worklistMode: Mode<{ name: 'worklist' }> = {
  route: 'worklist',
  requiresLogin: true,
  mount(root, ctx) {
    const user = ctx.session.user!;
    let sources: Source[] = [];
    let controller: AbortController | undefined;
    let disposed = false;

    const search = h('input', {
      type: 'search',
      id: 'worklist-search',
      'data-testid': 'worklist-search',
      placeholder: 'Patient name, ID, accession, description',
      autocomplete: 'off',
    });
    const sourceSelect = h(
      'select',
      { id: 'worklist-source', 'data-testid': 'worklist-source' },
      h('option', { value: '' }, 'All sources'),
    );
    const table = new WorklistTable(
      (s: WorklistStudy) => ctx.router.go({ name: 'viewer', source: s.source, studyInstanceUid: s.studyInstanceUid }),
      (id) => sources.find((s) => s.id === id)?.name ?? id,
    );

    async function refresh(): Promise<void> {
      controller?.abort();
      const mine = (controller = new AbortController());
      table.showLoading();
      try {
        const { studies, unavailable } = await ctx.api.worklist(search.value.trim(), sourceSelect.value, mine.signal);
        if (!disposed && mine === controller) {
          listed = studies;
          table.show(studies, !!search.value.trim() || !!sourceSelect.value);
          table.showUnavailable(unavailable.map((id) => sources.find((s) => s.id === id)?.name ?? id));
        }
      } catch (e) {
        if (disposed || mine !== controller || (e as Error).name === 'AbortError') return;
        if (e instanceof ApiError && e.status === 401) return;
        table.showError(e instanceof Error ? e.message : String(e));
      }
    }
    const refreshSoon = debounce(() => void refresh(), 300);
    search.addEventListener('input', refreshSoon);
    search.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') void refresh();
    });
    sourceSelect.addEventListener('change', () => void refresh());

    // The live ORs the user may watch (none configured or allowed: no section).
    const liveOrs = h('div', { class: 'live-ors-slot' });
    listOrs(ctx.api.client)
      .then((ors) => {
        if (!disposed && ors.length > 0) liveOrs.replaceChildren(liveOrsSection(ors));
      })
      .catch(() => undefined);

    const upload = canUpload(user.role) ? new UploadPanel(ctx.api, () => void refresh()) : undefined;

    // A readout over the studies listed now, in this order (attendings and residents).
    let listed: WorklistStudy[] = [];
    const startReadout = ['attending', 'resident'].includes(user.role)
      ? h(
          'button',
          {
            type: 'button',
            class: 'btn',
            'data-testid': 'readout-start',
            onclick: () => {
              void ctx.api.client
                .send<{ id: string }>('POST', '/api/readouts', {
                  title: 'Readout',
                  worklist: listed
                    .slice(0, 50)
                    .map((s) => ({ source: s.source, studyInstanceUid: s.studyInstanceUid })),
                })
                .then((r) => ctx.router.go({ name: 'readout', readoutId: r.id }));
            },
          },
          'Start readout',
        )
      : undefined;
    root.replaceChildren(
      createHeader(
        user,
        () => void ctx.session.logout(),
        [
          startReadout,
          // Photos of a screen (issue 15): clinicians send them, as a new consult from here.
          ['admin', 'attending', 'resident'].includes(user.role)
            ? h('a', { class: 'btn', href: '#/photo', 'data-testid': 'nav-photo' }, 'Send photo')
            : undefined,
        ].filter((n): n is HTMLAnchorElement | HTMLButtonElement => n !== undefined),
      ),
      h(
        'main',
        { class: 'worklist-page' },
        h(
          'div',
          { class: 'worklist-toolbar', role: 'search' },
          h('label', { for: 'worklist-search', class: 'sr-only' }, 'Search studies'),
          search,
          h('label', { for: 'worklist-source', class: 'sr-only' }, 'Source'),
          sourceSelect,
          upload?.element,
        ),
        liveOrs,
        table.element,
      ),
    );
    search.focus();

    ctx.api
      .sources()
      .then((list) => {
        if (disposed) return;
        sources = list;
        sourceSelect.append(...list.map((s) => h('option', { value: s.id }, s.name || s.id)));
      })
      .catch(() => {
        /* the filter stays at "All sources"; the worklist shows its own errors */
      });
    void refresh();
    // Warm up: fetch and evaluate the viewer's Cornerstone chunk while the user reads the list.
    const warmUp = setTimeout(() => {
      import('../../extensions/cornerstone')
        .then((cs) => cs.initCornerstone({ onUnauthorized: (url) => ctx.api.client.reportUnauthorized(url) }))
        .catch(() => undefined);
    }, 300);

    return () => {
      clearTimeout(warmUp);
      disposed = true;
      controller?.abort();
    };
  },
};
