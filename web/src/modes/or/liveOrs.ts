import type { ApiClient } from '../../platform/api/client';
import { formatRoute } from '../../platform/router';
import { h } from '../../platform/ui/dom';

/** One flow of a live OR as GET /api/ors answers (docs/or-gateway.md "API"). */
export interface OrFlow {
  name: string;
  running: boolean;
  viewers: number;
  since: string | null;
  /** A test pattern (its frames carry a burned-in stamp of their RTV timestamp, stamp.ts). */
  testPattern?: boolean;
}

/** One OR the caller may watch. */
export interface LiveOr {
  id: string;
  name: string;
  procedure: string;
  flows: OrFlow[];
}

export function listOrs(client: ApiClient, signal?: AbortSignal): Promise<LiveOr[]> {
  return client.json<{ ors: LiveOr[] }>('/api/ors', { signal }).then((r) => r.ors);
}

/** Since when the OR has been on air (its earliest running flow), for the list; empty when nobody watches yet. */
export function onAirSince(or: LiveOr): string {
  const times = or.flows.filter((f) => f.since).map((f) => Date.parse(f.since!));
  if (times.length === 0) return '';
  return new Date(Math.min(...times)).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** The "Live ORs" list of the worklist page: each OR the caller may watch, a link to `#/or/<id>`. */
export function liveOrsSection(ors: LiveOr[]): HTMLElement {
  return h(
    'section',
    { class: 'live-ors', 'data-testid': 'live-ors', 'aria-label': 'Live operating rooms' },
    h('h2', {}, 'Live ORs'),
    h(
      'ul',
      {},
      ...ors.map((or) => {
        const since = onAirSince(or);
        return h(
          'li',
          {},
          h('a', { href: formatRoute({ name: 'or', orId: or.id }), 'data-testid': `live-or-${or.id}` }, or.name),
          ` ${or.procedure} · ${or.flows.length} flow${or.flows.length === 1 ? '' : 's'}`,
          since ? ` · on air since ${since}` : '',
        );
      }),
    ),
  );
}
