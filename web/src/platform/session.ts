import { ApiError } from './api/client';
import type { MedSyncApi } from './api/medsyncApi';
import type { User } from './api/types';
import { Emitter } from './events';

export interface SessionEvents extends Record<string, unknown> {
  /** The user changed: logged in (a User) or out / expired (null). */
  change: User | null;
}

/** Who is logged in. The server owns the session (cookie); this mirrors it. */
export class Session {
  readonly events = new Emitter<SessionEvents>();
  private current: User | null = null;
  private ended: 'logout' | 'expired' = 'expired';

  constructor(private readonly api: MedSyncApi) {
    api.client.events.on('unauthorized', () => {
      this.ended = 'expired';
      this.set(null);
    });
  }

  /** Why the last session ended: the user logged out, or the server said 401 (expired, revoked). */
  get endReason(): 'logout' | 'expired' {
    return this.ended;
  }

  get user(): User | null {
    return this.current;
  }

  /**
   * Asks the server whether the cookie still holds a session. Skipped when this browser tab has not
   * logged in (no hint in localStorage), so a fresh start shows the login page without a 401.
   */
  async restore(): Promise<User | null> {
    if (!hasHint()) {
      this.set(null);
      return null;
    }
    try {
      this.set(await this.api.currentUser());
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) throw e;
      this.set(null);
    }
    return this.current;
  }

  async login(username: string, password: string): Promise<User> {
    const user = await this.api.login(username, password);
    this.set(user);
    return user;
  }

  async logout(): Promise<void> {
    this.ended = 'logout';
    try {
      await this.api.logout();
    } finally {
      this.set(null);
    }
  }

  private set(user: User | null): void {
    setHint(user !== null);
    const changed = user?.username !== this.current?.username || user?.role !== this.current?.role;
    this.current = user;
    if (changed) this.events.emit('change', user);
  }
}

const HINT_KEY = 'medsync.loggedIn';

function hasHint(): boolean {
  try {
    return localStorage.getItem(HINT_KEY) === '1';
  } catch {
    return true;
  }
}

function setHint(loggedIn: boolean): void {
  try {
    if (loggedIn) localStorage.setItem(HINT_KEY, '1');
    else localStorage.removeItem(HINT_KEY);
  } catch {
    // storage unavailable: restore() will simply always ask the server
  }
}
