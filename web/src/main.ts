import './styles.css';
import { createAppContext, type Mode } from './platform/app';
import { formatRoute, type Route } from './platform/router';
import { h } from './platform/ui/dom';
import { loginMode } from './modes/login/loginMode';
import { worklistMode } from './modes/worklist/worklistMode';
import { viewerMode } from './modes/viewer/viewerMode';
import { joinMode } from './modes/readout/joinMode';
import { readoutMode } from './modes/readout/readoutMode';
import { libraryMode } from './modes/archive/libraryMode';
import { recordingMode } from './modes/archive/recordingMode';
import { uploadMode } from './modes/archive/uploadMode';
import { linkMode } from './modes/archive/linkMode';
import { adminMode } from './modes/archive/adminMode';
import { storageMode } from './modes/archive/storageMode';
import { orMode } from './modes/or/orMode';
import { orAccessMode } from './modes/or/accessMode';
import { stationMode } from './modes/or/station';
import { retentionMode } from './modes/archive/retentionMode';
import { photoMode } from './modes/photo/photoMode';

const MODES: readonly Mode<never>[] = [
  loginMode,
  worklistMode,
  viewerMode,
  readoutMode,
  joinMode,
  libraryMode,
  recordingMode,
  uploadMode,
  linkMode,
  adminMode,
  storageMode,
  orMode,
  orAccessMode,
  stationMode,
  retentionMode,
  photoMode,
] as unknown as Mode<never>[];

const root = document.getElementById('app')!;
const ctx = createAppContext();
let unmount: (() => void) | undefined;

function show(route: Route): void {
  const mode = MODES.find((m) => m.route === route.name) as Mode<Route> | undefined;
  if (!mode) return;
  if (mode.requiresLogin && !ctx.session.user) {
    ctx.router.go({ name: 'login', next: formatRoute(route) }, true);
    return;
  }
  if (route.name === 'login' && ctx.session.user) {
    ctx.router.go({ name: 'worklist' }, true);
    return;
  }
  unmount?.();
  unmount = undefined;
  root.replaceChildren();
  unmount = mode.mount(root, ctx, route);
}

ctx.router.events.on('navigate', (route) => {
  if (!route) {
    ctx.router.go(ctx.session.user ? { name: 'worklist' } : { name: 'login' }, true);
    return;
  }
  show(route);
});

// One user's images must not be shown to the next user of this tab: forget them when a user leaves it
// (logout, expiry, or another login), since whatever Cornerstone holds was loaded for that user. Not when
// someone logs in to a tab that holds nobody's images: that purge would race the first study they open.
let imagesOwner = ctx.session.user;
ctx.session.events.on('change', (user) => {
  const leaving = imagesOwner;
  imagesOwner = user;
  if (leaving) void import('./extensions/cornerstone').then((cs) => cs.forgetImages());
});

// Logged out: to the login page. Session expired (any 401): to the login page, remembering where we were.
ctx.session.events.on('change', (user) => {
  const current = ctx.router.current();
  if (!user && current?.name !== 'login') {
    const expired = ctx.session.endReason === 'expired' && current;
    ctx.router.go(expired ? { name: 'login', next: formatRoute(current) } : { name: 'login' });
  }
});

ctx.session
  .restore()
  .catch((e: unknown) => {
    root.replaceChildren(
      h(
        'main',
        { class: 'login-page' },
        h('p', { class: 'login-error', role: 'alert' }, `The server cannot be reached: ${(e as Error).message}`),
      ),
    );
  })
  .finally(() => ctx.router.start());
