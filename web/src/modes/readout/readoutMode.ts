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
import type { SeriesStack } from '../../extensions/cornerstone';

/** A step of entering a readout, as a performance mark `medsync.join.<step>` (benchmarks read them). */
function joinMark(step: string): void {
  performance.mark(`medsync.join.${step}`);
}

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
    // fetching the series list and metadata of what the driver shows, taken once by the first load below; the
    // image the driver shows is fetched and decoded as soon as its metadata and Cornerstone are there, while the
    // viewer and the session start (web/README.md "Readout": the marks of a join).
    joinMark('enter');
    const early = new EarlyJoin(route.readoutId);
    let started = false;
    disposers.push(() => started || early.close());
    const cornerstone = (async () => {
      const cs = await import('../../extensions/cornerstone');
      joinMark('cornerstone-imported');
      await cs.initCornerstone({ onUnauthorized: (url) => ctx.api.client.reportUnauthorized(url) });
      joinMark('cornerstone-started');
      return cs;
    })();
    const fetched = new Map<string, Promise<unknown>>();
    const takeOnce = <T>(key: string, get: () => Promise<T>): Promise<T> => {
      const p = fetched.get(key) as Promise<T> | undefined;
      fetched.delete(key);
      return p ?? get();
    };
    const keep = (key: string, p: Promise<unknown>): void => {
      p.catch(() => undefined); // a failure reaches whoever takes it
      fetched.set(key, p);
    };
    void early.welcome.then((w) => {
      joinMark('welcome');
      const item = w.worklist[w.worklistIndex];
      const seriesUid = w.snapshot?.fields.seriesUid;
      if (!item || disposed) return;
      keep(`${item.source}|${item.studyInstanceUid}`, ctx.api.series(item.source, item.studyInstanceUid));
      if (!seriesUid) return;
      const metadata = ctx.api.seriesMetadata(item.source, item.studyInstanceUid, seriesUid);
      const imageIndex = w.snapshot?.fields.imageIndex ?? 0;
      keep(
        `${item.source}|${item.studyInstanceUid}|${seriesUid}`,
        Promise.all([cornerstone, metadata]).then(([cs, md]) => {
          joinMark('metadata');
          const stack = cs.registerSeriesStack(item.source, item.studyInstanceUid, seriesUid, md);
          if (!disposed) void cs.preloadImage(stack, imageIndex).then(() => joinMark('shown-image-decoded'));
          return stack;
        }),
      );
    });
    void (async () => {
      const cs = await cornerstone;
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
      const stackOf = async (source: string, study: string, uid?: string): Promise<SeriesStack> => {
        // The driver's series is known (a late joiner's snapshot): its stack comes with the series list.
        const stackOfSeries = (series: string) =>
          takeOnce(`${source}|${study}|${series}`, () =>
            ctx.api
              .seriesMetadata(source, study, series)
              .then((md) => cs.registerSeriesStack(source, study, series, md)),
          );
        const known = uid ? stackOfSeries(uid) : undefined;
        known?.catch(() => undefined);
        const s = pick(
          summarizeSeries(
            await takeOnce<DicomJsonDataset[]>(`${source}|${study}`, () => ctx.api.series(source, study)),
          ),
          uid,
        );
        if (!s) throw new Error(`study ${study} has no series`);
        return known && s.seriesInstanceUid === uid ? await known : await stackOfSeries(s.seriesInstanceUid);
      };
      let worklist: { source: string; studyInstanceUid: string }[] = [];
      const load: StudyLoader = async (item, index, seriesUid, imageIndex) => {
        const stack = await stackOf(item.source, item.studyInstanceUid, seriesUid);
        if (disposed) return;
        await viewer.showSeries(stack, imageIndex);
        joinMark('shown');
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
      joinMark('viewer');
      await session.start(early);
      joinMark('session-started');
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
