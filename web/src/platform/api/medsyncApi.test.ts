import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError } from './client';
import { MedSyncApi } from './medsyncApi';

function answer(status: number, body: unknown, headers: Record<string, string> = {}): void {
  vi.stubGlobal('fetch', () =>
    Promise.resolve(
      new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } }),
    ),
  );
}

describe('worklist faults', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('a database outage is an error with the server message, not an empty list', async () => {
    answer(503, { error: 'database-unavailable', message: "MedSync's database cannot be reached" });
    const failure = await new MedSyncApi(new ApiClient()).worklist('', '').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).status).toBe(503);
    expect((failure as ApiError).code).toBe('database-unavailable');
    expect((failure as ApiError).message).toContain('database cannot be reached');
  });

  it('names the sources missing from a partial list', async () => {
    answer(200, [{ source: 'local', studyInstanceUid: '1.2' }], { 'X-MedSync-Unavailable-Sources': 'pacs,archive' });
    const list = await new MedSyncApi(new ApiClient()).worklist('', '');
    expect(list.studies).toHaveLength(1);
    expect(list.unavailable).toEqual(['pacs', 'archive']);
  });

  it('a complete list names none', async () => {
    answer(200, []);
    expect((await new MedSyncApi(new ApiClient()).worklist('', '')).unavailable).toEqual([]);
  });
});
