// hls.js's ESM build carries no inline worker (only the UMD build does, as a blob: URL): it starts its transmuxing
// worker only from `workerPath`. Shipping hls.js's own worker file as a same-origin asset keeps it under the
// server's CSP (`worker-src 'self' blob:`), and MSE's blob: media URLs are allowed by `media-src 'self' blob:`.
import hlsWorkerUrl from 'hls.js/dist/hls.worker.js?url';

/** One rung of the ladder as the playing engine sees it. */
export interface Level {
  height: number;
  width: number;
  bitrate: number;
}

/** A playing HLS stream on a `<video>`: hls.js over MSE, or the browser's own HLS. */
export interface HlsPlayback {
  readonly engine: 'hls.js' | 'native';
  levels(): Level[];
  /** The level playing now (-1: not known, e.g. native playback). */
  currentLevel(): number;
  /** -1 = automatic (bandwidth-driven), else the index of a level in {@link levels}. */
  setLevel(index: number): void;
  destroy(): void;
}

export interface HlsCallbacks {
  /** A failure playback cannot get over by itself (after one recovery attempt for media errors). */
  onFatal(message: string): void;
  onLevels?(levels: Level[]): void;
  onLevelSwitched?(index: number): void;
}

const NATIVE_HLS = 'application/vnd.apple.mpegurl';

/**
 * Plays `playlistUrl` in `video`. hls.js whenever the browser has MSE: its fetches carry the session cookie (same
 * origin), it lets the user pick a rung, and it behaves the same in every browser. The browser's own HLS (Safari,
 * iOS) only where MSE is missing. hls.js is loaded on first use, so the library and upload pages stay small.
 */
export async function playHls(video: HTMLVideoElement, playlistUrl: string, cb: HlsCallbacks): Promise<HlsPlayback> {
  const { default: Hls } = await import('hls.js');
  if (!Hls.isSupported()) {
    if (!video.canPlayType(NATIVE_HLS)) {
      cb.onFatal('This browser can play neither HLS nor Media Source Extensions.');
      throw new Error('no HLS playback');
    }
    return nativePlayback(video, playlistUrl, cb);
  }
  const hls = new Hls({ enableWorker: true, workerPath: hlsWorkerUrl, startPosition: 0 });
  let recovered = false;
  hls.on(Hls.Events.ERROR, (_event, data) => {
    if (!data.fatal) return;
    if (data.type === Hls.ErrorTypes.MEDIA_ERROR && !recovered) {
      // A decoder hiccup (e.g. a bad segment boundary) usually clears after one recovery; twice means it won't.
      recovered = true;
      hls.recoverMediaError();
      return;
    }
    const status = data.response?.code;
    cb.onFatal(
      `Playback failed: ${data.details}${status ? ` (HTTP ${status})` : ''}${data.error?.message ? ` — ${data.error.message}` : ''}`,
    );
    hls.destroy();
  });
  const levels = (): Level[] => hls.levels.map((l) => ({ height: l.height, width: l.width, bitrate: l.bitrate }));
  hls.on(Hls.Events.MANIFEST_PARSED, () => cb.onLevels?.(levels()));
  hls.on(Hls.Events.LEVEL_SWITCHED, (_event, data) => cb.onLevelSwitched?.(data.level));
  hls.loadSource(playlistUrl);
  hls.attachMedia(video);
  return {
    engine: 'hls.js',
    levels,
    currentLevel: () => hls.currentLevel,
    setLevel: (index) => {
      hls.currentLevel = index;
    },
    destroy: () => hls.destroy(),
  };
}

function nativePlayback(video: HTMLVideoElement, playlistUrl: string, cb: HlsCallbacks): HlsPlayback {
  const onError = () => cb.onFatal(`Playback failed: ${video.error?.message || `media error ${video.error?.code}`}`);
  video.addEventListener('error', onError);
  video.src = playlistUrl;
  return {
    engine: 'native',
    levels: () => [],
    currentLevel: () => -1,
    setLevel: () => undefined,
    destroy: () => {
      video.removeEventListener('error', onError);
      video.removeAttribute('src');
      video.load();
    },
  };
}
