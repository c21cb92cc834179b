import { h } from '../../platform/ui/dom';

/** The slice slider and its "n / count" indicator under the viewport. */
export class SliceBar {
  readonly element: HTMLElement;
  private readonly slider: HTMLInputElement;
  private readonly indicator: HTMLElement;

  /** `onScroll` gets the 0-based index the user moved the slider to. */
  constructor(onScroll: (index: number) => void) {
    this.slider = h('input', {
      type: 'range',
      min: 1,
      max: 1,
      value: 1,
      step: 1,
      'data-testid': 'slice-slider',
      'aria-label': 'Image number',
      disabled: true,
    });
    this.slider.addEventListener('input', () => onScroll(Number(this.slider.value) - 1));
    this.indicator = h(
      'span',
      { class: 'slice-indicator', 'data-testid': 'slice-indicator', 'aria-live': 'off' },
      '0 / 0',
    );
    this.element = h('div', { class: 'slice-bar' }, this.slider, this.indicator);
  }

  /** A new series of `count` images, starting at `index`. */
  reset(count: number, index: number): void {
    this.slider.max = String(Math.max(1, count));
    this.slider.disabled = count < 2;
    this.show(count ? index : -1, count);
  }

  show(index: number, count: number): void {
    this.slider.value = String(index + 1);
    this.indicator.textContent = `${index + 1} / ${count}`;
  }
}
