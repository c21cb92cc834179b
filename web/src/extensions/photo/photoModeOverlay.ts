import { h } from '../../platform/ui/dom';
import type { PhotoApi } from './photoApi';

/** An axis-aligned rectangle in CSS pixels, relative to the viewport element. */
export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** What the viewer shows now: the instance and where its pixels are drawn. */
export interface ShownImage {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
  rect: Rect;
}

export interface PhotoModeLayout {
  /** Marker tiles 0 TL, 1 TR, 2 BR, 3 BL, each touching its image corner with its own inner corner. */
  tiles: { id: number; left: number; top: number; size: number }[];
  /** The QR tile, centred half a tile below the image. */
  qr: { left: number; top: number; size: number };
}

/**
 * Where photo mode draws its server-made pictures around the image (the geometry of the vision module's
 * PhotoModeFrame: tiles of side T diagonally outside each corner, the QR, 2.4 T, centred T/2 below the image). T is 14% of
 * the image's shorter side, at least 32 px, a multiple of 8 (the tile's 8 cells stay whole pixels).
 */
export function photoModeLayout(image: Rect): PhotoModeLayout {
  const t = Math.max(32, Math.floor((Math.min(image.width, image.height) * 0.14) / 8) * 8);
  // The QR needs about 3 photo pixels a module to be read from a phone photo: well over a marker's size.
  const q = Math.round(t * 2.4);
  const right = image.left + image.width;
  const bottom = image.top + image.height;
  return {
    tiles: [
      { id: 0, left: image.left - t, top: image.top - t, size: t },
      { id: 1, left: right, top: image.top - t, size: t },
      { id: 2, left: right, top: bottom, size: t },
      { id: 3, left: image.left - t, top: bottom, size: t },
    ],
    qr: { left: image.left + (image.width - q) / 2, top: bottom + t / 2, size: q },
  };
}

/**
 * The viewer's photo mode: the four ArUco markers at the image's corners and the QR code of a token the server
 * issued for the instance on screen, redrawn as the image moves or changes. The picture carries no UID and no name.
 */
export class PhotoModeOverlay {
  readonly element: HTMLElement;
  private readonly tiles: HTMLImageElement[];
  private readonly qr: HTMLImageElement;
  private frame = 0;
  private tokenFor = '';

  constructor(
    private readonly api: PhotoApi,
    private readonly shown: () => ShownImage | undefined,
  ) {
    this.tiles = [0, 1, 2, 3].map((id) =>
      h('img', {
        src: `/api/photo-mode/markers/${id}.png`,
        alt: '',
        class: 'photo-mode-tile',
        'data-testid': `photo-mode-marker-${id}`,
      }),
    );
    // Smoothed, unlike the markers: the QR's module count does not divide its drawn size.
    this.qr = h('img', { alt: '', class: 'photo-mode-tile photo-mode-qr', 'data-testid': 'photo-mode-qr' });
    this.element = h('div', { class: 'photo-mode-overlay', 'data-testid': 'photo-mode' }, ...this.tiles, this.qr);
    const tick = (): void => {
      this.update();
      this.frame = requestAnimationFrame(tick);
    };
    this.frame = requestAnimationFrame(tick);
  }

  private update(): void {
    const s = this.shown();
    this.element.hidden = !s;
    if (!s) return;
    const key = `${s.studyInstanceUid}|${s.seriesInstanceUid}|${s.sopInstanceUid}`;
    if (key !== this.tokenFor) {
      this.tokenFor = key;
      this.qr.removeAttribute('src');
      this.element.removeAttribute('data-token');
      this.api
        .photoModeToken(s.studyInstanceUid, s.seriesInstanceUid, s.sopInstanceUid)
        .then((t) => {
          if (this.tokenFor !== key) return;
          this.qr.src = t.qr;
          this.element.setAttribute('data-token', 'ready');
        })
        .catch(() => this.element.setAttribute('data-token', 'failed'));
    }
    const l = photoModeLayout(s.rect);
    l.tiles.forEach((t, i) => place(this.tiles[i], t.left, t.top, t.size));
    place(this.qr, l.qr.left, l.qr.top, l.qr.size);
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.element.remove();
  }
}

function place(img: HTMLImageElement, left: number, top: number, size: number): void {
  img.style.left = `${Math.round(left)}px`;
  img.style.top = `${Math.round(top)}px`;
  img.style.width = `${size}px`;
  img.style.height = `${size}px`;
}
