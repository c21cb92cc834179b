import type { Types } from '@cornerstonejs/core';

/**
 * A stack view independent of the screen: which image, the VOI range, zoom and pan relative to the image,
 * crosshair in image fractions, smoothing. docs/readout-protocol.md ("VIEW") defines the fields.
 */
export interface SyncView {
  seriesUid: string;
  imageIndex: number;
  voiLower: number;
  voiUpper: number;
  /** Viewport height in image heights (2 * parallelScale / image height in mm). */
  scale: number;
  /** Focal point from the image origin along the rows / columns, in image widths / heights. */
  panX: number;
  panY: number;
  crosshair: boolean;
  crosshairX: number;
  crosshairY: number;
  cine: boolean;
  cineFps: number;
  smoothing: boolean;
}

/** The image plane of the displayed image: origin, row/column directions (unit) and size in mm. */
export interface Plane {
  origin: Types.Point3;
  row: Types.Point3;
  col: Types.Point3;
  width: number;
  height: number;
}

export function planeOf(vp: Types.IStackViewport): Plane | undefined {
  const d = vp.getImageData();
  if (!d) return undefined;
  const dir = d.direction as unknown as number[];
  const dims = d.dimensions as unknown as number[];
  const sp = d.spacing as unknown as number[];
  return {
    origin: [...(d.origin as unknown as number[])] as Types.Point3,
    row: [dir[0], dir[1], dir[2]],
    col: [dir[3], dir[4], dir[5]],
    width: dims[0] * sp[0],
    height: dims[1] * sp[1],
  };
}

const dot = (a: readonly number[], b: readonly number[]): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const sub = (a: readonly number[], b: readonly number[]): Types.Point3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];

/** A world point as fractions of the image (x along rows, y along columns). */
export function toFraction(p: Plane, world: readonly number[]): [number, number] {
  const rel = sub(world, p.origin);
  return [dot(rel, p.row) / p.width, dot(rel, p.col) / p.height];
}

/** Fractions of the image back to a world point on the plane through `onPlane`. */
export function fromFraction(p: Plane, fx: number, fy: number, onPlane: readonly number[]): Types.Point3 {
  const normal: Types.Point3 = [
    p.row[1] * p.col[2] - p.row[2] * p.col[1],
    p.row[2] * p.col[0] - p.row[0] * p.col[2],
    p.row[0] * p.col[1] - p.row[1] * p.col[0],
  ];
  const n = dot(sub(onPlane, p.origin), normal);
  const out: number[] = [];
  for (let i = 0; i < 3; i++) {
    out.push(p.origin[i] + fx * p.width * p.row[i] + fy * p.height * p.col[i] + n * normal[i]);
  }
  return out as Types.Point3;
}

/** Zoom and pan of the camera, relative to the image. */
export function cameraToView(vp: Types.IStackViewport, p: Plane): { scale: number; panX: number; panY: number } {
  const cam = vp.getCamera();
  const [panX, panY] = toFraction(p, cam.focalPoint!);
  return { scale: (2 * cam.parallelScale!) / p.height, panX, panY };
}

/** Sets zoom and pan from image-relative values; false when the camera already matches. */
export function viewToCamera(
  vp: Types.IStackViewport,
  p: Plane,
  v: { scale: number; panX: number; panY: number },
): boolean {
  const cam = vp.getCamera();
  const current = cameraToView(vp, p);
  if (current.scale === v.scale && current.panX === v.panX && current.panY === v.panY) return false;
  const focalPoint = fromFraction(p, v.panX, v.panY, cam.focalPoint!);
  const offset = sub(cam.position!, cam.focalPoint!);
  const position: Types.Point3 = [focalPoint[0] + offset[0], focalPoint[1] + offset[1], focalPoint[2] + offset[2]];
  vp.setCamera({ focalPoint, position, parallelScale: (v.scale * p.height) / 2 });
  return true;
}
