import { ApiError } from '../../platform/api/client';
import type { Mode } from '../../platform/app';
import { h } from '../../platform/ui/dom';
import { createHeader } from '../../platform/ui/header';
import {
  PhotoApi,
  PhotoCard,
  attachTo,
  isSettled,
  parseAttach,
  type AttachKind,
  type PhotoState,
} from '../../extensions/photo';

type PhotoRoute = { name: 'photo'; attach?: string };

/** How often the page asks for the state of photos still being processed. */
const POLL_MS = 1000;

/**
 * `#/photo[?attach=study:<uid>|readout:<id>|consult]`: send photos of a screen, from the phone's camera or from
 * files, attached to a study, a readout or a new consult; then follow each photo to the library.
 */
export const photoMode: Mode<PhotoRoute> = {
  route: 'photo',
  requiresLogin: true,
  mount(root, ctx, route) {
    const user = ctx.session.user!;
    const api = new PhotoApi(ctx.api.client);
    let disposed = false;
    const initial = parseAttach(route.attach);

    // Two inputs: on a phone the first opens the camera; on a desktop it is a file picker, like the second.
    const camera = h('input', {
      type: 'file',
      accept: 'image/*',
      capture: 'environment',
      multiple: true,
      'data-testid': 'photo-camera',
      id: 'photo-camera',
    });
    const file = h('input', {
      type: 'file',
      accept: 'image/jpeg,image/png',
      multiple: true,
      'data-testid': 'photo-file',
      id: 'photo-file',
    });
    const kind = h(
      'select',
      { 'data-testid': 'photo-attach-kind', id: 'photo-attach-kind' },
      h('option', { value: 'study' }, 'a study'),
      h('option', { value: 'readout' }, 'a readout'),
      h('option', { value: 'consult' }, 'a new consult'),
    );
    kind.value = initial.kind;
    const ref = h('input', {
      type: 'text',
      'data-testid': 'photo-attach-ref',
      id: 'photo-attach-ref',
      placeholder: 'Study Instance UID or readout id',
      value: initial.ref,
      autocomplete: 'off',
    });
    const syncRef = (): void => {
      ref.hidden = kind.value === 'consult';
    };
    kind.addEventListener('change', syncRef);
    syncRef();
    const note = h('textarea', { 'data-testid': 'photo-note', id: 'photo-note', rows: 2, maxlength: 2000 });
    const formMessage = h('p', { class: 'photo-form-message', role: 'alert', 'data-testid': 'photo-form-message' });
    const send = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'photo-send' }, 'Send photos');
    const cards = h('div', { class: 'photo-cards', 'data-testid': 'photo-cards' });
    const form = h(
      'form',
      { class: 'photo-form' },
      h('label', { for: 'photo-camera', class: 'btn photo-pick' }, 'Take photos'),
      camera,
      h('label', { for: 'photo-file' }, 'or choose files'),
      file,
      h('label', { for: 'photo-attach-kind' }, 'Attach to'),
      kind,
      ref,
      h('label', { for: 'photo-note' }, 'Note (optional)'),
      note,
      send,
      formMessage,
    );
    root.replaceChildren(
      createHeader(user, () => void ctx.session.logout()),
      h(
        'main',
        { class: 'photo-page' },
        h('h1', {}, 'Photo of a screen'),
        h(
          'p',
          { class: 'photo-hint' },
          'Photograph the whole image, straight on, without glare. In MedSync’s own viewer, turn on photo mode first: ' +
            'the markers make the photo exact and link it to its study.',
        ),
        form,
        cards,
      ),
    );

    const tracked = new Map<string, { card: PhotoCard; state: PhotoState }>();
    const openStudy = (studyUid: string): void =>
      ctx.router.go({ name: 'viewer', source: 'local', studyInstanceUid: studyUid });

    const track = (p: PhotoState): void => {
      let t = tracked.get(p.id);
      if (!t) {
        const card = new PhotoCard(async (id, corners) => {
          const next = await api.corners(id, corners);
          track(next);
          schedule();
        }, openStudy);
        cards.prepend(card.element);
        t = { card, state: p };
        tracked.set(p.id, t);
      }
      t.state = p;
      t.card.show(p);
    };

    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => void poll(), POLL_MS);
    };
    const poll = async (): Promise<void> => {
      const pending = [...tracked.values()].filter((t) => !isSettled(t.state.status));
      for (const t of pending) {
        try {
          track(await api.get(t.state.id));
        } catch (e) {
          if (e instanceof ApiError && e.status === 401) return;
        }
      }
      if (!disposed && [...tracked.values()].some((t) => !isSettled(t.state.status))) schedule();
    };

    form.addEventListener('submit', (e) => {
      e.preventDefault();
      formMessage.textContent = '';
      const files = [...(camera.files ?? []), ...(file.files ?? [])];
      if (files.length === 0) {
        formMessage.textContent = 'Take or choose at least one photo.';
        return;
      }
      let attach: string;
      try {
        attach = attachTo(kind.value as AttachKind, ref.value);
      } catch (err) {
        formMessage.textContent = (err as Error).message;
        return;
      }
      send.disabled = true;
      send.textContent = 'Sending…';
      api
        .upload(files, attach, note.value)
        .then((photos) => {
          if (disposed) return;
          photos.forEach(track);
          camera.value = '';
          file.value = '';
          schedule();
        })
        .catch((err: unknown) => {
          if (disposed) return;
          formMessage.textContent = err instanceof Error ? err.message : String(err);
        })
        .finally(() => {
          send.disabled = false;
          send.textContent = 'Send photos';
        });
    });

    return () => {
      disposed = true;
      clearTimeout(timer);
    };
  },
};
