import { h } from '../../platform/ui/dom';

/**
 * Telestration from outside the OR (docs/or-gateway.md "Expert to OR"): the expert draws on a flow's video; each
 * stroke (normalised to the picture, with the RTV timestamp of the frame on screen when it began) goes over the
 * viewing's metadata socket to the server, which checks the role and puts it on the OR receiver's remote annotations
 * layer. What the OR sees comes back in the video itself (the gateway encodes the receiver's composed output), so the
 * page's own ink is only a short-lived preview.
 */

/** One stroke as sent: `{"type": "annotation-stroke", ...}`. */
export interface StrokeMessage {
  type: 'annotation-stroke';
  id: string;
  rtpTimestamp: number;
  color: string;
  width: number;
  points: [number, number][];
}

/** The server's answers to telestration messages. */
export type TelestrationReply =
  | { type: 'annotation-ack'; id: string; expiresInMs: number }
  | { type: 'annotation-cleared'; count: number }
  | { type: 'annotation-error'; error: string; message: string };

export const STROKE_COLOR = '#ff00ff';
export const STROKE_WIDTH = 0.006;
/** While drawing, the stroke so far is sent this often (the OR sees it grow; same id replaces). */
export const SEND_EVERY_MS = 100;
export const MAX_POINTS = 2000;

const sockets = new WeakMap<HTMLVideoElement, WebSocket>();
const permissions = new WeakMap<HTMLVideoElement, boolean>();
const listeners = new WeakMap<HTMLVideoElement, (r: TelestrationReply) => void>();

/** Whether a socket message is a telestration answer (the metadata parser leaves those to this module). */
export function isTelestrationReply(text: string): boolean {
  return text.startsWith('{"type":"annotation-');
}

/** Parses a server answer; undefined for anything that is not one. */
export function parseReply(text: string): TelestrationReply | undefined {
  if (!isTelestrationReply(text)) return undefined;
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof m !== 'object' || m === null) return undefined;
  const o = m as Record<string, unknown>;
  if (o.type === 'annotation-ack' && typeof o.id === 'string' && typeof o.expiresInMs === 'number')
    return { type: 'annotation-ack', id: o.id, expiresInMs: o.expiresInMs };
  if (o.type === 'annotation-cleared' && typeof o.count === 'number')
    return { type: 'annotation-cleared', count: o.count };
  if (o.type === 'annotation-error' && typeof o.error === 'string' && typeof o.message === 'string')
    return { type: 'annotation-error', error: o.error, message: o.message };
  return undefined;
}

/** Called by the overlay when it opens a viewing's socket: strokes on `video` go there (the latest one wins). */
export function useSocket(video: HTMLVideoElement, ws: WebSocket): void {
  sockets.set(video, ws);
  ws.addEventListener('message', (e: MessageEvent) => {
    if (typeof e.data !== 'string') return;
    if (e.data.startsWith('{"type":"hello"')) {
      try {
        permissions.set(video, (JSON.parse(e.data) as { annotate?: unknown }).annotate === true);
      } catch {
        permissions.set(video, false);
      }
      listeners.get(video)?.({ type: 'annotation-cleared', count: 0 });
      return;
    }
    const r = parseReply(e.data);
    if (r) listeners.get(video)?.(r);
  });
}

/**
 * A point of the video element in client coordinates, normalised to the picture (the video letterboxes: object-fit
 * contain), clamped to 0..1; undefined before the video knows its size.
 */
export function normalise(
  clientX: number,
  clientY: number,
  box: { left: number; top: number; width: number; height: number },
  videoWidth: number,
  videoHeight: number,
): [number, number] | undefined {
  if (videoWidth <= 0 || videoHeight <= 0 || box.width <= 0 || box.height <= 0) return undefined;
  const scale = Math.min(box.width / videoWidth, box.height / videoHeight);
  const w = videoWidth * scale;
  const hgt = videoHeight * scale;
  const x = (clientX - box.left - (box.width - w) / 2) / w;
  const y = (clientY - box.top - (box.height - hgt) / 2) / hgt;
  const clamp = (v: number): number => Math.min(1, Math.max(0, Math.round(v * 10000) / 10000));
  return [clamp(x), clamp(y)];
}

export interface TelestrationLayer {
  dispose(): void;
}

let counter = 0;

/**
 * Puts a drawing surface over `video` and "Draw" / "Clear drawings" controls after it. Drawing is offered only when the
 * server said this user may draw (the hello's `annotate`); the server checks again on every stroke.
 */
export function attachTelestration(
  video: HTMLVideoElement,
  rtvTimestampOf: (v: HTMLVideoElement) => number | undefined,
): TelestrationLayer {
  const canvas = h('canvas', { class: 'or-ink', 'data-testid': 'or-ink', 'data-flow': video.dataset.flow ?? '' });
  Object.assign(canvas.style, {
    position: 'absolute',
    pointerEvents: 'none',
    touchAction: 'none',
    cursor: 'crosshair',
  });
  const status = h('span', { class: 'or-ink-status', 'data-testid': 'or-ink-status', 'data-state': 'off' }, '');
  const drawButton = h(
    'button',
    { type: 'button', class: 'btn', 'data-testid': 'or-draw', 'aria-pressed': 'false', hidden: true },
    'Draw for the OR',
  );
  const clearButton = h(
    'button',
    { type: 'button', class: 'btn', 'data-testid': 'or-clear-ink', hidden: true },
    'Clear drawings',
  );
  const controls = h('div', { class: 'or-ink-controls' }, drawButton, clearButton, status);
  const parent = video.parentElement;
  if (parent && getComputedStyle(parent).position === 'static') parent.style.position = 'relative';
  video.after(canvas);
  canvas.after(controls);
  let drawing = false;
  let stroke: StrokeMessage | undefined;
  let lastSent = 0;
  let fade: ReturnType<typeof setTimeout> | undefined;

  function setStatus(state: string, text: string): void {
    status.setAttribute('data-state', state);
    status.textContent = text;
  }

  function send(m: object): boolean {
    const ws = sockets.get(video);
    if (!ws || ws.readyState !== WebSocket.OPEN) {
      setStatus('offline', 'Not connected: the stroke did not reach the OR');
      return false;
    }
    ws.send(JSON.stringify(m));
    return true;
  }

  listeners.set(video, (r) => {
    const may = permissions.get(video) === true;
    drawButton.hidden = !may;
    clearButton.hidden = !may;
    if (!may) {
      drawing = false;
      canvas.style.pointerEvents = 'none';
    }
    if (r.type === 'annotation-ack') setStatus('sent', `On the OR's screen for ${Math.round(r.expiresInMs / 1000)} s`);
    else if (r.type === 'annotation-cleared') {
      if (may && status.getAttribute('data-state') === 'off') setStatus('ready', '');
      else if (r.count > 0) setStatus('cleared', `${r.count} drawing${r.count === 1 ? '' : 's'} cleared`);
    } else setStatus('refused', r.message);
  });

  if (permissions.has(video)) listeners.get(video)?.({ type: 'annotation-cleared', count: 0 });

  function place(): void {
    Object.assign(canvas.style, {
      left: `${video.offsetLeft}px`,
      top: `${video.offsetTop}px`,
      width: `${video.offsetWidth}px`,
      height: `${video.offsetHeight}px`,
    });
    if (canvas.width !== video.offsetWidth || canvas.height !== video.offsetHeight) {
      canvas.width = video.offsetWidth;
      canvas.height = video.offsetHeight;
    }
  }

  function ink(): void {
    const g = canvas.getContext('2d');
    if (!g || !stroke) return;
    const box = canvas.getBoundingClientRect();
    const scale = Math.min(box.width / video.videoWidth, box.height / video.videoHeight);
    const w = video.videoWidth * scale;
    const hgt = video.videoHeight * scale;
    const ox = (box.width - w) / 2;
    const oy = (box.height - hgt) / 2;
    g.clearRect(0, 0, canvas.width, canvas.height);
    g.strokeStyle = stroke.color;
    g.lineWidth = Math.max(2, stroke.width * hgt);
    g.lineJoin = 'round';
    g.beginPath();
    stroke.points.forEach(([x, y], i) =>
      i === 0 ? g.moveTo(ox + x * w, oy + y * hgt) : g.lineTo(ox + x * w, oy + y * hgt),
    );
    g.stroke();
  }

  drawButton.onclick = () => {
    drawing = !drawing;
    drawButton.setAttribute('aria-pressed', String(drawing));
    place();
    canvas.style.pointerEvents = drawing ? 'auto' : 'none';
  };
  clearButton.onclick = () => {
    if (send({ type: 'annotation-clear' })) setStatus('clearing', 'Clearing…');
  };

  canvas.addEventListener('pointerdown', (e: PointerEvent) => {
    if (!drawing) return;
    const p = normalise(e.clientX, e.clientY, canvas.getBoundingClientRect(), video.videoWidth, video.videoHeight);
    const ts = rtvTimestampOf(video);
    if (!p) return;
    if (ts === undefined) {
      setStatus('waiting', 'Waiting for the first identified frame…');
      return;
    }
    canvas.setPointerCapture(e.pointerId);
    if (fade) clearTimeout(fade);
    stroke = {
      type: 'annotation-stroke',
      id: `s${Date.now().toString(36)}${(counter++).toString(36)}`,
      rtpTimestamp: ts >>> 0,
      color: STROKE_COLOR,
      width: STROKE_WIDTH,
      points: [p],
    };
    lastSent = 0;
    ink();
  });
  canvas.addEventListener('pointermove', (e: PointerEvent) => {
    if (!stroke || stroke.points.length >= MAX_POINTS) return;
    const p = normalise(e.clientX, e.clientY, canvas.getBoundingClientRect(), video.videoWidth, video.videoHeight);
    if (!p) return;
    stroke.points.push(p);
    ink();
    if (performance.now() - lastSent >= SEND_EVERY_MS) {
      lastSent = performance.now();
      send(stroke);
    }
  });
  const end = (): void => {
    if (!stroke) return;
    send(stroke);
    stroke = undefined;
    // the OR's copy comes back in the video; the local preview goes
    fade = setTimeout(() => canvas.getContext('2d')?.clearRect(0, 0, canvas.width, canvas.height), 1500);
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  const relayout = setInterval(place, 1000);
  place();

  return {
    dispose() {
      clearInterval(relayout);
      if (fade) clearTimeout(fade);
      listeners.delete(video);
      canvas.remove();
      controls.remove();
    },
  };
}
