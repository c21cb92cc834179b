package org.medsync.relay;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PortAllocatorConfig;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.medsync.conference.protocol.Codec;
import org.medsync.conference.protocol.Limits;
import org.medsync.conference.signaling.DataRelay;

/**
 * The server's data relay on webrtc-java (docs/readout-protocol.md, "Relay"): for each readout above the mesh
 * size, one RTCPeerConnection per participant, the floor holder's VIEW/POINTER validated, coalesced and sent
 * to everyone else once per tick.
 *
 * <p>Every webrtc-java call runs on one platform thread that owns the native objects, so nothing is used after
 * it is disposed and a slow native call never holds a readout's lock. The factory starts on that thread when
 * the relay is created: when the natives do not load, {@link #open} refuses and readouts stay on the mesh; an
 * exception from native code while serving a readout sends that readout back to the mesh. Both are logged at
 * ERROR. (A crash inside the native library itself would still end the process: only a relay in a process of
 * its own would contain that.)
 */
public final class WebRtcRelay implements DataRelay, AutoCloseable {
    private static final System.Logger log = System.getLogger(WebRtcRelay.class.getName());

    private final RelaySettings settings;
    private final Codec codec;
    private final ScheduledExecutorService nativeThread;
    private final Set<RelayedReadout> readouts = ConcurrentHashMap.newKeySet();
    private final RelayCounters counters = new RelayCounters();
    private final RelayedReadout.Runner runner = new NativeRunner();
    private volatile PeerConnectionFactory factory;
    private volatile Throwable startFailure;
    private volatile boolean closed;
    private RTCConfiguration configuration;

    public WebRtcRelay(RelaySettings settings) {
        this.settings = settings;
        this.codec = new Codec(new Limits(Math.max(64, settings.maxMessageBytes()), 1, 1, 256, 512));
        this.nativeThread = Executors.newSingleThreadScheduledExecutor(r ->
                Thread.ofPlatform().name("readout-relay-native").daemon(true).unstarted(r));
        nativeThread.execute(this::start);
        long tick = settings.tick().toNanos();
        nativeThread.scheduleAtFixedRate(this::tick, tick, tick, TimeUnit.NANOSECONDS);
    }

    private void start() {
        try {
            factory = new PeerConnectionFactory(new HeadlessAudioDeviceModule());
            RTCConfiguration c = new RTCConfiguration();
            c.portAllocatorConfig = new PortAllocatorConfig(
                    settings.minPort(),
                    settings.maxPort(),
                    settings.loopbackOnly() ? PortAllocatorConfig.PORTALLOCATOR_DISABLE_ADAPTER_ENUMERATION : 0);
            configuration = c;
            log.log(
                    Level.INFO,
                    "readout relay ready (webrtc-java, tick {0} ms)",
                    settings.tick().toMillis());
        } catch (Throwable t) { // UnsatisfiedLinkError and friends: the natives did not load
            startFailure = t;
            log.log(
                    Level.ERROR,
                    "readout relay unavailable, large readouts stay on the mesh: webrtc-java did not start: " + t,
                    t);
        }
    }

    /** Whether the natives loaded; false while starting. */
    public boolean ready() {
        return factory != null;
    }

    @Override
    public Session open(String readoutId, Events events) throws RelayException {
        Throwable failure = startFailure;
        if (failure != null) {
            throw new RelayException("webrtc-java did not start: " + failure, failure);
        }
        if (closed) {
            throw new RelayException("the relay is shut down", null);
        }
        RelayedReadout r = new RelayedReadout(readoutId, events, runner, codec, settings.maxMessageBytes(), counters);
        readouts.add(r);
        return r;
    }

    public RelayStats stats() {
        return counters.stats();
    }

    /** Closes every connection and disposes the native objects. */
    @Override
    public void close() {
        closed = true;
        for (RelayedReadout r : readouts) {
            r.close();
        }
        try {
            nativeThread.execute(() -> {
                if (factory != null) {
                    factory.dispose();
                    factory = null;
                }
            });
        } catch (RejectedExecutionException e) {
            return; // closed before
        }
        nativeThread.shutdown();
        try {
            if (!nativeThread.awaitTermination(10, TimeUnit.SECONDS)) {
                log.log(Level.WARNING, "readout relay: native thread did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the readouts get from the relay: its native thread and the native objects made there. */
    private final class NativeRunner implements RelayedReadout.Runner {
        @Override
        public PeerConnectionFactory factory() {
            return factory;
        }

        @Override
        public RTCConfiguration configuration() {
            return configuration;
        }

        @Override
        public void closed(RelayedReadout r) {
            readouts.remove(r);
        }

        @Override
        public void onNative(RelayedReadout r, Runnable task) {
            try {
                nativeThread.execute(() -> {
                    if (factory == null) {
                        r.failed("webrtc-java is not running" + (startFailure == null ? "" : ": " + startFailure));
                        return;
                    }
                    try {
                        task.run();
                    } catch (Throwable t) {
                        log.log(
                                Level.ERROR,
                                "readout " + r.id() + ": relay failed in webrtc-java, back to the mesh",
                                t);
                        r.failed(t.toString());
                    }
                });
            } catch (RejectedExecutionException e) {
                // shut down: the server is stopping
            }
        }
    }

    private void tick() {
        if (factory == null) {
            return;
        }
        for (RelayedReadout r : readouts) {
            try {
                r.tick();
            } catch (Throwable t) {
                log.log(Level.ERROR, "readout " + r.id() + ": relay failed in webrtc-java, back to the mesh", t);
                r.failed(t.toString());
            }
        }
    }
}
