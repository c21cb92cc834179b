import '../../extensions/archive/archive.css';
import type { WorklistStudy } from '../../platform/api/types';
import type { Mode } from '../../platform/app';
import { formatPersonName } from '../../platform/dicom/json';
import { debounce, h } from '../../platform/ui/dom';
import { createHeader } from '../../platform/ui/header';
import { VIDEO_ACCEPT, rejectFile, toLocalInput, type UploadForm, type UploadProgress } from '../../extensions/archive';

const FIELDS: [keyof UploadForm, string, string][] = [
  ['hospital', 'Hospital', 'text'],
  ['operatingRoom', 'Operating room', 'text'],
  ['operator', 'Surgeon / operator', 'text'],
  ['procedure', 'Procedure', 'text'],
  ['accession', 'Accession number', 'text'],
  ['studyUid', 'Study Instance UID', 'text'],
  ['patientId', 'Patient ID', 'text'],
  ['patientName', 'Patient name', 'text'],
  ['startedAt', 'Started at', 'datetime-local'],
  ['title', 'Title', 'text'],
];

const STATE_WORDS: Record<UploadProgress['state'], string> = {
  idle: 'Waiting',
  hashing: 'Computing SHA-256',
  uploading: 'Uploading',
  paused: 'Paused',
  done: 'Uploaded',
  error: 'Failed',
};

/**
 * `#/archive/upload`: recordings from this computer (MP4, MOV, MKV, MXF) with their metadata, one after another,
 * each hashed (SHA-256) in the browser and sent by tus; pause and resume, and resume after a reload when the same
 * file is chosen again. The procedure can be taken from a worklist study.
 */
export const uploadMode: Mode<{ name: 'archive-upload' }> = {
  route: 'archive-upload',
  requiresLogin: true,
  mount(root, ctx) {
    const user = ctx.session.user!;
    let disposed = false;
    const inputs = Object.fromEntries(
      FIELDS.map(([key, label, type]) => [
        key,
        h('input', { type, name: key, 'data-testid': `upload-${key}`, 'aria-label': label, autocomplete: 'off' }),
      ]),
    ) as Record<keyof UploadForm, HTMLInputElement>;
    inputs.startedAt.value = toLocalInput(new Date());
    const hospitals = h('datalist', { id: 'archive-hospitals' });
    inputs.hospital.setAttribute('list', 'archive-hospitals');
    // Only admins may list hospitals; others type theirs (the server checks membership at creation).
    void ctx.api.client
      .json<{ id: string; name?: string }[] | { hospitals: { id: string; name?: string }[] }>('/api/archive/hospitals')
      .then((answer) => {
        const list = Array.isArray(answer) ? answer : answer.hospitals;
        hospitals.replaceChildren(...list.map((x) => h('option', { value: x.id }, x.name ?? x.id)));
        if (list.length === 1 && !inputs.hospital.value) inputs.hospital.value = list[0].id;
      })
      .catch(() => undefined);

    const studySearch = h('input', {
      type: 'search',
      'data-testid': 'upload-study-search',
      placeholder: 'Find the study in the worklist',
      'aria-label': 'Find the study in the worklist',
    });
    const studyResults = h('ul', { class: 'study-picks', 'data-testid': 'upload-study-results' });
    const pick = (s: WorklistStudy) => {
      inputs.studyUid.value = s.studyInstanceUid;
      inputs.accession.value = s.accessionNumber ?? '';
      inputs.patientId.value = s.patientId ?? '';
      inputs.patientName.value = s.patientName ?? '';
      if (!inputs.procedure.value) inputs.procedure.value = s.studyDescription ?? '';
      studyResults.replaceChildren();
    };
    studySearch.addEventListener(
      'input',
      debounce(() => {
        const q = studySearch.value.trim();
        if (!q) return studyResults.replaceChildren();
        ctx.api
          .worklist(q, '')
          .then(({ studies }) => {
            if (disposed) return;
            studyResults.replaceChildren(
              ...studies
                .slice(0, 8)
                .map((s) =>
                  h(
                    'li',
                    {},
                    h(
                      'button',
                      { type: 'button', class: 'btn', 'data-testid': 'upload-study-pick', onclick: () => pick(s) },
                      `${formatPersonName(s.patientName)} · ${s.studyDescription ?? ''} · ${s.accessionNumber ?? ''}`,
                    ),
                  ),
                ),
            );
          })
          .catch(() => undefined);
      }, 300),
    );

    const fileInput = h('input', {
      type: 'file',
      multiple: true,
      accept: VIDEO_ACCEPT,
      'data-testid': 'archive-file-input',
      'aria-label': 'Video files',
    });
    const list = h('ul', { class: 'uploads', 'data-testid': 'upload-list' });
    const formError = h('p', { class: 'login-error', role: 'alert', 'data-testid': 'upload-form-error', hidden: true });
    const startAll = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'upload-start' }, 'Upload');

    type Row = { file: File; element: HTMLElement; start: () => Promise<void>; dispose: () => void };
    let rows: Row[] = [];
    let running = false;

    fileInput.addEventListener('change', () => {
      for (const r of rows) r.dispose();
      rows = [...(fileInput.files ?? [])].map((file) => makeRow(file));
      list.replaceChildren(...rows.map((r) => r.element));
    });

    function makeRow(file: File): Row {
      const bar = h('progress', { max: 1, value: 0, 'data-testid': 'upload-progress', 'aria-label': file.name });
      const state = h('span', { 'data-testid': 'upload-state' }, STATE_WORDS.idle);
      const toggle = h(
        'button',
        { type: 'button', class: 'btn', 'data-testid': 'upload-pause', hidden: true },
        'Pause',
      );
      const element = h(
        'li',
        { class: 'upload-row', 'data-testid': 'upload-row', 'data-file': file.name, 'data-state': 'idle' },
        h('span', { class: 'upload-name' }, file.name),
        bar,
        state,
        toggle,
      );
      const rejected = rejectFile(file);
      if (rejected) {
        element.setAttribute('data-state', 'error');
        state.textContent = rejected;
        return { file, element, start: () => Promise.resolve(), dispose: () => undefined };
      }
      let upload: import('../../extensions/archive/uploader').RecordingUpload | undefined;
      let settle: (() => void) | undefined;
      const render = (p: UploadProgress) => {
        element.setAttribute('data-state', p.state);
        element.toggleAttribute('data-resumed', p.resumed);
        bar.value = p.total > 0 ? p.done / p.total : 0;
        const pct = p.total > 0 ? ` ${Math.floor((100 * p.done) / p.total)}%` : '';
        state.textContent = `${STATE_WORDS[p.state]}${p.state === 'hashing' || p.state === 'uploading' || p.state === 'paused' ? pct : ''}${p.resumed && p.state !== 'done' ? ' (resumed)' : ''}${p.error ? `: ${p.error}` : ''}`;
        if (p.recordingId) {
          element.setAttribute('data-recording-id', p.recordingId);
          state.append(' ', h('a', { href: `#/archive/recording/${encodeURIComponent(p.recordingId)}` }, 'Open'));
        }
        toggle.hidden = !['hashing', 'uploading', 'paused'].includes(p.state);
        toggle.textContent = p.state === 'paused' ? 'Resume' : 'Pause';
        toggle.setAttribute('data-testid', p.state === 'paused' ? 'upload-resume' : 'upload-pause');
        if (p.state === 'done' || p.state === 'error' || (p.state === 'idle' && p.done === 0 && upload)) settle?.();
      };
      toggle.addEventListener('click', () => {
        if (upload?.state.state === 'paused') void upload.start();
        else void upload?.pause();
      });
      return {
        file,
        element,
        start: async () => {
          const { RecordingUpload } = await import('../../extensions/archive/uploader');
          const form = Object.fromEntries(FIELDS.map(([k]) => [k, inputs[k].value])) as unknown as UploadForm;
          upload = new RecordingUpload(file, form, render);
          const finished = new Promise<void>((resolve) => (settle = resolve));
          await upload.start();
          await finished;
        },
        dispose: () => void upload?.pause(),
      };
    }

    async function uploadAll(): Promise<void> {
      if (running) return;
      formError.hidden = true;
      if (rows.length === 0) {
        formError.hidden = false;
        formError.textContent = 'Choose one or more video files first.';
        return;
      }
      running = true;
      startAll.disabled = true;
      try {
        for (const row of rows) {
          if (disposed) return;
          if (row.element.getAttribute('data-state') !== 'idle') continue;
          await row.start();
        }
      } finally {
        running = false;
        startAll.disabled = false;
      }
    }

    root.replaceChildren(
      createHeader(user, () => void ctx.session.logout()),
      h(
        'main',
        { class: 'archive-page upload-page' },
        h('a', { href: '#/archive', class: 'back' }, '← Recordings'),
        h('h2', {}, 'Upload recordings'),
        h(
          'form',
          {
            class: 'upload-form',
            onsubmit: (e: Event) => {
              e.preventDefault();
              void uploadAll();
            },
          },
          h('label', { class: 'wide' }, 'Files (MP4, MOV, MKV, MXF) ', fileInput),
          h('label', { class: 'wide' }, 'Procedure from the worklist ', studySearch, studyResults),
          ...FIELDS.map(([key, label]) => h('label', {}, label, inputs[key])),
          hospitals,
          h('div', { class: 'wide' }, startAll),
        ),
        formError,
        list,
      ),
    );
    return () => {
      disposed = true;
      for (const r of rows) r.dispose();
    };
  },
};
