import '../../extensions/archive/archive.css';
import { ApiError } from '../../platform/api/client';
import { canUpload } from '../../platform/api/types';
import type { Mode } from '../../platform/app';
import { debounce, h } from '../../platform/ui/dom';
import { createHeader } from '../../platform/ui/header';
import { ArchiveApi, LibraryTable, dayRange, type RecordingQuery } from '../../extensions/archive';

/**
 * Roles the server shows no patient data to. They get no patient or procedure search either: the server refuses
 * those keys for them (a hit or a miss would tell whether a patient had a procedure).
 */
export function deidentified(role: string): boolean {
  return role === 'student' || role === 'observer';
}

/**
 * `#/archive`: search the recordings this user may see, open one, go to the upload page. `#/archive?study=<uid>`
 * (the worklist's link) shows the recordings of one study.
 */
export const libraryMode: Mode<{ name: 'archive'; study?: string }> = {
  route: 'archive',
  requiresLogin: true,
  mount(root, ctx, route) {
    const user = ctx.session.user!;
    const api = new ArchiveApi(ctx.api.client);
    const withPatient = !deidentified(user.role);
    // De-identified roles may not search by study (the server refuses it); they never get a study link either.
    const study = withPatient ? route.study : undefined;
    let controller: AbortController | undefined;
    let disposed = false;

    const field = (key: keyof RecordingQuery, label: string, type = 'search') =>
      h('input', {
        type,
        name: key,
        'data-testid': `library-${key}`,
        placeholder: label,
        'aria-label': label,
        autocomplete: 'off',
      });
    const fields: Partial<Record<keyof RecordingQuery, HTMLInputElement>> = {
      ...(withPatient
        ? { patient: field('patient', 'Patient name or ID'), procedure: field('procedure', 'Procedure or accession') }
        : {}),
      room: field('room', 'Operating room'),
      surgeon: field('surgeon', 'Surgeon'),
      from: field('from', 'From', 'date'),
      to: field('to', 'To', 'date'),
    };
    const table = new LibraryTable(withPatient, (r) => ctx.router.go({ name: 'archive-recording', recordingId: r.id }));

    async function refresh(): Promise<void> {
      controller?.abort();
      const mine = (controller = new AbortController());
      const query: RecordingQuery = { limit: 200 };
      if (study) query.study = study;
      for (const [key, input] of Object.entries(fields) as [keyof RecordingQuery, HTMLInputElement][]) {
        if (key !== 'from' && key !== 'to' && input.value.trim()) {
          (query as Record<string, string | number>)[key] = input.value.trim();
        }
      }
      Object.assign(query, dayRange(fields.from?.value ?? '', fields.to?.value ?? ''));
      table.showLoading();
      try {
        const list = await api.recordings(query, mine.signal);
        if (!disposed && mine === controller) table.show(list, Object.keys(query).length > 1);
      } catch (e) {
        if (disposed || mine !== controller || (e as Error).name === 'AbortError') return;
        if (e instanceof ApiError && e.status === 401) return;
        table.showError(e instanceof Error ? e.message : String(e));
      }
    }
    const refreshSoon = debounce(() => void refresh(), 300);
    for (const input of Object.values(fields)) {
      input.addEventListener(input.type === 'date' ? 'change' : 'input', refreshSoon);
      input.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') void refresh();
      });
    }

    const upload = canUpload(user.role)
      ? h('a', { class: 'btn primary', href: '#/archive/upload', 'data-testid': 'archive-upload-link' }, 'Upload video')
      : null;
    const admin =
      user.role === 'admin'
        ? h('a', { class: 'btn', href: '#/archive/admin', 'data-testid': 'archive-admin-link' }, 'Administration')
        : null;
    // Capacity planning is for those who run the archive and decide what is recorded: admins and clinicians.
    const storage = canUpload(user.role)
      ? h('a', { class: 'btn', href: '#/archive/storage', 'data-testid': 'archive-storage-link' }, 'Storage model')
      : null;
    const retention =
      user.role === 'admin'
        ? h('a', { class: 'btn', href: '#/archive/retention', 'data-testid': 'archive-retention-link' }, 'Retention')
        : null;
    root.replaceChildren(
      createHeader(user, () => void ctx.session.logout()),
      h(
        'main',
        { class: 'worklist-page archive-page' },
        h(
          'div',
          { class: 'worklist-toolbar', role: 'search' },
          ...Object.values(fields),
          upload,
          storage,
          retention,
          admin,
        ),
        study
          ? h(
              'p',
              { class: 'table-status', 'data-testid': 'library-study-filter' },
              'Recordings of one study. ',
              h('a', { href: '#/archive' }, 'Show all recordings'),
            )
          : null,
        table.element,
      ),
    );
    void refresh();
    return () => {
      disposed = true;
      controller?.abort();
    };
  },
};
