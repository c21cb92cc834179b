import { h } from '../../platform/ui/dom';
import type { RenderingChoice, StackViewer, ViewerState, WindowPreset } from '../../extensions/cornerstone';

/** The viewer's toolbar: window inputs and presets, zoom, reset, crosshair, smoothing, cine. */
export function createToolbar(viewer: StackViewer, presets: readonly WindowPreset[]): HTMLElement {
  const wc = numberInput('wc-input', 'Window centre');
  const ww = numberInput('ww-input', 'Window width');
  const applyWindow = (): void => {
    const center = Number(wc.value);
    const width = Number(ww.value);
    if (wc.value !== '' && ww.value !== '' && Number.isFinite(center) && Number.isFinite(width) && width >= 1) {
      viewer.setWindow(center, width);
    }
  };
  for (const input of [wc, ww]) {
    input.addEventListener('change', applyWindow);
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') applyWindow();
    });
  }

  const button = (
    testId: string,
    label: string,
    title: string,
    onClick: () => void,
    toggle = false,
  ): HTMLButtonElement =>
    h(
      'button',
      {
        type: 'button',
        class: 'btn tool',
        'data-testid': testId,
        title,
        'aria-label': title,
        'aria-pressed': toggle ? 'false' : undefined,
        onclick: onClick,
      },
      label,
    );

  const presetButtons = presets.map((p) =>
    button(`preset-${p.id}`, p.label, `${p.label} window (C ${p.center} W ${p.width})`, () =>
      viewer.setWindow(p.center, p.width),
    ),
  );
  const crosshair = button(
    'tool-crosshair',
    '✛',
    'Crosshair (click the image to move it)',
    () => viewer.setCrosshair(!viewer.isCrosshair),
    true,
  );
  const smoothing = button(
    'tool-smoothing',
    'Smooth',
    'Smooth interpolation (off: true pixels)',
    () => viewer.setSmoothing(!viewer.isSmoothing),
    true,
  );
  const cine = button('tool-cine', '▶', 'Play / stop cine', () => viewer.setCine(!viewer.isCine), true);
  const fps = h('input', {
    type: 'number',
    min: 1,
    max: 60,
    step: 1,
    value: 10,
    class: 'fps-input',
    'data-testid': 'cine-fps',
    'aria-label': 'Cine frames per second',
    title: 'Frames per second',
  });
  fps.addEventListener('change', () => viewer.setFps(Number(fps.value)));
  const rendering = renderingSelect(viewer);

  viewer.events.on('state', (s: ViewerState) => {
    if (s.voi) {
      if (document.activeElement !== wc) wc.value = String(Number(s.voi.center.toFixed(2)));
      if (document.activeElement !== ww) ww.value = String(Number(s.voi.width.toFixed(2)));
    }
    crosshair.setAttribute('aria-pressed', String(s.crosshair));
    smoothing.setAttribute('aria-pressed', String(s.smoothing));
    cine.setAttribute('aria-pressed', String(s.cine));
    cine.textContent = s.cine ? '■' : '▶';
  });

  return h(
    'div',
    { class: 'viewer-toolbar', role: 'toolbar', 'aria-label': 'Viewer tools' },
    h(
      'div',
      { class: 'tool-group' },
      h('label', { for: 'wc-input' }, 'C'),
      wc,
      h('label', { for: 'ww-input' }, 'W'),
      ww,
    ),
    h('div', { class: 'tool-group', role: 'group', 'aria-label': 'CT window presets' }, ...presetButtons),
    h(
      'div',
      { class: 'tool-group', role: 'group', 'aria-label': 'View' },
      button('tool-zoom-in', '+', 'Zoom in', () => viewer.zoomBy(1.25)),
      button('tool-zoom-out', '−', 'Zoom out', () => viewer.zoomBy(0.8)),
      button('tool-reset', 'Reset', 'Reset zoom, pan and window', () => viewer.reset()),
      crosshair,
      smoothing,
    ),
    h(
      'div',
      { class: 'tool-group', role: 'group', 'aria-label': 'Cine' },
      cine,
      fps,
      h('span', { class: 'unit' }, 'fps'),
    ),
    h('div', { class: 'tool-group', role: 'group', 'aria-label': 'Rendering' }, rendering),
  );
}

/**
 * The user's rendering setting: Auto (the CPU where WebGL is a software rasterizer, else WebGL), WebGL or CPU. The
 * page reloads to apply it, since Cornerstone fixes its path when it starts.
 */
function renderingSelect(viewer: StackViewer): HTMLSelectElement {
  const decision = viewer.rendering;
  const auto = decision ? `Auto (${decision.choice === 'auto' && decision.cpu ? 'CPU' : 'WebGL'} here)` : 'Auto';
  const select = h(
    'select',
    {
      class: 'rendering-select',
      'data-testid': 'rendering-select',
      'aria-label': 'Rendering',
      title: decision ? `Drawing on the ${decision.cpu ? 'CPU' : 'GPU (WebGL)'}: ${decision.reason}` : 'Rendering',
    },
    h('option', { value: 'auto' }, auto),
    h('option', { value: 'gpu' }, 'WebGL'),
    h('option', { value: 'cpu' }, 'CPU'),
  );
  select.value = decision?.choice ?? 'auto';
  select.addEventListener('change', () => {
    viewer.chooseRendering(select.value as RenderingChoice);
    location.reload();
  });
  return select;
}

function numberInput(testId: string, label: string): HTMLInputElement {
  return h('input', {
    type: 'number',
    id: testId,
    step: 'any',
    class: 'num-input',
    'data-testid': testId,
    'aria-label': label,
  });
}
