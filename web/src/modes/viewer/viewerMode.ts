import { ApiError } from '../../platform/api/client';
import type { Mode } from '../../platform/app';
import { h, isTypingTarget, saveBlob } from '../../platform/ui/dom';
import { createHeader } from '../../platform/ui/header';
import { SeriesPanel, summarizeSeries, type SeriesSummary } from '../../extensions/study-browser';
import type { SeriesStack } from '../../extensions/cornerstone';
import { ArchiveApi, StudyRecordings } from '../../extensions/archive';
import { deidentified } from '../archive/libraryMode';
import { createToolbar } from './toolbar';
import { PhotoApi, PhotoModeOverlay } from '../../extensions/photo';

type ViewerRoute = { name: 'viewer'; source: string; studyInstanceUid: string };

/** `#/viewer/{source}/{study}`: series thumbnails on the left, toolbar and one stack viewport. */
export const viewerMode: Mode<ViewerRoute> = {
  route: 'viewer',
  requiresLogin: true,
  mount(root, ctx, route) {
    const { source, studyInstanceUid: study } = route;
    const user = ctx.session.user!;
    let disposed = false;
    const disposers: (() => void)[] = [];

    const main = h(
      'div',
      { class: 'viewer-main' },
      h('div', { class: 'viewer-loading', role: 'status' }, 'Starting viewer…'),
    );
    // Until the viewport exists, a click on a thumbnail is remembered and shown first.
    let requested: SeriesSummary | undefined;
    let selectSeries: (s: SeriesSummary, prepared?: Promise<SeriesStack>) => void = (s) => {
      requested = s;
    };
    const panel = new SeriesPanel(source, study, (s) => selectSeries(s));
    const back = h('a', { href: '#/worklist', class: 'btn', 'data-testid': 'back-to-worklist' }, '← Worklist');
    const sendPhoto =
      source === 'local' && ['admin', 'attending', 'resident'].includes(user.role)
        ? h(
            'a',
            {
              href: `#/photo?attach=${encodeURIComponent(`study:${study}`)}`,
              class: 'btn',
              'data-testid': 'send-photo',
            },
            'Send photo',
          )
        : undefined;
    // The study's recordings, played here (issue 13): only for roles that see patient data, like the worklist's link.
    const recordings = deidentified(user.role) ? undefined : new StudyRecordings(new ArchiveApi(ctx.api.client), study);
    root.replaceChildren(
      createHeader(
        user,
        () => void ctx.session.logout(),
        [back, recordings?.button, sendPhoto].filter(
          (n): n is HTMLAnchorElement | HTMLButtonElement => n !== undefined,
        ),
      ),
      h('main', { class: 'viewer-page' }, panel.element, main, recordings?.panel ?? ''),
    );
    if (recordings) {
      disposers.push(() => recordings.dispose());
      void recordings.load();
    }

    const seriesPromise = ctx.api.series(source, study).then(summarizeSeries);
    const extensionPromise = import('../../extensions/cornerstone').then(async (cs) => {
      await cs.initCornerstone({ onUnauthorized: (url) => ctx.api.client.reportUnauthorized(url) });
      return cs;
    });

    void (async () => {
      let series: SeriesSummary[];
      try {
        series = await seriesPromise;
      } catch (e) {
        if (disposed || (e instanceof ApiError && e.status === 401)) return;
        const message = `The series of study ${study} could not be listed: ${userReason(e, 'the answer could not be read')}`;
        panel.showError(message);
        main.replaceChildren(
          h('div', { class: 'viewer-error', 'data-testid': 'viewer-error', role: 'alert' }, message),
        );
        return;
      }
      if (disposed) return;
      panel.show(series);
      // Open the series with the most images (a scout or dose report rarely is what the reader wants).
      const first = series.reduce<SeriesSummary | undefined>(
        (best, s) => (!best || (s.instanceCount ?? 0) > (best.instanceCount ?? 0) ? s : best),
        undefined,
      );
      // Fetch the first series' metadata while Cornerstone starts.
      const firstMetadata = first ? ctx.api.seriesMetadata(source, study, first.seriesInstanceUid) : undefined;
      firstMetadata?.catch(() => undefined);

      let cs: Awaited<typeof extensionPromise>;
      try {
        cs = await extensionPromise;
      } catch (e) {
        if (disposed) return;
        main.replaceChildren(
          h(
            'div',
            { class: 'viewer-error', 'data-testid': 'viewer-error', role: 'alert' },
            `The viewer could not start: ${userReason(e, 'this browser may lack WebGL 2, or the viewer failed to load (try reloading)')}`,
          ),
        );
        return;
      }
      if (disposed) return;
      // Let the first image load while the viewport starts.
      const firstStack =
        first && firstMetadata
          ? firstMetadata.then((m) => {
              const stack = cs.registerSeriesStack(source, study, first.seriesInstanceUid, m);
              cs.preloadFirstImage(stack);
              return stack;
            })
          : undefined;
      firstStack?.catch(() => undefined);
      const viewer = new cs.StackViewer({
        download: async (sop) => {
          const series = viewer.currentSeries;
          if (!series) return;
          saveBlob(await ctx.api.instanceFile(source, study, series, sop), `${sop}.dcm`);
        },
      });
      disposers.push(() => viewer.destroy());
      const toolbar = createToolbar(viewer, cs.CT_PRESETS);
      // Photo mode (issue 15): markers at the image's corners and a token's QR code, so a phone photo of this
      // screen rectifies exactly and links back to this instance for a sender allowed the study.
      let photoMode: PhotoModeOverlay | undefined;
      const photoButton = h(
        'button',
        {
          type: 'button',
          class: 'btn tool',
          'data-testid': 'tool-photo-mode',
          title: 'Photo mode: markers for photographing this screen',
          'aria-pressed': 'false',
        },
        'Photo mode',
      );
      photoButton.addEventListener('click', () => {
        if (photoMode) {
          photoMode.dispose();
          photoMode = undefined;
          viewer.reset();
        } else {
          viewer.reset();
          viewer.zoomBy(0.5); // room around the image for the markers and the QR code
          photoMode = new PhotoModeOverlay(new PhotoApi(ctx.api.client), () => viewer.shownImage());
          viewer.element.append(photoMode.element);
        }
        photoButton.setAttribute('aria-pressed', String(!!photoMode));
      });
      disposers.push(() => photoMode?.dispose());
      toolbar.append(photoButton);
      main.replaceChildren(toolbar, viewer.root);

      const onKey = (e: KeyboardEvent): void => {
        if (isTypingTarget(e.target) || (e.target instanceof HTMLInputElement && e.target.type === 'range')) return;
        if (viewer.handleKey(e)) e.preventDefault();
      };
      document.addEventListener('keydown', onKey);
      disposers.push(() => document.removeEventListener('keydown', onKey));

      let selection = 0;
      selectSeries = (s, prepared) => {
        const mine = ++selection;
        panel.setActive(s.seriesInstanceUid);
        viewer.showError(null);
        void (async () => {
          try {
            const stack = await (prepared ??
              ctx.api
                .seriesMetadata(source, study, s.seriesInstanceUid)
                .then((m) => cs.registerSeriesStack(source, study, s.seriesInstanceUid, m)));
            if (disposed || mine !== selection) return;
            await viewer.showSeries(stack);
          } catch (e) {
            if (disposed || mine !== selection || (e instanceof ApiError && e.status === 401)) return;
            const name = [
              s.seriesNumber !== undefined ? `#${s.seriesNumber}` : '',
              s.description && `"${s.description}"`,
            ]
              .filter(Boolean)
              .join(' ');
            const reason = userReason(e, 'its metadata could not be read by the viewer');
            viewer.showError(`Series ${name} (${s.seriesInstanceUid}) could not be loaded: ${reason}`);
          }
        })();
      };
      if (requested && requested.seriesInstanceUid !== first?.seriesInstanceUid) selectSeries(requested);
      else if (first) selectSeries(first, firstStack);
      else viewer.showError('This study has no series to show.');
      viewer.element.focus({ preventScroll: true });
    })();

    return () => {
      disposed = true;
      for (const d of disposers.reverse()) d();
    };
  },
};

/** The server's messages are written for users; any other exception is a fault of ours, for the console. */
function userReason(e: unknown, fallback: string): string {
  if (e instanceof ApiError) return e.message;
  console.warn('Viewer:', e);
  return fallback;
}
