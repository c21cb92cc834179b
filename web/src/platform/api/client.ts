import { Emitter } from '../events';

/** An error answer of the server: `{error, message}` with its HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly url: string,
    /** The whole JSON body of the error answer, for routes that say more than `{error, message}`. */
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiEvents extends Record<string, unknown> {
  /** Any request answered 401: the session is gone. */
  unauthorized: { url: string };
}

/**
 * Fetch wrapper for the same-origin MedSync API: relative URLs, cookie session, JSON bodies,
 * errors turned into ApiError, and an `unauthorized` event on every 401.
 */
export class ApiClient {
  readonly events = new Emitter<ApiEvents>();

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(path, { credentials: 'same-origin', ...init });
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      throw new ApiError(0, 'network', `The server cannot be reached (${(e as Error).message}).`, path);
    }
    if (response.ok) return response;
    const error = await ApiClient.errorOf(response, path);
    if (response.status === 401) this.events.emit('unauthorized', { url: path });
    throw error;
  }

  async json<T>(path: string, init: RequestInit = {}): Promise<T> {
    const response = await this.request(path, {
      ...init,
      headers: { Accept: 'application/json', ...(init.headers ?? {}) },
    });
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  send<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.json<T>(path, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  /** Reports a 401 seen outside fetch (for example by the image loader's XHRs). */
  reportUnauthorized(url: string): void {
    this.events.emit('unauthorized', { url });
  }

  private static async errorOf(response: Response, url: string): Promise<ApiError> {
    let code = `http-${response.status}`;
    let message = `${response.status} ${response.statusText}`.trim();
    let body: { error?: string; message?: string } | undefined;
    try {
      body = (await response.json()) as { error?: string; message?: string };
      if (body.error) code = body.error;
      if (body.message) message = body.message;
    } catch {
      // not JSON: keep the status line
    }
    return new ApiError(response.status, code, message, url, body);
  }
}
