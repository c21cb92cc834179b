const SVG = 'http://www.w3.org/2000/svg';

/** A full-width/full-height crosshair drawn over the viewport at a canvas point (CSS pixels). */
export class CrosshairOverlay {
  readonly element: SVGSVGElement;
  private readonly horizontal: SVGLineElement;
  private readonly vertical: SVGLineElement;

  constructor() {
    this.element = document.createElementNS(SVG, 'svg');
    this.element.setAttribute('class', 'crosshair-overlay');
    this.element.setAttribute('data-testid', 'crosshair');
    this.element.setAttribute('aria-hidden', 'true');
    this.horizontal = document.createElementNS(SVG, 'line');
    this.vertical = document.createElementNS(SVG, 'line');
    this.element.append(this.horizontal, this.vertical);
    this.hide();
  }

  show(x: number, y: number, width: number, height: number): void {
    setLine(this.horizontal, 0, y, width, y);
    setLine(this.vertical, x, 0, x, height);
    this.element.setAttribute('data-x', x.toFixed(1));
    this.element.setAttribute('data-y', y.toFixed(1));
    this.element.style.display = '';
  }

  hide(): void {
    this.element.style.display = 'none';
  }
}

function setLine(line: SVGLineElement, x1: number, y1: number, x2: number, y2: number): void {
  line.setAttribute('x1', String(x1));
  line.setAttribute('y1', String(y1));
  line.setAttribute('x2', String(x2));
  line.setAttribute('y2', String(y2));
}
