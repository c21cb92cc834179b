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

  constructor(private readonly api: MedSyncApi) {
    api.client.events.on('unauthorized', () => this.set(null));
  }

  get user(): User | null {
    return this.current;
  }

  /** Asks the server whether the cookie still holds a session. */
  async restore(): Promise<User | null> {
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
    try {
      await this.api.logout();
    } finally {
      this.set(null);
    }
  }

  private set(user: User | null): void {
    const changed = user?.username !== this.current?.username || user?.role !== this.current?.role;
    this.current = user;
    if (changed) this.events.emit('change', user);
  }
}
