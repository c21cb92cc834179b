import { h } from '../../platform/ui/dom';
import {
  initialCorners,
  isClockwiseConvex,
  nearestCorner,
  toDisplay,
  toPhoto,
  type Frame,
  type Point,
} from './corners';

const SVG = 'http://www.w3.org/2000/svg';
const LABELS = ['top-left', 'top-right', 'bottom-right', 'bottom-left'];

/**
 * The 4-corner fallback: the photo with four handles (TL, TR, BR, BL) dragged by mouse, pen or finger onto the
 * image's corners on the photographed screen; `send` posts them in photo pixels.
 */
export class CornerEditor {
  readonly element: HTMLElement;
  private corners: Point[];
  private readonly img: HTMLImageElement;
  private readonly svg: SVGSVGElement;
  private dragging = -1;

  constructor(
    src: string,
    photoWidth: number,
    photoHeight: number,
    quad: Point[] | null | undefined,
    send: (corners: Point[]) => Promise<void>,
  ) {
    this.corners = initialCorners(quad, photoWidth, photoHeight);
    this.img = h('img', { src, alt: 'The photo: drag the four handles onto the image’s corners', draggable: 'false' });
    this.svg = document.createElementNS(SVG, 'svg');
    this.svg.setAttribute('class', 'photo-corner-overlay');
    this.svg.setAttribute('data-testid', 'photo-corner-overlay');
    const message = h('p', { class: 'photo-corner-message', role: 'status' }, '');
    const button = h(
      'button',
      {
        type: 'button',
        class: 'btn primary',
        'data-testid': 'photo-corners-send',
        onclick: () => {
          if (!isClockwiseConvex(this.corners)) {
            message.textContent = 'The corners cross: put each handle on its own corner (top-left, top-right, …).';
            return;
          }
          button.disabled = true;
          message.textContent = 'Sending the corners…';
          send(this.corners.map((p) => [Math.round(p[0] * 10) / 10, Math.round(p[1] * 10) / 10] as Point))
            .then(() => (message.textContent = ''))
            .catch((e: unknown) => {
              message.textContent = e instanceof Error ? e.message : String(e);
              button.disabled = false;
            });
        },
      },
      'Use these corners',
    );
    this.element = h(
      'div',
      { class: 'photo-corner-editor', 'data-testid': 'photo-corner-editor' },
      h('div', { class: 'photo-corner-stage' }, this.img, this.svg),
      button,
      message,
    );
    const frame = (): Frame => {
      const r = this.img.getBoundingClientRect();
      return { left: r.left, top: r.top, width: r.width, height: r.height, photoWidth, photoHeight };
    };
    this.img.addEventListener('load', () => this.draw(frame()));
    new ResizeObserver(() => this.draw(frame())).observe(this.img);
    this.svg.addEventListener('pointerdown', (e) => {
      const f = frame();
      const display = this.corners.map((c) => toDisplay(f, c));
      this.dragging = nearestCorner(display, [e.clientX - f.left, e.clientY - f.top], 48);
      if (this.dragging >= 0) {
        this.svg.setPointerCapture(e.pointerId);
        e.preventDefault();
      }
    });
    this.svg.addEventListener('pointermove', (e) => {
      if (this.dragging < 0) return;
      const f = frame();
      this.corners[this.dragging] = toPhoto(f, e.clientX, e.clientY);
      this.draw(f);
    });
    const stop = (): void => {
      this.dragging = -1;
    };
    this.svg.addEventListener('pointerup', stop);
    this.svg.addEventListener('pointercancel', stop);
  }

  /** The corners in photo pixels (TL, TR, BR, BL). */
  get value(): Point[] {
    return this.corners.map((p) => [p[0], p[1]] as Point);
  }

  private draw(f: Frame): void {
    this.svg.setAttribute('viewBox', `0 0 ${f.width} ${f.height}`);
    this.svg.setAttribute('width', String(f.width));
    this.svg.setAttribute('height', String(f.height));
    const d = this.corners.map((c) => toDisplay(f, c));
    const outline = document.createElementNS(SVG, 'polygon');
    outline.setAttribute('points', d.map((p) => p.join(',')).join(' '));
    outline.setAttribute('class', 'photo-corner-outline');
    const handles = d.map((p, i) => {
      const c = document.createElementNS(SVG, 'circle');
      c.setAttribute('cx', String(p[0]));
      c.setAttribute('cy', String(p[1]));
      c.setAttribute('r', '14');
      c.setAttribute('class', 'photo-corner-handle');
      c.setAttribute('data-corner', LABELS[i]);
      c.setAttribute('aria-label', LABELS[i]);
      return c;
    });
    this.svg.replaceChildren(outline, ...handles);
  }
}
