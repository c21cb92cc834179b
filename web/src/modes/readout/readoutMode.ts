import type { Mode } from '../../platform/app';
import { h, isTypingTarget } from '../../platform/ui/dom';
import { createHeader } from '../../platform/ui/header';
import { summarizeSeries, type SeriesSummary } from '../../extensions/study-browser';
import {
  createReadoutPanel,
  diagnosticsRequested,
  EarlyJoin,
  installDiagnostics,
  ReadoutSession,
  type StudyLoader,
} from '../../extensions/readout';
import type { DicomJsonDataset } from '../../platform/api/types';
import { createToolbar } from '../viewer/toolbar';

type ReadoutRoute = { name: 'readout'; readoutId: string };

/** `#/readout/{id}`: the viewer, its toolbar and the readout panel; the session keeps everyone in sync. */
export const readoutMode: Mode<ReadoutRoute> = {
  route: 'readout',
  requiresLogin: true,
  mount(root, ctx, route) {
    const user = ctx.session.user!;
    let disposed = false;
    const disposers: (() => void)[] = [];
    const main = h(
      'div',
      { class: 'viewer-main' },
      h('div', { class: 'viewer-loading', role: 'status' }, 'Starting readout…'),
    );
    const side = h('div', { class: 'readout-side' });
    const back = h('a', { href: '#/worklist', class: 'btn', 'data-testid': 'back-to-worklist' }, '← Worklist');
    root.replaceChildren(
      createHeader(user, () => void ctx.session.logout(), [back]),
      h('main', { class: 'viewer-page readout-page' }, main, side),
    );

    // The socket and microphone start while Cornerstone does (a late joiner's state arrives meanwhile), and so does
    // fetching the series list and metadata of what the driver shows, taken once by the first load below.
    const early = new EarlyJoin(route.readoutId);
    let started = false;
    disposers.push(() => started || early.close());
    const fetched = new Map<string, Promise<DicomJsonDataset[]>>();
    const fetchOnce = (key: string, get: () => Promise<DicomJsonDataset[]>): Promise<DicomJsonDataset[]> => {
      const p = fetched.get(key);
      fetched.delete(key);
      return p ?? get();
    };
    void early.welcome.then((w) => {
      const item = w.worklist[w.worklistIndex];
      const seriesUid = w.snapshot?.fields.seriesUid;
      if (!item || disposed) return;
      const keep = (key: string, p: Promise<DicomJsonDataset[]>): void => {
        p.catch(() => undefined); // a failure reaches whoever takes it
        fetched.set(key, p);
      };
      keep(`${item.source}|${item.studyInstanceUid}`, ctx.api.series(item.source, item.studyInstanceUid));
      if (seriesUid)
        keep(
          `${item.source}|${item.studyInstanceUid}|${seriesUid}`,
          ctx.api.seriesMetadata(item.source, item.studyInstanceUid, seriesUid),
        );
    });
    void (async () => {
      const cs = await import('../../extensions/cornerstone');
      await cs.initCornerstone({ onUnauthorized: (url) => ctx.api.client.reportUnauthorized(url) });
      if (disposed) return;
      const viewer = new cs.StackViewer();
      disposers.push(() => viewer.destroy());
      const toolbar = createToolbar(viewer, cs.CT_PRESETS);
      main.replaceChildren(toolbar, viewer.root);

      const pick = (series: SeriesSummary[], uid?: string): SeriesSummary | undefined =>
        series.find((s) => s.seriesInstanceUid === uid) ??
        series.reduce<SeriesSummary | undefined>(
          (b, s) => (!b || (s.instanceCount ?? 0) > (b.instanceCount ?? 0) ? s : b),
          undefined,
        );
      const stackOf = async (source: string, study: string, uid?: string) => {
        // The driver's series is known (a late joiner's snapshot): its metadata comes with the series list.
        const metadataOf = (series: string) =>
          fetchOnce(`${source}|${study}|${series}`, () => ctx.api.seriesMetadata(source, study, series));
        const known = uid ? metadataOf(uid) : undefined;
        known?.catch(() => undefined);
        const s = pick(
          summarizeSeries(await fetchOnce(`${source}|${study}`, () => ctx.api.series(source, study))),
          uid,
        );
        if (!s) throw new Error(`study ${study} has no series`);
        const metadata = known && s.seriesInstanceUid === uid ? await known : await metadataOf(s.seriesInstanceUid);
        return cs.registerSeriesStack(source, study, s.seriesInstanceUid, metadata);
      };
      let worklist: { source: string; studyInstanceUid: string }[] = [];
      const load: StudyLoader = async (item, index, seriesUid, imageIndex) => {
        const stack = await stackOf(item.source, item.studyInstanceUid, seriesUid);
        if (disposed) return;
        await viewer.showSeries(stack, imageIndex);
        // Prefetch the next study's first image while this one is read.
        const nextItem = worklist[index + 1];
        if (nextItem)
          void stackOf(nextItem.source, nextItem.studyInstanceUid)
            .then((s) => cs.preloadFirstImage(s))
            .catch(() => undefined);
      };
      const session = new ReadoutSession(route.readoutId, viewer, load);
      disposers.push(() => session.close());
      // Tests and benchmarks (web/README.md, "Readout"): only a page that set the flag gets the hooks.
      if (diagnosticsRequested()) disposers.push(installDiagnostics(session, viewer));
      session.events.on('change', (s) => (worklist = s.worklist));
      side.replaceChildren(createReadoutPanel(session, viewer, ctx.api, route.readoutId));
      // The toolbar and document-level keys change the view outside the viewer pane: a follower using them
      // browses on its own (the session sees input inside the pane itself).
      const onTool = (e: Event): void => {
        if (e.isTrusted && e.target instanceof Element && (e.type === 'change' || e.target.closest('button')))
          session.browsedLocally();
      };
      toolbar.addEventListener('click', onTool, true);
      toolbar.addEventListener('change', onTool, true);
      const onKey = (e: KeyboardEvent): void => {
        if (isTypingTarget(e.target) || (e.target instanceof HTMLInputElement && e.target.type === 'range')) return;
        if (viewer.handleKey(e)) {
          e.preventDefault();
          if (e.isTrusted) session.browsedLocally();
        }
      };
      document.addEventListener('keydown', onKey);
      disposers.push(() => document.removeEventListener('keydown', onKey));
      started = true;
      await session.start(early);
    })().catch((e: unknown) => {
      if (!disposed)
        main.replaceChildren(
          h(
            'div',
            { class: 'viewer-error', 'data-testid': 'viewer-error', role: 'alert' },
            `The readout could not start: ${(e as Error).message}`,
          ),
        );
    });

    return () => {
      disposed = true;
      for (const d of disposers.reverse()) d();
    };
  },
};
