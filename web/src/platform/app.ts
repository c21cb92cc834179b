import { ApiClient } from './api/client';
import { MedSyncApi } from './api/medsyncApi';
import type { Route } from './router';
import { Router } from './router';
import { Session } from './session';

/** The core services every mode gets. */
export interface AppContext {
  api: MedSyncApi;
  session: Session;
  router: Router;
}

export function createAppContext(): AppContext {
  const api = new MedSyncApi(new ApiClient());
  return { api, session: new Session(api), router: new Router() };
}

/** A mode owns the page for one route: it lays out extensions and returns its own teardown. */
export interface Mode<R extends Route = Route> {
  readonly route: R['name'];
  /** Whether the mode needs a logged-in user (else the app goes to #/login). */
  readonly requiresLogin: boolean;
  mount(root: HTMLElement, ctx: AppContext, route: R): () => void;
}
