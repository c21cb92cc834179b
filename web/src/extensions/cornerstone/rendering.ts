/**
 * Which path Cornerstone draws stack viewports on. WebGL in a software rasterizer (SwiftShader, llvmpipe: reading
 * stations and virtual desktops without a GPU) costs tens of milliseconds a frame plus a read-back of the GL canvas
 * into the 2D one; Cornerstone's CPU path draws a 512x512 slice into the 2D canvas in a few. So `auto` takes the CPU
 * path exactly when there is no GPU to speak of, and the user (or a test) can force either. (The CPU path keeps the
 * user's window across slices only because StackViewer puts it back: Cornerstone's own CPU path resets it.)
 */
export type RenderingChoice = 'auto' | 'cpu' | 'gpu';

/** localStorage key of the user's choice; `?rendering=` in the page's URL overrides it for that page load. */
export const RENDERING_KEY = 'medsync.rendering';

const CHOICES: readonly RenderingChoice[] = ['auto', 'cpu', 'gpu'];

/** What Cornerstone learnt about WebGL (its getRenderingCapabilities()). */
export interface RenderingCapabilities {
  webgl: boolean;
  softwareRasterizer: boolean;
  renderer: string;
}

/** The path taken and why, for the toolbar's title and the test hooks. */
export interface RenderingDecision {
  choice: RenderingChoice;
  cpu: boolean;
  reason: string;
}

/** A stored or URL value: one of the choices, else undefined (garbage is ignored, never trusted). */
export function parseRenderingChoice(value: string | null | undefined): RenderingChoice | undefined {
  const v = value?.trim().toLowerCase();
  return CHOICES.find((c) => c === v);
}

/** The choice in effect: the URL's `rendering` parameter, then the stored one, then `auto`. */
export function renderingChoice(search: string, storage: Pick<Storage, 'getItem'> | undefined): RenderingChoice {
  const fromUrl = parseRenderingChoice(new URLSearchParams(search).get('rendering'));
  if (fromUrl) return fromUrl;
  try {
    return parseRenderingChoice(storage?.getItem(RENDERING_KEY)) ?? 'auto';
  } catch {
    return 'auto'; // storage denied (an opaque origin)
  }
}

/** Stores the user's choice (takes effect on the next page load: Cornerstone fixes its path at start). */
export function storeRenderingChoice(choice: RenderingChoice, storage: Pick<Storage, 'setItem'>): void {
  storage.setItem(RENDERING_KEY, choice);
}

/** CPU when forced, or on `auto` when WebGL is missing or a software rasterizer. */
export function decideRendering(choice: RenderingChoice, caps: RenderingCapabilities): RenderingDecision {
  if (choice === 'cpu') return { choice, cpu: true, reason: 'CPU rendering chosen' };
  if (!caps.webgl) return { choice, cpu: true, reason: 'no WebGL' };
  if (choice === 'gpu') return { choice, cpu: false, reason: `WebGL chosen (${caps.renderer || 'unknown renderer'})` };
  return caps.softwareRasterizer
    ? { choice, cpu: true, reason: `software rasterizer (${caps.renderer})` }
    : { choice, cpu: false, reason: `GPU (${caps.renderer || 'unknown renderer'})` };
}
