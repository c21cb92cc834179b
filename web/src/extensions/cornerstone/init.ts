import {
  cache,
  Enums,
  getRenderingCapabilities,
  imageLoadPoolManager,
  imageRetrievalPoolManager,
  init as coreInit,
  setUseCPURendering,
} from '@cornerstonejs/core';
import { init as toolsInit } from '@cornerstonejs/tools';
import { init as dicomImageLoaderInit, wadors } from '@cornerstonejs/dicom-image-loader';
import { parseSinglePart } from '../../platform/api/multipart';
import { decideRendering, renderingChoice, type RenderingDecision } from './rendering';

export interface CornerstoneInitOptions {
  /** Called when an image request of the loader is answered 401. */
  onUnauthorized: (url: string) => void;
}

let initialized: Promise<void> | undefined;
let decision: RenderingDecision | undefined;

/** The rendering path this page took (set by initCornerstone). */
export function renderingDecision(): RenderingDecision | undefined {
  return decision;
}

/** Initialises Cornerstone3D core, tools and the DICOM image loader once per page. */
export function initCornerstone(options: CornerstoneInitOptions): Promise<void> {
  // A promise (not a plain call) so that a failure rejects every caller, now and later, the same way.
  initialized ??= new Promise<void>((resolve) => {
    // Cornerstone fixes the path of a viewport when it is created: decide before the first one.
    const caps = getRenderingCapabilities();
    decision = decideRendering(renderingChoice(location.search, safeStorage()), {
      webgl: caps.webgl,
      softwareRasterizer: caps.softwareRasterizer,
      renderer: caps.renderer,
    });
    coreInit();
    setUseCPURendering(decision.cpu, false);
    const cores = navigator.hardwareConcurrency || 2;
    dicomImageLoaderInit({
      maxWebWorkers: Math.max(1, Math.min(4, cores)),
      beforeProcessing: unwrapFrame,
      // Same-origin XHRs carry the session cookie; a 401 means the session ended.
      errorInterceptor: (error: { status?: number; request?: { responseURL?: string } }) => {
        if (error.status === 401) options.onUnauthorized(error.request?.responseURL ?? '');
      },
    });
    toolsInit();
    // The loader's internal promise chains reject with the failed XMLHttpRequest even when the caller
    // handled the failure (and the viewer shows it in its error line); keep those out of the console.
    window.addEventListener('unhandledrejection', (e) => {
      if (e.reason instanceof XMLHttpRequest) e.preventDefault();
    });
    resolve();
  });
  return initialized;
}

function safeStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined; // denied (an opaque origin)
  }
}

/**
 * Drops everything Cornerstone keeps for the page (decoded images, the metadata registered for them, requests
 * still queued): called whenever the user of this tab changes, so that nothing one user's viewer loaded is
 * drawn for the next user without the server checking that user's access again.
 */
export async function forgetImages(): Promise<void> {
  if (!initialized) return;
  await initialized;
  for (const pool of [imageLoadPoolManager, imageRetrievalPoolManager]) {
    for (const type of Object.values(Enums.RequestType)) pool.clearRequestStack(type);
  }
  cache.purgeCache();
  wadors.metaDataManager.purge();
}

/**
 * Hands the loader the frame bytes of a single-part multipart answer directly (with the part's
 * Content-Type, which carries the transfer syntax), so it does not scan every frame for the boundary
 * on the main thread. Anything unusual is passed through for the loader's own parser.
 */
function unwrapFrame(xhr: XMLHttpRequest): Promise<ArrayBuffer> {
  const body = xhr.response as ArrayBuffer;
  const contentType = xhr.getResponseHeader('Content-Type') ?? '';
  const part = body instanceof ArrayBuffer ? parseSinglePart(new Uint8Array(body), contentType) : undefined;
  if (!part) return Promise.resolve(body);
  const original = xhr.getResponseHeader.bind(xhr);
  Object.defineProperty(xhr, 'getResponseHeader', {
    configurable: true,
    value: (name: string) => (name.toLowerCase() === 'content-type' ? part.contentType : original(name)),
  });
  return Promise.resolve(body.slice(part.start, part.end));
}
