import { ApiError } from '../../platform/api/client';
import type { Mode } from '../../platform/app';
import { h } from '../../platform/ui/dom';
import { createHeader } from '../../platform/ui/header';
import type { LiveOr } from './liveOrs';
import { rtvTimestampOf as overlayTimestampOf } from './overlay';
import { FlowPlayer, type PlayerState } from './player';
import { stampReader } from './stamp';
import { talkControls } from './talk';
import { attachTelestration, type TelestrationLayer } from './telestration';
import { ageMs, FlowSync, type RtvTimestampOf } from './sync';

type OrRoute = { name: 'or'; orId: string };

type Layout = 'single' | 'side-by-side';

/**
 * `#/or/<id>`: a live OR's flows, one at a time or side by side in sync (frames of equal RTV timestamp together).
 * Each flow plays in its own {@link FlowPlayer} (the server brokers the WebRTC session with its SFU and the player
 * reconnects by itself). Shows the viewer count and a live latency figure: glass to glass (the frame's RTV
 * timestamp, i.e. its alignment point, to its display, both on the hosts' clocks) where the frame's RTV timestamp is
 * known, otherwise packet to screen (the last packet's arrival to the display, this browser alone).
 */
export const orMode: Mode<OrRoute> = {
  route: 'or',
  requiresLogin: true,
  mount(root, ctx, route) {
    const user = ctx.session.user!;
    const base = `/api/ors/${encodeURIComponent(route.orId)}`;
    const send = <T>(method: string, path: string, body?: unknown): Promise<T> =>
      ctx.api.client.send<T>(method, path, body);
    let disposed = false;
    let layout: Layout = 'single';
    let or: LiveOr | undefined;
    let players: FlowPlayer[] = [];
    let sync: FlowSync | undefined;
    let inks: TelestrationLayer[] = [];
    const readers = new Map<HTMLVideoElement, (v: HTMLVideoElement) => number | undefined>();

    // The RTV timestamp of the frame on screen: a test pattern's burned-in stamp, else the overlay's mapping of the
    // frame's rewritten RTP timestamp through the timestamp SEI (overlay.ts; undefined until the first mapped frame).
    const rtvTimestampOf: RtvTimestampOf = (video) => readers.get(video)?.(video) ?? overlayTimestampOf(video);

    const title = h('h1', { class: 'or-title', 'data-testid': 'or-title' }, 'Live OR');
    const status = h(
      'div',
      { class: 'table-status', role: 'status', 'data-testid': 'or-status', 'data-state': 'connecting' },
      'Connecting…',
    );
    const flows = h('div', { class: 'or-flows', role: 'group', 'aria-label': 'Flows' });
    const layoutButton = h(
      'button',
      { type: 'button', class: 'btn', 'data-testid': 'or-layout', hidden: true, onclick: () => toggleLayout() },
      'Side by side',
    );
    const stage = h('div', { class: 'or-stage', 'data-testid': 'or-stage', 'data-layout': layout });
    const viewers = h('span', { 'data-testid': 'or-viewers' }, '');
    const latency = h('span', { 'data-testid': 'or-latency' }, '');
    const inSync = h('span', { 'data-testid': 'or-sync' }, '');
    // Talk-back: nothing (no microphone, no Janus room) until the user joins it.
    const talk = talkControls(send, base, 'remote');
    root.replaceChildren(
      createHeader(user, () => void ctx.session.logout()),
      h(
        'main',
        { class: 'or-page' },
        h('a', { href: '#/worklist', class: 'back' }, '← Worklist'),
        title,
        h('div', { class: 'or-controls' }, flows, layoutButton),
        status,
        stage,
        h('div', { class: 'or-facts' }, viewers, ' · ', latency, ' ', inSync),
        talk.element,
      ),
    );

    function setStatus(state: string, text: string): void {
      status.setAttribute('data-state', state);
      status.textContent = text;
      status.hidden = state === 'playing';
    }

    /** The page's state is its players' worst. */
    function onPlayerState(_p: FlowPlayer, state: PlayerState, text: string): void {
      if (disposed) return;
      const order: PlayerState[] = ['forbidden', 'not-found', 'error', 'reconnecting', 'connecting', 'playing'];
      const worst = players.map((p) => p.state).sort((a, b) => order.indexOf(a) - order.indexOf(b))[0] ?? state;
      setStatus(worst, worst === state ? text : (status.textContent ?? ''));
    }

    // Frame ages per shown player, for the latency figure.
    const ages: number[] = [];
    const packetToScreen: number[] = [];
    type FrameMeta = { presentationTime: number; expectedDisplayTime: number; receiveTime?: number };
    type WithRvfc = HTMLVideoElement & {
      requestVideoFrameCallback?: (cb: (now: number, meta: FrameMeta) => void) => number;
    };
    function measure(p: FlowPlayer): void {
      const v = p.video as WithRvfc;
      const onFrame = (_now: number, meta: FrameMeta): void => {
        if (disposed || !players.includes(p)) return;
        const rtv = rtvTimestampOf(p.video);
        if (rtv !== undefined) ages.push(ageMs(rtv, performance.timeOrigin + meta.expectedDisplayTime));
        else if (meta.receiveTime !== undefined) packetToScreen.push(meta.presentationTime - meta.receiveTime);
        v.requestVideoFrameCallback?.(onFrame);
      };
      v.requestVideoFrameCallback?.(onFrame);
    }

    function show(names: string[]): void {
      sync?.stop();
      sync = undefined;
      for (const p of players) p.dispose();
      readers.clear();
      players = names.map((name) => new FlowPlayer(send, base, name, onPlayerState));
      for (const p of players) {
        if (or?.flows.find((f) => f.name === p.flow)?.testPattern) readers.set(p.video, stampReader());
        measure(p);
      }
      stage.setAttribute('data-layout', layout);
      stage.replaceChildren(
        ...players.map((p) =>
          h('figure', { class: 'or-flow' }, p.video, h('figcaption', {}, names.length > 1 ? p.flow : '')),
        ),
      );
      // Expert to OR: drawing on each shown flow (offered only to roles the server lets draw).
      for (const i of inks) i.dispose();
      inks = players.map((p) => attachTelestration(p.video, rtvTimestampOf));
      if (players.length > 1) {
        sync = new FlowSync(rtvTimestampOf);
        for (const p of players) sync.add({ video: p.video, receiver: () => p.receiver() });
      }
      for (const b of flows.querySelectorAll('button'))
        b.setAttribute('aria-pressed', String(names.includes(b.dataset.flow ?? '')));
    }

    function toggleLayout(): void {
      if (!or) return;
      layout = layout === 'single' ? 'side-by-side' : 'single';
      layoutButton.textContent = layout === 'single' ? 'Side by side' : 'One at a time';
      show(layout === 'single' ? [players[0]?.flow ?? or.flows[0].name] : or.flows.map((f) => f.name));
    }

    function median(a: number[]): number {
      const s = [...a].sort((x, y) => x - y);
      return s[Math.floor(s.length / 2)];
    }

    async function refresh(): Promise<void> {
      const o = await ctx.api.client.json<LiveOr>(base);
      if (disposed) return;
      or = o;
      title.textContent = `${o.name}${o.procedure ? ` — ${o.procedure}` : ''}`;
      if (flows.childElementCount === 0 && o.flows.length > 1) {
        layoutButton.hidden = false;
        flows.append(
          ...o.flows.map((f) =>
            h(
              'button',
              {
                type: 'button',
                class: 'btn',
                'data-flow': f.name,
                'data-testid': `or-flow-${f.name}`,
                onclick: () => {
                  if (layout !== 'single') toggleLayout();
                  show([f.name]);
                },
              },
              f.name,
            ),
          ),
        );
      }
      const shown = o.flows.filter((f) => players.some((p) => p.flow === f.name));
      const n = Math.max(0, ...shown.map((f) => f.viewers));
      viewers.textContent = `${n} viewer${n === 1 ? '' : 's'}`;
      viewers.setAttribute('data-count', String(n));
      if (ages.length > 0) {
        const m = Math.round(median(ages));
        latency.textContent = `glass to glass ${m} ms`;
        latency.setAttribute('data-kind', 'glass-to-glass');
        latency.setAttribute('data-ms', String(m));
      } else if (packetToScreen.length > 0) {
        const m = Math.round(median(packetToScreen));
        latency.textContent = `packet to screen ${m} ms`;
        latency.setAttribute('data-kind', 'packet-to-screen');
        latency.setAttribute('data-ms', String(m));
      }
      ages.length = 0;
      packetToScreen.length = 0;
      if (sync && players.length > 1) {
        const spread = Math.round(sync.spread());
        inSync.textContent = `· flows ${spread} ms apart`;
        inSync.setAttribute('data-ms', String(spread));
      } else {
        inSync.textContent = '';
        inSync.removeAttribute('data-ms');
      }
    }

    refresh()
      .then(() => {
        if (!disposed && or) show([or.flows[0].name]);
      })
      .catch((e: unknown) => {
        const s = e instanceof ApiError ? e.status : 0;
        if (s === 403) setStatus('forbidden', 'You may not watch this OR: the administrator decides who may.');
        else if (s === 404) setStatus('not-found', 'There is no such OR.');
        else setStatus('error', e instanceof Error ? e.message : String(e));
      });
    const poll = setInterval(() => void refresh().catch(() => undefined), 2000);
    const leave = (): void => {
      for (const p of players) p.dispose();
      talk.dispose();
    };
    window.addEventListener('pagehide', leave);

    return () => {
      disposed = true;
      clearInterval(poll);
      window.removeEventListener('pagehide', leave);
      sync?.stop();
      for (const i of inks) i.dispose();
      leave();
    };
  },
};
