/** Geometry of the page's 4-corner fallback: photo pixels <-> the displayed image, and which handle a pointer takes. */
export type Point = [number, number];

/** Where the image is drawn on the page and the photo's own size. */
export interface Frame {
  left: number;
  top: number;
  width: number;
  height: number;
  photoWidth: number;
  photoHeight: number;
}

/** A pointer position on the page to photo pixels, clamped to the photo. */
export function toPhoto(frame: Frame, clientX: number, clientY: number): Point {
  const x = ((clientX - frame.left) / frame.width) * frame.photoWidth;
  const y = ((clientY - frame.top) / frame.height) * frame.photoHeight;
  return [clamp(x, 0, frame.photoWidth), clamp(y, 0, frame.photoHeight)];
}

/** Photo pixels to a position relative to the drawn image's top-left. */
export function toDisplay(frame: Frame, p: Point): Point {
  return [(p[0] / frame.photoWidth) * frame.width, (p[1] / frame.photoHeight) * frame.height];
}

/** Where the handles start: the server's quad when it has one, else a rectangle inset 15% from the photo's edges. */
export function initialCorners(quad: Point[] | null | undefined, photoWidth: number, photoHeight: number): Point[] {
  if (quad && quad.length === 4) return quad.map((p) => [p[0], p[1]] as Point);
  const ix = photoWidth * 0.15;
  const iy = photoHeight * 0.15;
  return [
    [ix, iy],
    [photoWidth - ix, iy],
    [photoWidth - ix, photoHeight - iy],
    [ix, photoHeight - iy],
  ];
}

/** The index of the handle nearest to `p` within `reach` (display pixels), or -1. */
export function nearestCorner(corners: readonly Point[], p: Point, reach: number): number {
  let best = -1;
  let bestDistance = reach;
  corners.forEach((c, i) => {
    const d = Math.hypot(c[0] - p[0], c[1] - p[1]);
    if (d <= bestDistance) {
      best = i;
      bestDistance = d;
    }
  });
  return best;
}

/**
 * Whether the corners (TL, TR, BR, BL, y down) form a convex shape turning clockwise on screen, as the server
 * requires: the page says so before sending rather than after a 400.
 */
export function isClockwiseConvex(c: readonly Point[]): boolean {
  if (c.length !== 4) return false;
  for (let i = 0; i < 4; i++) {
    const a = c[i];
    const b = c[(i + 1) % 4];
    const d = c[(i + 2) % 4];
    const cross = (b[0] - a[0]) * (d[1] - b[1]) - (b[1] - a[1]) * (d[0] - b[0]);
    if (cross <= 0) return false;
  }
  return true;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
