import { init as coreInit } from '@cornerstonejs/core';
import { init as toolsInit } from '@cornerstonejs/tools';
import { init as dicomImageLoaderInit } from '@cornerstonejs/dicom-image-loader';

export interface CornerstoneInitOptions {
  /** Called when an image request of the loader is answered 401. */
  onUnauthorized: (url: string) => void;
}

let initialized: Promise<void> | undefined;

/** Initialises Cornerstone3D core, tools and the DICOM image loader once per page. */
export function initCornerstone(options: CornerstoneInitOptions): Promise<void> {
  initialized ??= (async () => {
    coreInit();
    const cores = navigator.hardwareConcurrency || 2;
    dicomImageLoaderInit({
      maxWebWorkers: Math.max(1, Math.min(4, cores)),
      // Same-origin XHRs carry the session cookie; a 401 means the session ended.
      errorInterceptor: (error: { status?: number; request?: { responseURL?: string } }) => {
        if (error.status === 401) options.onUnauthorized(error.request?.responseURL ?? '');
      },
    } as Parameters<typeof dicomImageLoaderInit>[0]);
    toolsInit();
    // The loader's internal promise chains reject with the failed XMLHttpRequest even when the caller
    // handled the failure (and the viewer shows it in its error line); keep those out of the console.
    window.addEventListener('unhandledrejection', (e) => {
      if (e.reason instanceof XMLHttpRequest) e.preventDefault();
    });
  })();
  return initialized;
}
