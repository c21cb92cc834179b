import '../../extensions/archive/archive.css';
import { ApiError } from '../../platform/api/client';
import type { Mode } from '../../platform/app';
import { h } from '../../platform/ui/dom';
import { createHeader } from '../../platform/ui/header';
import {
  fetchStorageModel,
  formatBytes,
  storagePlot,
  type StorageAnswer,
  type StorageParams,
} from '../../extensions/archive';

/**
 * `#/archive/storage`: the storage model (docs/archive-evidence.md, "The storage model"). The server computes, with the
 * model its tests hold to the paper; the page asks it for a hospital's own inputs and draws the stored volume.
 */
export const storageMode: Mode<{ name: 'archive-storage' }> = {
  route: 'archive-storage',
  requiresLogin: true,
  mount(root, ctx) {
    const user = ctx.session.user!;
    let disposed = false;
    let asked = 0;
    const back = h('a', { href: '#/archive', class: 'btn' }, '← Recordings');
    const status = h('p', { class: 'table-status', role: 'status', 'data-testid': 'storage-status' }, 'Loading…');
    const results = h('div', { 'data-testid': 'storage-results' });
    const preset = h('select', { name: 'preset', 'data-testid': 'storage-preset', 'aria-label': 'Codec and rate' });
    const field = (name: keyof StorageParams, label: string, unit: string) =>
      h(
        'label',
        {},
        `${label} `,
        h('input', { name, type: 'number', step: 'any', min: '0', 'data-testid': `storage-${name}` }),
        ` ${unit}`,
      );
    const form = h(
      'form',
      { class: 'storage-form', 'data-testid': 'storage-form' },
      field('hospitals', 'Hospitals', ''),
      field('ors', 'ORs per hospital', ''),
      field('surgeriesPerDay', 'Surgeries per OR', 'a day'),
      field('minutes', 'Duration', 'min a surgery'),
      h('label', {}, 'Codec and rate ', preset),
      field('years', 'Retention', 'years'),
      field('copies', 'Copies', 'locations'),
      h(
        'label',
        {},
        h('input', { name: 'encrypted', type: 'checkbox', 'data-testid': 'storage-encrypted' }),
        ' encrypted',
      ),
      h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'storage-compute' }, 'Compute'),
      h(
        'button',
        { type: 'button', class: 'btn', 'data-testid': 'storage-paper', onclick: () => void ask({}) },
        "The paper's inputs",
      ),
    );
    root.replaceChildren(
      createHeader(user, () => void ctx.session.logout(), [back]),
      h(
        'main',
        { class: 'archive-page storage-page' },
        h('h2', {}, 'Storage model'),
        h(
          'p',
          { class: 'muted' },
          'One stream per OR at a constant rate, recordings deleted after the retention: stored volume grows for the ' +
            'retention, then stays flat. Decimal units (1 GB = 10⁹ bytes), a year of 365 days.',
        ),
        form,
        status,
        results,
      ),
    );

    const input = (name: string) => form.querySelector<HTMLInputElement>(`[name="${name}"]`)!;
    const fill = (a: StorageAnswer) => {
      const i = a.inputs;
      input('hospitals').value = String(i.hospitals);
      input('ors').value = String(i.ors);
      input('surgeriesPerDay').value = String(i.surgeriesPerDay);
      input('minutes').value = String(Math.round(i.minutes * 100) / 100);
      input('years').value = String(i.years);
      input('copies').value = String(i.copies);
      input('encrypted').checked = i.encrypted;
      if (preset.options.length === 0) {
        for (const p of a.presets) {
          const psnr = p.psnrDb === null ? '' : `, ${p.psnrDb.toFixed(1)} dB`;
          preset.append(h('option', { value: p.id }, `${p.label} (${p.rateMbps.toFixed(2)} Mb/s${psnr})`));
        }
      }
      preset.value = i.preset;
    };

    const show = (a: StorageAnswer) => {
      const r = a.results;
      const row = (what: string, value: string, testid: string) =>
        h('tr', {}, h('th', {}, what), h('td', { 'data-testid': testid }, value));
      results.replaceChildren(
        h(
          'table',
          { class: 'storage-table' },
          row('One recording', formatBytes(r.bytesPerSurgery), 'storage-per-surgery'),
          row('Recorded a day per hospital', `${r.recordedHoursPerHospitalPerDay.toFixed(1)} h`, 'storage-hours'),
          row('Per hospital per day', formatBytes(r.bytesPerHospitalPerDay), 'storage-day'),
          row('Per hospital per year', formatBytes(r.bytesPerHospitalPerYear), 'storage-year'),
          row('All hospitals per year', formatBytes(r.bytesPerYear), 'storage-total-year'),
          row('Stored at the plateau', formatBytes(r.plateauBytes), 'storage-plateau'),
        ),
        storagePlot(a.curve, a.inputs.years),
        h('h3', {}, "The paper's figures, recomputed"),
        h(
          'table',
          { class: 'storage-table', 'data-testid': 'storage-paper-check' },
          h('tr', {}, h('th', {}, 'Figure'), h('th', {}, 'Paper'), h('th', {}, 'Recomputed'), h('th', {}, 'Why')),
          ...a.paperCheck.map((c) =>
            h(
              'tr',
              { 'data-agrees': String(c.agrees) },
              h('td', {}, c.figure),
              h('td', {}, c.paper, c.agrees ? '' : h('span', { class: 'tag' }, 'does not follow')),
              h('td', {}, c.recomputed),
              h('td', {}, c.why),
            ),
          ),
        ),
      );
    };

    const ask = async (params: StorageParams) => {
      const mine = ++asked;
      status.hidden = false;
      status.removeAttribute('data-state');
      status.textContent = 'Computing…';
      try {
        const a = await fetchStorageModel(ctx.api.client, params);
        if (disposed || mine !== asked) return;
        status.hidden = true;
        fill(a);
        show(a);
      } catch (e) {
        if (disposed || mine !== asked || (e instanceof ApiError && e.status === 401)) return;
        status.setAttribute('data-state', 'error');
        status.textContent = e instanceof Error ? e.message : String(e);
      }
    };

    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const params: StorageParams = { preset: preset.value };
      for (const name of ['hospitals', 'ors', 'surgeriesPerDay', 'minutes', 'years', 'copies'] as const) {
        params[name] = input(name).value.trim();
      }
      if (input('encrypted').checked) params.encrypted = 'true';
      void ask(params);
    });
    void ask({});
    return () => {
      disposed = true;
    };
  },
};
