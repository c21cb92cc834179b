import { h } from '../../platform/ui/dom';
import {
  displayValue,
  MetadataStore,
  openMetadataSocket,
  readTimestampSei,
  TimestampMap,
  type FrameMetadata,
  type MetadataMessage,
} from './metadata';
import { useSocket } from './telestration';

/**
 * The OR receiver's overlay in the browser: a 3x3 grid of zones over the video (row by row, as docs/rtv.md
 * "Overlay" draws them), each showing its configured attributes as `Keyword: value` lines, for exactly the frame on
 * screen. requestVideoFrameCallback names that frame by the RTP timestamp the SFU rewrote for this viewer;
 * {@link TimestampMap} (fed by the encoded-frame transform reading each access unit's SEI) turns it back into the RTV
 * timestamp the metadata messages carry.
 */

/** The RTCPeerConnection configuration the overlay needs: Chromium's encoded-frame access on the receiver. */
export function overlayPeerConfig(): RTCConfiguration {
  return { encodedInsertableStreams: true } as RTCConfiguration;
}

type FrameMeta = { rtpTimestamp?: number };
type WithRvfc = HTMLVideoElement & {
  requestVideoFrameCallback?: (cb: (now: number, meta: FrameMeta) => void) => number;
  cancelVideoFrameCallback?: (handle: number) => void;
};
type EncodedFrame = { data: ArrayBuffer; timestamp?: number; getMetadata?: () => { rtpTimestamp?: number } };
type WithEncodedStreams = RTCRtpReceiver & {
  createEncodedStreams?: () => { readable: ReadableStream<EncodedFrame>; writable: WritableStream<EncodedFrame> };
};

const maps = new WeakMap<HTMLVideoElement, { map: TimestampMap; current: () => number | undefined }>();

/** The RTV RTP timestamp of the frame on screen in `video` (for flows shown side by side in sync), if known. */
export function rtvTimestampOf(video: HTMLVideoElement): number | undefined {
  return maps.get(video)?.current();
}

export interface AttachedOverlay {
  detach(): void;
}

/**
 * Starts the overlay of one viewing: reads the RTV timestamps of `receiver`'s frames (call it from `ontrack`, before
 * media flows: the peer connection must have been made with {@link overlayPeerConfig}), opens the viewing's metadata
 * socket `socketPath`, and draws the zones over `video` frame by frame.
 */
export function attachOverlay(video: HTMLVideoElement, receiver: RTCRtpReceiver, socketPath: string): AttachedOverlay {
  const map = new TimestampMap();
  const store = new MetadataStore();
  let detached = false;
  let shownViewer: number | undefined;
  let shownRtv: number | undefined;

  const r = receiver as WithEncodedStreams;
  if (r.createEncodedStreams) {
    const { readable, writable } = r.createEncodedStreams();
    readable
      .pipeThrough(
        new TransformStream<EncodedFrame, EncodedFrame>({
          transform(frame, out) {
            const viewerTs = frame.getMetadata?.().rtpTimestamp ?? frame.timestamp;
            const rtv = readTimestampSei(new Uint8Array(frame.data));
            if (viewerTs !== undefined && rtv !== undefined) map.record(viewerTs >>> 0, rtv);
            out.enqueue(frame);
          },
        }),
      )
      .pipeTo(writable)
      .catch(() => undefined);
  }
  maps.set(video, { map, current: () => shownRtv });

  const zones = Array.from({ length: 9 }, (_, i) =>
    h('div', { class: `or-zone or-zone-${i + 1}`, 'data-testid': `or-zone-${i + 1}` }),
  );
  const root = h(
    'div',
    { class: 'or-overlay', 'data-testid': 'or-overlay', 'data-state': 'waiting', 'aria-label': 'DICOM metadata' },
    ...zones,
  );
  Object.assign(root.style, {
    position: 'absolute',
    display: 'grid',
    gridTemplateColumns: 'repeat(3, 1fr)',
    gridTemplateRows: 'repeat(3, 1fr)',
    pointerEvents: 'none',
    font: '12px/1.3 ui-monospace, monospace',
    color: '#fff',
  });
  const parent = video.parentElement;
  if (parent && getComputedStyle(parent).position === 'static') parent.style.position = 'relative';
  video.after(root);

  function place(): void {
    Object.assign(root.style, {
      left: `${video.offsetLeft}px`,
      top: `${video.offsetTop}px`,
      width: `${video.offsetWidth}px`,
      height: `${video.offsetHeight}px`,
    });
  }

  function render(m: FrameMetadata | undefined, viewerTs: number | undefined): void {
    place();
    const hello = store.hello;
    root.setAttribute('data-video-rtp', viewerTs === undefined ? '' : String(viewerTs));
    root.setAttribute('data-rtv-timestamp', m ? String(m.rtvTimestamp) : '');
    root.setAttribute('data-deidentified', hello ? String(hello.deidentified) : '');
    const state = !m || !m.dataset ? 'waiting' : m.complete ? 'frame' : 'static';
    root.setAttribute('data-state', state);
    for (let z = 1; z <= 9; z++) {
      const items = hello?.overlay.filter((o) => o.zone === z) ?? [];
      const lines =
        items.length === 0
          ? []
          : !m?.dataset
            ? ['NO DICOM METADATA YET']
            : items.map((o) => `${o.keyword}: ${displayValue(m.dataset![o.tag])}`);
      const zone = zones[z - 1];
      zone.replaceChildren(...lines.map((l) => h('div', { class: 'or-zone-line' }, l)));
      zone.style.background = lines.length > 0 ? 'rgba(0, 0, 0, 0.55)' : '';
      zone.style.alignSelf = z <= 3 ? 'start' : z >= 7 ? 'end' : 'center';
      zone.style.padding = lines.length > 0 ? '2px 4px' : '';
    }
  }

  function showFrame(viewerTs: number | undefined): void {
    shownViewer = viewerTs;
    shownRtv = viewerTs === undefined ? undefined : map.rtv(viewerTs);
    render(shownRtv === undefined ? undefined : store.at(shownRtv), viewerTs);
  }

  const ws = openMetadataSocket(
    socketPath,
    (m: MetadataMessage) => {
      if (detached) return;
      store.accept(m);
      // The static part at once (a late joiner), and a frame's own part that came after its picture.
      if (m.type !== 'frame' || m.rtpTimestamp === shownRtv) showFrame(shownViewer);
    },
    (why) => root.setAttribute('data-problem', why),
  );
  useSocket(video, ws);

  const v = video as WithRvfc;
  let handle: number | undefined;
  const onFrame = (_now: number, meta: FrameMeta): void => {
    if (detached) return;
    showFrame(meta.rtpTimestamp === undefined ? undefined : meta.rtpTimestamp >>> 0);
    handle = v.requestVideoFrameCallback?.(onFrame);
  };
  handle = v.requestVideoFrameCallback?.(onFrame);

  return {
    detach() {
      detached = true;
      if (handle !== undefined) v.cancelVideoFrameCallback?.(handle);
      ws.close();
      root.remove();
      maps.delete(video);
    },
  };
}
