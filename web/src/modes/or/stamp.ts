/**
 * The burned-in frame stamp of RTV test patterns (rtv FrameStamp: at 16,16 a white start cell, 32 cells of the RTV
 * RTP timestamp, bit 31 first, white = 1, a black end cell; cells of 8 px), read from the pixels of the frame a
 * video shows. Only the stamp's row is drawn, so a read costs a 272x1 copy, not the whole frame.
 */
const X = 16;
const Y = 16;
const CELL = 8;
const CELLS = 34;

/** Luma (0-255, BT.601 weights: the thresholds have a wide margin) of pixel `i` of RGBA data. */
function luma(d: Uint8ClampedArray, i: number): number {
  return 0.299 * d[i * 4] + 0.587 * d[i * 4 + 1] + 0.114 * d[i * 4 + 2];
}

/** The stamp in one row of RGBA pixels starting at the stamp's left edge; undefined without start and end cells. */
export function decodeStampRow(d: Uint8ClampedArray): number | undefined {
  const mid = CELL / 2;
  if (d.length < CELLS * CELL * 4 || luma(d, mid) < 180 || luma(d, 33 * CELL + mid) > 60) return undefined;
  let v = 0;
  for (let i = 0; i < 32; i++) v = v * 2 + (luma(d, (i + 1) * CELL + mid) > 128 ? 1 : 0);
  return v;
}

/** Reads the stamp of the frame `video` shows now; one reader per video keeps its small canvas. */
export function stampReader(): (video: HTMLVideoElement) => number | undefined {
  const canvas = document.createElement('canvas');
  canvas.width = CELLS * CELL;
  canvas.height = 1;
  const g = canvas.getContext('2d', { willReadFrequently: true });
  return (video) => {
    if (!g || video.videoWidth < X + CELLS * CELL || video.videoHeight < Y + CELL) return undefined;
    g.drawImage(video, X, Y + CELL / 2, CELLS * CELL, 1, 0, 0, CELLS * CELL, 1);
    return decodeStampRow(g.getImageData(0, 0, CELLS * CELL, 1).data);
  };
}
