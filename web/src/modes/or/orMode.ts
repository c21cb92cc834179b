import { ApiError } from '../../platform/api/client';
import type { Mode } from '../../platform/app';
import { h } from '../../platform/ui/dom';
import { createHeader } from '../../platform/ui/header';
import type { LiveOr } from './liveOrs';
import { attachOverlay, overlayPeerConfig, type AttachedOverlay } from './overlay';

type OrRoute = { name: 'or'; orId: string };

interface WatchAnswer {
  viewing: string;
  or: string;
  flow: string;
  offer: { type: 'offer'; sdp: string };
}

/** ICE gathering for the answer is cut short after this: the candidates found so far go with it. */
const GATHER_MS = 2000;

/**
 * `#/or/<id>`: one flow of a live OR. The server brokers the WebRTC session with its SFU (Janus's Streaming plugin):
 * POST .../watch gives Janus's offer, the page answers (with its candidates) and receives the flow's one H.264
 * encode, receive-only. Shows the viewer count and how long frames take from the last packet's arrival to the
 * screen (requestVideoFrameCallback's receiveTime to presentationTime).
 */
export const orMode: Mode<OrRoute> = {
  route: 'or',
  requiresLogin: true,
  mount(root, ctx, route) {
    const user = ctx.session.user!;
    const base = `/api/ors/${encodeURIComponent(route.orId)}`;
    let disposed = false;
    let pc: RTCPeerConnection | undefined;
    let viewing: string | undefined;
    let overlay: AttachedOverlay | undefined;

    const title = h('h1', { class: 'or-title', 'data-testid': 'or-title' }, 'Live OR');
    const status = h(
      'div',
      { class: 'table-status', role: 'status', 'data-testid': 'or-status', 'data-state': 'connecting' },
      'Connecting…',
    );
    const flows = h('div', { class: 'or-flows', role: 'group', 'aria-label': 'Flows' });
    const video = h('video', {
      class: 'or-video',
      'data-testid': 'or-video',
      autoplay: true,
      muted: true,
      playsinline: true,
    });
    video.muted = true;
    const viewers = h('span', { 'data-testid': 'or-viewers' }, '');
    const latency = h('span', { 'data-testid': 'or-latency' }, '');
    root.replaceChildren(
      createHeader(user, () => void ctx.session.logout()),
      h(
        'main',
        { class: 'or-page' },
        h('a', { href: '#/worklist', class: 'back' }, '← Worklist'),
        title,
        flows,
        status,
        video,
        h('div', { class: 'or-facts' }, viewers, ' · ', latency),
      ),
    );

    function setStatus(state: string, text: string): void {
      status.setAttribute('data-state', state);
      status.textContent = text;
      status.hidden = state === 'playing';
    }

    function fail(e: unknown): void {
      if (disposed) return;
      if (e instanceof ApiError && e.status === 403) {
        setStatus('forbidden', 'You may not watch this OR: the administrator decides who may.');
      } else if (e instanceof ApiError && e.status === 404) {
        setStatus('not-found', 'There is no such OR.');
      } else {
        setStatus('error', e instanceof Error ? e.message : String(e));
      }
    }

    async function stopViewing(): Promise<void> {
      const v = viewing;
      viewing = undefined;
      overlay?.detach();
      overlay = undefined;
      pc?.close();
      pc = undefined;
      if (v) await ctx.api.client.send('POST', `${base}/viewings/${encodeURIComponent(v)}/stop`).catch(() => undefined);
    }

    async function watch(flow?: string): Promise<void> {
      await stopViewing();
      setStatus('connecting', 'Connecting…');
      const w = await ctx.api.client.send<WatchAnswer>('POST', `${base}/watch`, flow ? { flow } : {});
      if (disposed) {
        await ctx.api.client.send('POST', `${base}/viewings/${encodeURIComponent(w.viewing)}/stop`).catch(() => {});
        return;
      }
      viewing = w.viewing;
      video.setAttribute('data-flow', w.flow);
      for (const b of flows.querySelectorAll('button'))
        b.setAttribute('aria-pressed', String(b.dataset.flow === w.flow));
      const peer = (pc = new RTCPeerConnection(overlayPeerConfig()));
      peer.ontrack = (e) => {
        overlay?.detach();
        overlay = attachOverlay(video, e.receiver, `${base}/viewings/${encodeURIComponent(w.viewing)}/metadata`);
        video.srcObject = e.streams[0] ?? new MediaStream([e.track]);
      };
      peer.onconnectionstatechange = () => {
        if (peer.connectionState === 'failed') setStatus('error', 'The connection to the video was lost.');
      };
      await peer.setRemoteDescription(w.offer);
      await peer.setLocalDescription(await peer.createAnswer());
      // One answer with the candidates gathered (no trickle race between the answer and its candidates).
      await new Promise<void>((resolve) => {
        if (peer.iceGatheringState === 'complete') return resolve();
        const done = setTimeout(resolve, GATHER_MS);
        peer.addEventListener('icegatheringstatechange', () => {
          if (peer.iceGatheringState === 'complete') {
            clearTimeout(done);
            resolve();
          }
        });
      });
      const path = `${base}/viewings/${encodeURIComponent(w.viewing)}`;
      await ctx.api.client.send('POST', `${path}/answer`, { sdp: peer.localDescription!.sdp });
      await ctx.api.client.send('POST', `${path}/candidates`, { candidates: [], completed: true });
    }

    video.addEventListener('playing', () => setStatus('playing', ''));

    // Frame by frame: how long the frame on screen took from its last packet to the glass (this browser's clock).
    type FrameMeta = { presentationTime: number; receiveTime?: number };
    type WithRvfc = HTMLVideoElement & {
      requestVideoFrameCallback?: (cb: (now: number, meta: FrameMeta) => void) => number;
    };
    const v2 = video as WithRvfc;
    let delays: number[] = [];
    const onFrame = (_now: number, meta: FrameMeta): void => {
      if (disposed) return;
      if (meta.receiveTime !== undefined) delays.push(meta.presentationTime - meta.receiveTime);
      v2.requestVideoFrameCallback?.(onFrame);
    };
    v2.requestVideoFrameCallback?.(onFrame);

    async function refresh(): Promise<void> {
      const or = await ctx.api.client.json<LiveOr>(base);
      if (disposed) return;
      title.textContent = `${or.name}${or.procedure ? ` — ${or.procedure}` : ''}`;
      if (flows.childElementCount === 0 && or.flows.length > 1) {
        flows.append(
          ...or.flows.map((f) =>
            h(
              'button',
              {
                type: 'button',
                class: 'btn',
                'data-flow': f.name,
                'data-testid': `or-flow-${f.name}`,
                onclick: () => void watch(f.name).catch(fail),
              },
              f.name,
            ),
          ),
        );
      }
      const shown = or.flows.find((f) => f.name === video.getAttribute('data-flow'));
      const n = shown?.viewers ?? 0;
      viewers.textContent = `${n} viewer${n === 1 ? '' : 's'}`;
      viewers.setAttribute('data-count', String(n));
      if (delays.length > 0) {
        const sorted = [...delays].sort((a, b) => a - b);
        const median = sorted[Math.floor(sorted.length / 2)];
        latency.textContent = `packet to screen ${Math.round(median)} ms`;
        latency.setAttribute('data-ms', String(Math.round(median)));
        delays = [];
      }
    }

    refresh()
      .then(() => watch())
      .catch(fail);
    const poll = setInterval(() => void refresh().catch(() => undefined), 2000);
    const leave = () => void stopViewing();
    window.addEventListener('pagehide', leave);

    return () => {
      disposed = true;
      clearInterval(poll);
      window.removeEventListener('pagehide', leave);
      void stopViewing();
    };
  },
};
