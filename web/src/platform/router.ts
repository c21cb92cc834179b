import { Emitter } from './events';

/** The app's hash routes. */
export type Route =
  | { name: 'login'; next?: string }
  | { name: 'worklist' }
  | { name: 'viewer'; source: string; studyInstanceUid: string }
  | { name: 'readout'; readoutId: string }
  | { name: 'join'; token: string }
  | { name: 'archive'; study?: string }
  | { name: 'archive-recording'; recordingId: string }
  | { name: 'archive-upload' }
  | { name: 'archive-admin' }
  | { name: 'archive-storage' }
  | { name: 'archive-link'; token: string }
  | { name: 'or'; orId: string }
  | { name: 'or-station'; orId: string }
  | { name: 'or-access' }
  | { name: 'archive-retention' }
  | { name: 'photo'; attach?: string };

export function parseRoute(hash: string): Route | undefined {
  const path = hash.replace(/^#/, '');
  const [pathPart = '', queryPart = ''] = path.split('?');
  const parts = pathPart.split('/').filter(Boolean).map(decodeURIComponent);
  switch (parts[0]) {
    case 'login': {
      const next = new URLSearchParams(queryPart).get('next') ?? undefined;
      return { name: 'login', next };
    }
    case 'worklist':
      return parts.length === 1 ? { name: 'worklist' } : undefined;
    case 'viewer':
      return parts.length === 3 ? { name: 'viewer', source: parts[1], studyInstanceUid: parts[2] } : undefined;
    case 'readout':
      return parts.length === 2 ? { name: 'readout', readoutId: parts[1] } : undefined;
    case 'join':
      return parts.length === 2 ? { name: 'join', token: parts[1] } : undefined;
    case 'archive':
      if (parts.length === 1) {
        const study = new URLSearchParams(queryPart).get('study') ?? undefined;
        return study ? { name: 'archive', study } : { name: 'archive' };
      }
      if (parts.length === 2 && parts[1] === 'upload') return { name: 'archive-upload' };
      if (parts.length === 2 && parts[1] === 'admin') return { name: 'archive-admin' };
      if (parts.length === 2 && parts[1] === 'storage') return { name: 'archive-storage' };
      if (parts.length === 2 && parts[1] === 'retention') return { name: 'archive-retention' };
      if (parts.length === 3 && parts[1] === 'recording') return { name: 'archive-recording', recordingId: parts[2] };
      if (parts.length === 3 && parts[1] === 'link') return { name: 'archive-link', token: parts[2] };
      return undefined;
    case 'or':
      if (parts.length === 2 && parts[1] === 'access') return { name: 'or-access' };
      if (parts.length === 3 && parts[2] === 'station') return { name: 'or-station', orId: parts[1] };
      return parts.length === 2 ? { name: 'or', orId: parts[1] } : undefined;
    case 'photo': {
      if (parts.length !== 1) return undefined;
      const attach = new URLSearchParams(queryPart).get('attach') ?? undefined;
      return attach ? { name: 'photo', attach } : { name: 'photo' };
    }
    default:
      return undefined;
  }
}

export function formatRoute(route: Route): string {
  switch (route.name) {
    case 'login':
      return route.next ? `#/login?next=${encodeURIComponent(route.next)}` : '#/login';
    case 'worklist':
      return '#/worklist';
    case 'viewer':
      return `#/viewer/${encodeURIComponent(route.source)}/${encodeURIComponent(route.studyInstanceUid)}`;
    case 'readout':
      return `#/readout/${encodeURIComponent(route.readoutId)}`;
    case 'join':
      return `#/join/${encodeURIComponent(route.token)}`;
    case 'archive':
      return route.study ? `#/archive?study=${encodeURIComponent(route.study)}` : '#/archive';
    case 'archive-recording':
      return `#/archive/recording/${encodeURIComponent(route.recordingId)}`;
    case 'archive-upload':
      return '#/archive/upload';
    case 'archive-admin':
      return '#/archive/admin';
    case 'archive-storage':
      return '#/archive/storage';
    case 'archive-link':
      return `#/archive/link/${encodeURIComponent(route.token)}`;
    case 'or':
      return `#/or/${encodeURIComponent(route.orId)}`;
    case 'or-access':
      return '#/or/access';
    case 'or-station':
      return `#/or/${encodeURIComponent(route.orId)}/station`;
    case 'archive-retention':
      return '#/archive/retention';
    case 'photo':
      return route.attach ? `#/photo?attach=${encodeURIComponent(route.attach)}` : '#/photo';
  }
}

export interface RouterEvents extends Record<string, unknown> {
  /** The hash changed to this route (undefined: not one of ours). */
  navigate: Route | undefined;
}

/** Hash router: `#/login`, `#/worklist`, `#/viewer/{source}/{studyInstanceUid}`, `#/archive/...`. */
export class Router {
  readonly events = new Emitter<RouterEvents>();
  private readonly onHashChange = () => this.events.emit('navigate', this.current());

  start(): void {
    window.addEventListener('hashchange', this.onHashChange);
    this.onHashChange();
  }

  current(): Route | undefined {
    return parseRoute(window.location.hash);
  }

  go(route: Route, replace = false): void {
    const hash = formatRoute(route);
    if (window.location.hash === hash) {
      this.onHashChange();
    } else if (replace) {
      window.history.replaceState(null, '', hash);
      this.onHashChange();
    } else {
      window.location.hash = hash;
    }
  }
}
