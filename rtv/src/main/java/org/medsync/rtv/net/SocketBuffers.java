package org.medsync.rtv.net;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Socket receive buffers beyond net.core.rmem_max. The JDK's SO_RCVBUF is capped by the kernel at
 * rmem_max (4 MB on a stock Debian), which holds under two 720p 10-bit frames: a bursty sender
 * overruns it while the receiving thread is descheduled on a busy 2-core host. Linux lets a process
 * with CAP_NET_ADMIN exceed the cap with SO_RCVBUFFORCE (what GStreamer's udpsrc does); the JDK has no
 * such option and no way to reach a channel's descriptor, so the descriptor is found by what it is
 * bound to (getsockname over /proc/self/fd) and the option set through the FFM API.
 */
public final class SocketBuffers {

    private static final System.Logger LOG = System.getLogger(SocketBuffers.class.getName());
    private static final int SOL_SOCKET = 1;
    private static final int SO_TYPE = 3;
    private static final int SOCK_DGRAM = 2;
    private static final int SO_RCVBUFFORCE = 33;
    private static final int AF_INET = 2;

    private static final Optional<Natives> NATIVES = Natives.load();

    private SocketBuffers() {}

    /**
     * Asks for {@code bytes} of receive buffer: SO_RCVBUF first, then SO_RCVBUFFORCE where the process may
     * (root / CAP_NET_ADMIN) and the natives load. Never fails because of the buffer: a receiver with a smaller
     * buffer still receives, and the returned value (what the kernel reports, i.e. twice the usable payload
     * size) is shown in status.
     */
    public static int requestReceiveBuffer(DatagramChannel ch, int bytes) throws IOException {
        ch.setOption(StandardSocketOptions.SO_RCVBUF, bytes);
        int got = ch.getOption(StandardSocketOptions.SO_RCVBUF);
        if (got >= bytes || NATIVES.isEmpty() || !(ch.getLocalAddress() instanceof InetSocketAddress local)) {
            return got;
        }
        try {
            int forced = NATIVES.get().force(local, bytes);
            if (forced == 0) {
                LOG.log(
                        System.Logger.Level.INFO,
                        "SO_RCVBUFFORCE not permitted (needs CAP_NET_ADMIN): receive buffer {0} bytes; raise"
                                + " net.core.rmem_max for bursty senders",
                        got);
            }
        } catch (Throwable e) {
            LOG.log(System.Logger.Level.WARNING, "SO_RCVBUFFORCE failed: " + e);
        }
        return ch.getOption(StandardSocketOptions.SO_RCVBUF);
    }

    /** Whether the native calls are available here (Linux, FFM linker). */
    public static boolean nativeAvailable() {
        return NATIVES.isPresent();
    }

    private record Natives(MethodHandle setsockopt, MethodHandle getsockopt, MethodHandle getsockname) {

        @SuppressWarnings("restricted") // the FFM linker: the reason this class exists
        static Optional<Natives> load() {
            if (!System.getProperty("os.name", "").equals("Linux") || !Files.isDirectory(Path.of("/proc/self/fd"))) {
                return Optional.empty();
            }
            try {
                Linker linker = Linker.nativeLinker();
                var lookup = linker.defaultLookup();
                FunctionDescriptor sockopt = FunctionDescriptor.of(
                        ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS,
                        ValueLayout.JAVA_INT);
                FunctionDescriptor getopt = FunctionDescriptor.of(
                        ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS,
                        ValueLayout.ADDRESS);
                FunctionDescriptor name = FunctionDescriptor.of(
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS);
                return Optional.of(new Natives(
                        linker.downcallHandle(lookup.find("setsockopt").orElseThrow(), sockopt),
                        linker.downcallHandle(lookup.find("getsockopt").orElseThrow(), getopt),
                        linker.downcallHandle(lookup.find("getsockname").orElseThrow(), name)));
            } catch (RuntimeException | LinkageError e) {
                LOG.log(System.Logger.Level.INFO, "native socket options unavailable: " + e);
                return Optional.empty();
            }
        }

        /**
         * Sets SO_RCVBUFFORCE on every UDP socket of this process bound to {@code local} (sockets sharing a
         * multicast port with SO_REUSEADDR cannot be told apart; a larger buffer harms none of them).
         *
         * @return how many sockets took it
         */
        int force(InetSocketAddress local, int bytes) throws Throwable {
            int done = 0;
            byte[] wantAddr = local.getAddress().getAddress();
            try (Arena arena = Arena.ofConfined();
                    DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
                MemorySegment addr = arena.allocate(128);
                MemorySegment len = arena.allocate(ValueLayout.JAVA_INT);
                MemorySegment val = arena.allocate(ValueLayout.JAVA_INT);
                for (Path p : fds) {
                    int fd;
                    try {
                        fd = Integer.parseInt(p.getFileName().toString());
                        if (!Files.readSymbolicLink(p).toString().startsWith("socket:")) {
                            continue;
                        }
                    } catch (NumberFormatException | IOException | UnsupportedOperationException gone) {
                        continue; // closed meanwhile, or the directory stream's own descriptor
                    }
                    len.set(ValueLayout.JAVA_INT, 0, (int) addr.byteSize());
                    if ((int) getsockname.invokeExact(fd, addr, len) != 0
                            || addr.get(ValueLayout.JAVA_SHORT, 0) != AF_INET) {
                        continue;
                    }
                    int port = Short.toUnsignedInt(addr.get(ValueLayout.JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2));
                    byte[] a = addr.asSlice(4, 4).toArray(ValueLayout.JAVA_BYTE);
                    if (port != local.getPort() || !Arrays.equals(a, wantAddr)) {
                        continue;
                    }
                    len.set(ValueLayout.JAVA_INT, 0, 4);
                    if ((int) getsockopt.invokeExact(fd, SOL_SOCKET, SO_TYPE, val, len) != 0
                            || val.get(ValueLayout.JAVA_INT, 0) != SOCK_DGRAM) {
                        continue;
                    }
                    val.set(ValueLayout.JAVA_INT, 0, bytes);
                    if ((int) setsockopt.invokeExact(fd, SOL_SOCKET, SO_RCVBUFFORCE, val, 4) == 0) {
                        done++;
                    }
                }
            }
            return done;
        }
    }
}
