import '../../extensions/archive/archive.css';
import { ApiError } from '../../platform/api/client';
import type { Mode } from '../../platform/app';
import { h } from '../../platform/ui/dom';
import { createHeader } from '../../platform/ui/header';
import { RetentionApi, retentionDay, type ExpiryRun, type Hold, type Policy } from '../../extensions/archive';

/**
 * `#/archive/retention`, for admins (and, for the holds section, the roles the server lets hold): retention
 * policies, legal holds (place, lift with a reason) and the expiry job's reports. The server decides who may do
 * what; a section the user may not use says so.
 */
export const retentionMode: Mode<{ name: 'archive-retention' }> = {
  route: 'archive-retention',
  requiresLogin: true,
  mount(root, ctx) {
    const user = ctx.session.user!;
    const api = new RetentionApi(ctx.api.client);
    const policies = h('section', { 'data-testid': 'retention-policies' });
    const holds = h('section', { 'data-testid': 'retention-holds' });
    const runs = h('section', { 'data-testid': 'retention-runs' });
    root.replaceChildren(
      createHeader(user, () => void ctx.session.logout()),
      h(
        'main',
        { class: 'archive-page retention-page' },
        h('a', { href: '#/archive', class: 'back' }, '← Recordings'),
        h('h2', {}, 'Retention and legal holds'),
        holds,
        policies,
        runs,
      ),
    );

    const failure = (e: unknown): string =>
      e instanceof ApiError && e.status === 403 ? 'Your role may not use this.' : (e as Error).message;

    function input(name: string, placeholder: string, type = 'text'): HTMLInputElement {
      return h('input', { name, placeholder, type, 'aria-label': placeholder });
    }

    async function loadHolds(): Promise<void> {
      let list: Hold[];
      try {
        list = await api.holds(false);
      } catch (e) {
        holds.replaceChildren(h('h3', {}, 'Legal holds'), h('p', { role: 'status' }, failure(e)));
        return;
      }
      const status = h('p', { role: 'status', 'data-testid': 'hold-status' });
      const scope = h(
        'select',
        { name: 'scope', 'aria-label': 'scope' },
        h('option', { value: 'recording' }, 'recording'),
        h('option', { value: 'patient' }, 'patient'),
        h('option', { value: 'case' }, 'case'),
      );
      const target = input('target', 'recording id, patient id or case number');
      const hospital = input('hospital', 'hospital (patient, case)');
      const reason = input('reason', 'reason (mandatory)');
      const form = h(
        'form',
        {
          'data-testid': 'hold-form',
          onsubmit: (ev: Event) => {
            ev.preventDefault();
            const key =
              scope.value === 'recording' ? 'recording' : scope.value === 'patient' ? 'patientId' : 'caseNumber';
            const body: Record<string, string> = { scope: scope.value, [key]: target.value, reason: reason.value };
            if (hospital.value) body.hospital = hospital.value;
            api
              .placeHold(body)
              .then(() => loadHolds())
              .catch((e: unknown) => (status.textContent = `Not placed: ${failure(e)}`));
          },
        },
        scope,
        target,
        hospital,
        reason,
        h('button', { type: 'submit', class: 'btn' }, 'Place hold'),
      );
      const rows = list.map((x) => {
        const liftReason = input('lift-reason', 'reason for lifting');
        return h(
          'tr',
          { 'data-testid': 'hold-row' },
          h('td', {}, x.scope),
          h('td', {}, x.hospital ?? ''),
          h('td', {}, x.target),
          h('td', {}, x.reason),
          h('td', {}, `${x.placedBy}, ${x.placedAt.slice(0, 10)}`),
          h(
            'td',
            {},
            liftReason,
            h(
              'button',
              {
                type: 'button',
                class: 'btn',
                onclick: () =>
                  void api
                    .liftHold(x.id, liftReason.value)
                    .then(() => loadHolds())
                    .catch((e: unknown) => (status.textContent = `Not lifted: ${failure(e)}`)),
              },
              'Lift',
            ),
          ),
        );
      });
      holds.replaceChildren(
        h('h3', {}, 'Legal holds'),
        form,
        status,
        list.length
          ? h(
              'table',
              { class: 'data-table' },
              h(
                'thead',
                {},
                h('tr', {}, ...['Scope', 'Hospital', 'Target', 'Reason', 'Placed', ''].map((t) => h('th', {}, t))),
              ),
              h('tbody', {}, ...rows),
            )
          : h('p', { class: 'muted' }, 'No legal hold stands.'),
      );
    }

    async function loadPolicies(): Promise<void> {
      let list: Policy[];
      try {
        list = await api.policies();
      } catch (e) {
        policies.replaceChildren(h('h3', {}, 'Retention policies'), h('p', { role: 'status' }, failure(e)));
        return;
      }
      const status = h('p', { role: 'status' });
      const hospital = input('hospital', 'hospital (empty: default)');
      const procedure = input('procedure', 'procedure (empty: every one)');
      const years = input('years', 'years', 'number');
      const anchor = h(
        'select',
        { name: 'anchor', 'aria-label': 'anchor' },
        h('option', { value: 'last-visit' }, 'after the last visit'),
        h('option', { value: 'recording' }, 'after the recording'),
      );
      const note = input('note', 'legal basis');
      const form = h(
        'form',
        {
          onsubmit: (ev: Event) => {
            ev.preventDefault();
            api
              .setPolicy({
                hospital: hospital.value.trim() || null,
                procedure: procedure.value.trim() || null,
                years: Number(years.value),
                anchor: anchor.value,
                note: note.value.trim() || null,
              })
              .then(() => loadPolicies())
              .catch((e: unknown) => (status.textContent = `Not saved: ${failure(e)}`));
          },
        },
        hospital,
        procedure,
        years,
        anchor,
        note,
        h('button', { type: 'submit', class: 'btn' }, 'Set policy'),
      );
      policies.replaceChildren(
        h('h3', {}, 'Retention policies'),
        h(
          'table',
          { class: 'data-table', 'data-testid': 'policy-table' },
          h('thead', {}, h('tr', {}, ...['Hospital', 'Procedure', 'Kept', 'Basis'].map((t) => h('th', {}, t)))),
          h(
            'tbody',
            {},
            ...list.map((p) =>
              h(
                'tr',
                {},
                h('td', {}, p.hospital ?? '(default)'),
                h('td', {}, p.procedure ?? '(every procedure)'),
                h('td', {}, `${p.years} years after ${p.anchor === 'last-visit' ? 'the last visit' : 'the recording'}`),
                h('td', {}, p.note ?? ''),
              ),
            ),
          ),
        ),
        form,
        status,
      );
    }

    async function loadRuns(): Promise<void> {
      let answer: { runs: ExpiryRun[]; deleteExpired: boolean };
      try {
        answer = await api.runs();
      } catch (e) {
        runs.replaceChildren(h('h3', {}, 'Expiry reports'), h('p', { role: 'status' }, failure(e)));
        return;
      }
      const items = h('div', { 'data-testid': 'run-items' });
      const show = (run: ExpiryRun): void =>
        void api
          .items(run.id)
          .then((list) =>
            items.replaceChildren(
              h('h4', {}, `Run ${run.id}`),
              list.length
                ? h(
                    'table',
                    { class: 'data-table' },
                    h(
                      'tbody',
                      {},
                      ...list.map((i) =>
                        h(
                          'tr',
                          {},
                          h(
                            'td',
                            {},
                            h('a', { href: `#/archive/recording/${encodeURIComponent(i.recording)}` }, i.recording),
                          ),
                          h('td', {}, i.hospital),
                          h('td', {}, retentionDay(i.retentionEnd)),
                          h('td', {}, i.outcome),
                          h('td', {}, i.detail ?? ''),
                        ),
                      ),
                    ),
                  )
                : h('p', { class: 'muted' }, 'Nothing was past its retention.'),
            ),
          );
      runs.replaceChildren(
        h('h3', {}, 'Expiry reports'),
        h(
          'p',
          { class: 'muted' },
          answer.deleteExpired
            ? 'The daily job deletes expired recordings without a hold.'
            : 'The daily job only reports expired recordings (archive.retention.delete-expired is off).',
          ' ',
          h(
            'button',
            { type: 'button', class: 'btn', onclick: () => void api.startRun().then(() => loadRuns()) },
            'Run now',
          ),
        ),
        h(
          'table',
          { class: 'data-table', 'data-testid': 'run-table' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ...['Run', 'Started', 'Examined', 'Expired', 'Deleted', 'Held', 'Failed'].map((t) => h('th', {}, t)),
            ),
          ),
          h(
            'tbody',
            {},
            ...answer.runs.map((r) =>
              h(
                'tr',
                {},
                h('td', {}, h('button', { type: 'button', class: 'btn', onclick: () => show(r) }, r.id)),
                h('td', {}, r.startedAt.slice(0, 16).replace('T', ' ')),
                ...[r.examined, r.expired, r.deleted, r.held, r.failed].map((n) => h('td', {}, String(n))),
              ),
            ),
          ),
        ),
        items,
      );
    }

    void loadHolds();
    void loadPolicies();
    void loadRuns();
    return () => {};
  },
};
