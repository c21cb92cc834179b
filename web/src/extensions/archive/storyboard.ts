import type { Storyboard } from './archiveApi';

/** Where one storyboard tile lies in the sprite sheet, and the CSS that shows only it. */
export interface Tile {
  index: number;
  /** The tile's top-left corner in the sheet, in the sheet's pixels. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** The time the tile shows, in seconds. */
  time: number;
}

/**
 * The tile to show for time `t`: tiles are taken one every `intervalSeconds` from 0, left to right and then top
 * to bottom (ffmpeg's tile filter), so tile i shows time i * interval; a time between two tiles shows the one
 * before it. Times past the last tile show the last tile; an empty storyboard shows none.
 */
export function tileAt(sb: Storyboard, t: number): Tile | undefined {
  if (sb.count <= 0 || sb.columns <= 0) return undefined;
  const raw = Math.floor(Math.max(0, t) / sb.intervalSeconds + 1e-9);
  const index = Math.min(sb.count - 1, raw);
  const column = index % sb.columns;
  const row = Math.floor(index / sb.columns);
  return {
    index,
    x: column * sb.tileWidth,
    y: row * sb.tileHeight,
    width: sb.tileWidth,
    height: sb.tileHeight,
    time: index * sb.intervalSeconds,
  };
}

/**
 * CSS background properties that show `tile` of the sheet scaled to `displayWidth` CSS pixels wide (the height
 * follows the tile's aspect ratio): the whole sheet is scaled by the same factor and shifted so the tile's corner
 * is at the box's corner.
 */
export function tileStyle(
  sb: Storyboard,
  tile: Tile,
  displayWidth: number,
): { width: number; height: number; backgroundSize: string; backgroundPosition: string } {
  const scale = displayWidth / sb.tileWidth;
  const round = (v: number) => Math.round(v * 100) / 100;
  return {
    width: round(displayWidth),
    height: round(sb.tileHeight * scale),
    backgroundSize: `${round(sb.columns * sb.tileWidth * scale)}px ${round(sb.rows * sb.tileHeight * scale)}px`,
    backgroundPosition: `${round(-tile.x * scale)}px ${round(-tile.y * scale)}px`,
  };
}
