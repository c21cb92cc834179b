package org.medsync.rtv.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.Optional;

/**
 * Socket receive buffers beyond net.core.rmem_max. The JDK's SO_RCVBUF is capped by the kernel at
 * rmem_max (4 MB on a stock Debian), which holds under two 720p 10-bit frames: a bursty sender
 * overruns it while the receiving thread is descheduled on a busy 2-core host. Linux lets a process
 * with CAP_NET_ADMIN exceed the cap with SO_RCVBUFFORCE (what GStreamer's udpsrc does); the JDK has no
 * such option, so {@link NativeBufferForcer} sets it through the FFM API. That class is looked up by name
 * because the fuzzing build compiles this module for release 21, where FFM is a preview API, and leaves it
 * out (rtv/pom.xml): there, and wherever the natives do not load, the pure-Java SO_RCVBUF is what we get.
 */
public final class SocketBuffers {

    private static final System.Logger LOG = System.getLogger(SocketBuffers.class.getName());
    private static final Optional<BufferForcer> FORCER = load();

    private SocketBuffers() {}

    /** Sets SO_RCVBUFFORCE on the process's UDP sockets bound to an address; how many took it. */
    interface BufferForcer {
        int force(InetSocketAddress local, int bytes) throws IOException;
    }

    /**
     * Asks for {@code bytes} of receive buffer: SO_RCVBUF first, then SO_RCVBUFFORCE where the process may
     * (root / CAP_NET_ADMIN) and the natives load. Never fails because of the buffer: a receiver with a smaller
     * buffer still receives, and the returned value (what the kernel reports, i.e. twice the usable payload
     * size) is shown in status.
     */
    public static int requestReceiveBuffer(DatagramChannel ch, int bytes) throws IOException {
        ch.setOption(StandardSocketOptions.SO_RCVBUF, bytes);
        int got = ch.getOption(StandardSocketOptions.SO_RCVBUF);
        if (got >= bytes || FORCER.isEmpty() || !(ch.getLocalAddress() instanceof InetSocketAddress local)) {
            return got;
        }
        if (FORCER.get().force(local, bytes) == 0) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "SO_RCVBUFFORCE not permitted (needs CAP_NET_ADMIN): receive buffer {0} bytes; raise"
                            + " net.core.rmem_max for bursty senders",
                    got);
        }
        return ch.getOption(StandardSocketOptions.SO_RCVBUF);
    }

    /** Whether SO_RCVBUFFORCE can be tried here (Linux, FFM linker, the class compiled in). */
    public static boolean nativeAvailable() {
        return FORCER.isPresent();
    }

    private static Optional<BufferForcer> load() {
        try {
            // the constructor throws where the natives do not link (InvocationTargetException)
            return Optional.of(
                    (BufferForcer) Class.forName(SocketBuffers.class.getPackageName() + ".NativeBufferForcer")
                            .getDeclaredConstructor()
                            .newInstance());
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.log(System.Logger.Level.INFO, "native socket options unavailable: " + e);
            return Optional.empty();
        }
    }
}
