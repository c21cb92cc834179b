package org.medsync.bench.lag;

/**
 * What the benchmark injects into the pages (it adds nothing to the app). Every time is
 * {@code performance.timeOrigin + performance.now()}: milliseconds since the epoch from the host's one clock,
 * so times taken in the driver's and the follower's Chromium compare directly (checked by {@link #CLOCK}).
 */
final class PageScripts {
    private PageScripts() {}

    /** Shared helpers: grey levels of the viewport canvas, reference images by slice, mean squared error. */
    private static final String COMMON = """
            const L = window.__lag = window.__lag || { log: [], refs: new Map() };
            L.addRef = (i, b64) => { const s = atob(b64); const g = new Uint8Array(s.length);
              for (let k = 0; k < s.length; k++) g[k] = s.charCodeAt(k); L.refs.set(i, g); };
            // Grey level of an RGBA pixel as (R + G + B) / 3: the viewer draws grey images with R = G = B,
            // a decoded video frame has small colour errors that count here as they would on screen.
            L.mse = (rgba, ref) => { let s = 0;
              for (let p = 0, q = 0; q < ref.length; p += 4, q++) { const d = (rgba[p] + rgba[p + 1] + rgba[p + 2]) / 3 - ref[q]; s += d * d; }
              return s / ref.length; };
            """;

    /**
     * Readout pages (driver and follower): logs when the viewport shows a new slice, i.e. the moment the app's
     * IMAGE_RENDERED handler writes data-image-index with data-rendered=true (the canvas holds the new image; the
     * compositor shows it with the next frame, the same for both pages). With {@code measure} the follower also
     * computes the MSE of the shown image against the driver's reference for that slice.
     */
    static final String WATCH_VIEWPORT = "measure => {" + COMMON + """
              const v = document.querySelector('[data-testid=viewport]');
              let last = v.getAttribute('data-image-index');
              L.measure = measure;
              new MutationObserver(() => {
                const i = v.getAttribute('data-image-index');
                if (i === last || v.getAttribute('data-rendered') !== 'true') return;
                const t = performance.timeOrigin + performance.now();
                last = i;
                const e = { i: Number(i), t };
                const ref = L.measure && L.refs.get(e.i);
                if (ref) {
                  const c = v.querySelector('canvas');
                  e.mse = L.mse(c.getContext('2d').getImageData(0, 0, c.width, c.height).data, ref);
                  e.settled = e.mse;
                }
                L.log.push(e);
              }).observe(v, { attributes: true, attributeFilter: ['data-image-index', 'data-rendered'] });
            }""";

    /** Moves the driver's viewer to slice {@code i} (0-based) as the slider would, and returns the input time. */
    static final String STEP = """
            i => { const s = document.querySelector('[data-testid=slice-slider]');
              const t = performance.timeOrigin + performance.now();
              s.value = String(i + 1); s.dispatchEvent(new Event('input', { bubbles: true })); return t; }""";

    /** The driver's canvas as grey levels (its R channel), base64; also counts pixels with R, G, B not all equal. */
    static final String GREY = """
            () => { const c = document.querySelector('[data-testid=viewport] canvas');
              const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
              let s = '', notGrey = 0; const chunk = [];
              for (let p = 0; p < d.length; p += 4) { if (d[p] !== d[p + 1] || d[p] !== d[p + 2]) notGrey++; chunk.push(d[p]);
                if (chunk.length === 8192) { s += String.fromCharCode(...chunk); chunk.length = 0; } }
              s += String.fromCharCode(...chunk);
              return { width: c.width, height: c.height, notGrey, grey: btoa(s) }; }""";

    static final String ADD_REF = "([i, b64]) => window.__lag.addRef(i, b64)";

    /** Empties the log; returns what it held (a list of {i, t, mse?, settled?}). */
    static final String TAKE_LOG =
            "() => { const l = window.__lag.log; window.__lag.log = []; return l.map(e => ({ i: e.i, t: e.t,"
                    + " mse: e.mse ?? -1, settled: e.settled ?? -1 })); }";

    /** Milliseconds between this page's performance clock and the wall clock (max over samples: Date.now() truncates). */
    static final String CLOCK = """
            () => { let best = -Infinity; for (let k = 0; k < 2000; k++) {
              const o = Date.now() - (performance.timeOrigin + performance.now()); if (o > best) best = o; } return best; }""";

    // --- pixel-streaming baseline ---

    /**
     * Driver: what the viewer shows, captured as a video track and sent on a new RTCPeerConnection the way screen
     * sharing sends a captured screen (content hint "detail": keep resolution, drop frame rate). The capture is a
     * copy of the viewport canvas made as soon as the viewer rendered (like a screen grabber taking the new
     * screen) and repeated every 33 ms as a 30 fps grabber does, with a 16-pixel band below it carrying the slice index as 8 black or white 64-pixel blocks, so the
     * follower knows exactly which slice a decoded frame shows however coarse the compression. Returns the offer
     * once ICE gathering finished (no trickle: signaling goes through Java).
     */
    static final String VIDEO_OFFER = """
            async () => {
              const v = document.querySelector('[data-testid=viewport]');
              const src = v.querySelector('canvas');
              const cap = document.createElement('canvas'); cap.width = 512; cap.height = 512 + 16;
              cap.style.cssText = 'position:fixed;left:-2000px;top:0';
              document.body.append(cap);
              const cx = cap.getContext('2d');
              const paint = () => { cx.drawImage(src, 0, 0); const i = Number(v.getAttribute('data-image-index'));
                for (let b = 0; b < 8; b++) { cx.fillStyle = (i >> b) & 1 ? '#fff' : '#000'; cx.fillRect(b * 64, 512, 64, 16); } };
              paint();
              new MutationObserver(() => { if (v.getAttribute('data-rendered') === 'true') paint(); })
                .observe(v, { attributes: true, attributeFilter: ['data-image-index', 'data-rendered'] });
              // A screen grabber captures at its frame rate whether or not the screen changed: the same pixels again
              // every 33 ms keep frames flowing, so a slice's frame never waits for the next change to be sent and
              // shown (the 1 Hz canvas alone gave frames shown one interval late, docs/benchmarks.md).
              setInterval(() => cx.drawImage(cap, 0, 0), 33);
              const stream = cap.captureStream();
              const track = stream.getVideoTracks()[0];
              track.contentHint = 'detail';
              const pc = new RTCPeerConnection();
              const tx = pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
              const p = tx.sender.getParameters(); p.degradationPreference = 'maintain-resolution';
              await tx.sender.setParameters(p).catch(() => undefined);
              window.__lagVideo = pc;
              await pc.setLocalDescription(await pc.createOffer());
              await new Promise(r => { if (pc.iceGatheringState === 'complete') r();
                pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && r()); });
              return pc.localDescription.sdp; }""";

    static final String VIDEO_ACCEPT_ANSWER =
            "async sdp => { await window.__lagVideo.setRemoteDescription({ type: 'answer', sdp }); }";

    static final String VIDEO_STATS = """
            async () => { const pc = window.__lagVideo; const out = {}; (await pc.getStats()).forEach(s => {
              if (s.type === 'outbound-rtp' && s.kind === 'video') { out.codecId = s.codecId; out.framesEncoded = s.framesEncoded;
                out.bytesSent = s.bytesSent; out.frameWidth = s.frameWidth; out.frameHeight = s.frameHeight;
                out.retransmittedPacketsSent = s.retransmittedPacketsSent; out.nackCount = s.nackCount; out.pliCount = s.pliCount;
                out.encoderImplementation = s.encoderImplementation; out.qualityLimitationReason = s.qualityLimitationReason;
                out.targetBitrate = s.targetBitrate; out.framesSent = s.framesSent; out.totalPacketSendDelay = s.totalPacketSendDelay;
                out.packetsSent = s.packetsSent; }
              if (s.type === 'candidate-pair' && s.nominated) { out.availableOutgoingBitrate = s.availableOutgoingBitrate; out.rttMs = 1000 * s.currentRoundTripTime; } });
              (await pc.getStats()).forEach(s => { if (s.id === out.codecId) out.codec = s.mimeType; });
              return JSON.stringify(out); }""";

    /**
     * Follower: receives the video into a <video>; on every presented frame (requestVideoFrameCallback) draws it
     * 512x528, reads the slice index from the band, and logs the first frame of each new slice at its
     * presentation time with the MSE of its 512x512 image against the driver's reference for that slice, and
     * the MSE of the last frame shown of that slice ("settled").
     */
    static final String VIDEO_ANSWER = "async sdp => {" + COMMON + """
              L.armed = false; L.showing = -1; L.frames = 0;
              const video = document.createElement('video');
              video.muted = true; video.autoplay = true; video.playsInline = true;
              document.body.append(video);
              const canvas = document.createElement('canvas'); canvas.width = 512; canvas.height = 528;
              const ctx = canvas.getContext('2d', { willReadFrequently: true });
              const pc = new RTCPeerConnection();
              pc.ontrack = e => { video.srcObject = new MediaStream([e.track]); video.play().catch(() => undefined); };
              window.__lagVideo = pc;
              const sliceIn = band => { let i = 0;
                for (let b = 0; b < 8; b++) { let s = 0; // mean grey of the block's middle, away from its edges
                  for (let y = 4; y < 12; y++) for (let x = b * 64 + 16; x < b * 64 + 48; x++) { const p = (y * 512 + x) * 4; s += band[p]; }
                  if (s / 256 > 127) i |= 1 << b; }
                return i; };
              const onFrame = (now, meta) => {
                video.requestVideoFrameCallback(onFrame);
                L.frames++;
                const t = performance.timeOrigin + meta.presentationTime;
                ctx.drawImage(video, 0, 0, 512, 528);
                const i = sliceIn(ctx.getImageData(0, 512, 512, 16).data);
                const isNew = i !== L.showing;
                L.showing = i;
                const ref = L.refs.get(i);
                if (!L.armed || !ref) return;
                const m = L.mse(ctx.getImageData(0, 0, 512, 512).data, ref);
                if (isNew) L.log.push({ i, t, mse: m, settled: m });
                else if (L.log.length && L.log[L.log.length - 1].i === i) L.log[L.log.length - 1].settled = m;
              };
              video.requestVideoFrameCallback(onFrame);
              await pc.setRemoteDescription({ type: 'offer', sdp });
              await pc.setLocalDescription(await pc.createAnswer());
              await new Promise(r => { if (pc.iceGatheringState === 'complete') r();
                pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && r()); });
              return pc.localDescription.sdp; }""";

    /** Follower: stops logging (the driver jumps back to the first slice), or starts logging every new slice. */
    static final String VIDEO_ARM = "armed => { const L = window.__lag; L.log = []; L.armed = armed; }";

    /** Receiver-side video statistics (frames decoded, dropped, jitter buffer) as JSON. */
    static final String VIDEO_RECEIVER_STATS = """
            async () => { const out = {}; (await window.__lagVideo.getStats()).forEach(s => {
              if (s.type === 'inbound-rtp' && s.kind === 'video') { out.framesReceived = s.framesReceived; out.framesDecoded = s.framesDecoded;
                out.framesDropped = s.framesDropped; out.packetsLost = s.packetsLost; out.nackCount = s.nackCount; out.pliCount = s.pliCount;
                out.jitterBufferMs = s.jitterBufferEmittedCount ? Math.round(1000 * s.jitterBufferDelay / s.jitterBufferEmittedCount) : null;
                out.freezeCount = s.freezeCount; out.totalFreezesDuration = s.totalFreezesDuration; } });
              return JSON.stringify(out); }""";

    static final String VIDEO_FRAMES = "() => window.__lag.frames";

    static final String CONNECTED = "() => window.__lagVideo && window.__lagVideo.connectionState === 'connected'";
}
