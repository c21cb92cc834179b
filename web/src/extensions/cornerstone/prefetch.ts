import { Enums, imageLoader } from '@cornerstonejs/core';

export interface PrefetchProgress {
  loaded: number;
  failed: number;
  total: number;
  complete: boolean;
}

export interface PrefetchFailure {
  index: number;
  imageId: string;
  error: unknown;
}

/**
 * Loads and caches every image of a stack, nearest to `startIndex` first, with at most `concurrency`
 * requests of our own in flight. Stopping only stops issuing new requests: requests already given to
 * Cornerstone finish, so its cache never holds a promise that cannot settle.
 */
export function prefetchStack(
  imageIds: readonly string[],
  startIndex: number,
  onProgress: (progress: PrefetchProgress) => void,
  onFailure: (failure: PrefetchFailure) => void,
  concurrency = 6,
  timeoutMs = 60_000,
): () => void {
  const order = outwardOrder(imageIds.length, startIndex);
  const progress: PrefetchProgress = { loaded: 0, failed: 0, total: imageIds.length, complete: imageIds.length === 0 };
  let next = 0;
  let stopped = false;
  onProgress({ ...progress });

  const pump = (): void => {
    while (!stopped && next < order.length && inFlight < concurrency) {
      const index = order[next++];
      const imageId = imageIds[index];
      inFlight++;
      withTimeout(
        imageLoader.loadAndCacheImage(imageId, { priority: 0, requestType: Enums.RequestType.Prefetch }),
        timeoutMs,
      )
        .then(
          () => progress.loaded++,
          (error: unknown) => {
            progress.failed++;
            if (!stopped) onFailure({ index, imageId, error });
          },
        )
        .finally(() => {
          inFlight--;
          if (stopped) return;
          progress.complete = progress.loaded + progress.failed === progress.total;
          onProgress({ ...progress });
          pump();
        });
    }
  };
  let inFlight = 0;
  pump();
  return () => {
    stopped = true;
  };
}

/** 0..n-1 ordered by distance from `start`: start, start+1, start-1, start+2, ... */
export function outwardOrder(n: number, start: number): number[] {
  const s = Math.min(Math.max(0, start), Math.max(0, n - 1));
  const out: number[] = [];
  for (let d = 0; out.length < n; d++) {
    if (s + d < n) out.push(s + d);
    if (d > 0 && s - d >= 0) out.push(s - d);
  }
  return out;
}

/** Rejects when `promise` has not settled in `ms` (some loader failures never settle). */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not loaded after ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
