package org.medsync.ptp.uds;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.medsync.ptp.clock.ManagementTransport;

/**
 * An AF_UNIX datagram socket bound to a private path in the temp directory and talking to ptp4l's
 * {@code uds_address}, like pmc's. ptp4l answers to the sender's address, so we must bind one.
 * Calls libc through the FFM API; needs {@code --enable-native-access=ALL-UNNAMED}. Not thread-safe.
 */
public final class UnixDatagramTransport implements ManagementTransport {

    /** Found by {@link ManagementTransport#unixSocket}. */
    public static final class Provider implements ManagementTransport.Provider {
        public Provider() {}

        @Override
        public ManagementTransport open(Path ptp4lSocket) throws IOException {
            return UnixDatagramTransport.open(ptp4lSocket);
        }
    }

    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;
    private static final int SUN_PATH = 108;
    private static final int MAX_DATAGRAM = 1500;

    private static final StructLayout SOCKADDR_UN = MemoryLayout.structLayout(
            ValueLayout.JAVA_SHORT.withName("sun_family"),
            MemoryLayout.sequenceLayout(SUN_PATH, ValueLayout.JAVA_BYTE).withName("sun_path"));
    private static final StructLayout TIMEVAL = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("tv_sec"), ValueLayout.JAVA_LONG.withName("tv_usec"));
    private static final StructLayout ERRNO = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_VALUE = ERRNO.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final Native NATIVE = Native.load();

    private final Arena arena = Arena.ofShared();
    private final int fd;
    private final Path local;
    private final Path remote;
    private final MemorySegment remoteAddress;
    private final MemorySegment buffer;
    private final MemorySegment errno;
    private long timeoutSet = -1;
    private boolean closed;

    private UnixDatagramTransport(int fd, Path local, Path remote) {
        this.fd = fd;
        this.local = local;
        this.remote = remote;
        this.remoteAddress = address(arena, remote);
        this.buffer = arena.allocate(MAX_DATAGRAM);
        this.errno = arena.allocate(ERRNO);
    }

    /** @throws IOException naming the path and the errno, or why native access is unavailable */
    public static UnixDatagramTransport open(Path ptp4lSocket) throws IOException {
        if (NATIVE.problem != null) {
            throw new IOException("cannot reach ptp4l at " + ptp4lSocket + ": " + NATIVE.problem);
        }
        if (ptp4lSocket.toString().getBytes(StandardCharsets.UTF_8).length >= SUN_PATH) {
            throw new IOException("ptp4l socket path longer than 107 bytes: " + ptp4lSocket);
        }
        Path local = Path.of(System.getProperty("java.io.tmpdir"), "medsync-pmc-" + UUID.randomUUID() + ".sock");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = a.allocate(ERRNO);
            int fd = (int) NATIVE.socket.invokeExact(err, AF_UNIX, SOCK_DGRAM, 0);
            if (fd < 0) {
                throw new IOException("socket(AF_UNIX, SOCK_DGRAM) failed: errno " + errno(err));
            }
            MemorySegment addr = address(a, local);
            int r = (int) NATIVE.bind.invokeExact(err, fd, addr, (int) addr.byteSize());
            if (r < 0) {
                int e = errno(err);
                int ignored = (int) NATIVE.close.invokeExact(fd);
                throw new IOException("bind(" + local + ") failed: errno " + e + " (ignored close: " + ignored + ")");
            }
            return new UnixDatagramTransport(fd, local, ptp4lSocket);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("native call failed: " + t, t);
        }
    }

    @Override
    public void send(byte[] request) throws IOException {
        if (request.length > MAX_DATAGRAM) {
            throw new IOException("datagram of " + request.length + " bytes exceeds " + MAX_DATAGRAM);
        }
        MemorySegment.copy(request, 0, buffer, ValueLayout.JAVA_BYTE, 0, request.length);
        long n;
        try {
            n = (long) NATIVE.sendto.invokeExact(
                    errno, fd, buffer, (long) request.length, 0, remoteAddress, (int) remoteAddress.byteSize());
        } catch (Throwable t) {
            throw new IOException("sendto failed: " + t, t);
        }
        if (n < 0) {
            // ENOENT / ECONNREFUSED: ptp4l is not running or listens elsewhere
            throw new IOException("sendto(" + remote + ") failed: errno " + errno(errno)
                    + (Files.exists(remote) ? "" : " (no such socket: is ptp4l running with this uds_address?)"));
        }
    }

    @Override
    public Optional<byte[]> receive(Duration timeout) throws IOException {
        long micros = Math.max(1, timeout.toNanos() / 1000);
        try {
            if (micros != timeoutSet) {
                MemorySegment tv = arena.allocate(TIMEVAL);
                tv.set(ValueLayout.JAVA_LONG, 0, micros / 1_000_000);
                tv.set(ValueLayout.JAVA_LONG, 8, micros % 1_000_000);
                int r = (int)
                        NATIVE.setsockopt.invokeExact(errno, fd, SOL_SOCKET, SO_RCVTIMEO, tv, (int) TIMEVAL.byteSize());
                if (r < 0) {
                    throw new IOException("setsockopt(SO_RCVTIMEO) failed: errno " + errno(errno));
                }
                timeoutSet = micros;
            }
            while (true) {
                long n = (long) NATIVE.recvfrom.invokeExact(
                        errno, fd, buffer, (long) MAX_DATAGRAM, 0, MemorySegment.NULL, MemorySegment.NULL);
                if (n >= 0) {
                    return Optional.of(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
                }
                int e = errno(errno);
                if (e == EAGAIN) {
                    return Optional.empty();
                }
                if (e != EINTR) {
                    throw new IOException("recvfrom failed: errno " + e);
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("native call failed: " + t, t);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            int ignored = (int) NATIVE.close.invokeExact(fd);
        } catch (Throwable t) {
            // the descriptor is gone either way; nothing sensible to do about a failing close
        }
        try {
            Files.deleteIfExists(local);
        } catch (IOException e) {
            // a stale socket file in the temp directory harms nobody; the next name is a new UUID
        }
        arena.close();
    }

    private static MemorySegment address(Arena a, Path p) {
        MemorySegment s = a.allocate(SOCKADDR_UN);
        s.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
        byte[] path = p.toString().getBytes(StandardCharsets.UTF_8);
        MemorySegment.copy(path, 0, s, ValueLayout.JAVA_BYTE, 2, path.length);
        return s;
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO_VALUE.get(state, 0L);
    }

    /** The libc functions, or why they cannot be had (no native access, not Linux). */
    private record Native(
            MethodHandle socket,
            MethodHandle bind,
            MethodHandle sendto,
            MethodHandle recvfrom,
            MethodHandle setsockopt,
            MethodHandle close,
            String problem) {

        // restricted: binding libc needs native access, granted by --enable-native-access; refused -> problem
        @SuppressWarnings("restricted")
        static Native load() {
            try {
                if (!System.getProperty("os.name", "").startsWith("Linux")) {
                    return failed("AF_UNIX management sockets are implemented for Linux only");
                }
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                Linker.Option errno = Linker.Option.captureCallState("errno");
                ValueLayout i = ValueLayout.JAVA_INT;
                ValueLayout l = ValueLayout.JAVA_LONG;
                ValueLayout p = ValueLayout.ADDRESS;
                return new Native(
                        linker.downcallHandle(libc.findOrThrow("socket"), FunctionDescriptor.of(i, i, i, i), errno),
                        linker.downcallHandle(libc.findOrThrow("bind"), FunctionDescriptor.of(i, i, p, i), errno),
                        linker.downcallHandle(
                                libc.findOrThrow("sendto"), FunctionDescriptor.of(l, i, p, l, i, p, i), errno),
                        linker.downcallHandle(
                                libc.findOrThrow("recvfrom"), FunctionDescriptor.of(l, i, p, l, i, p, p), errno),
                        linker.downcallHandle(
                                libc.findOrThrow("setsockopt"), FunctionDescriptor.of(i, i, i, i, p, i), errno),
                        linker.downcallHandle(libc.findOrThrow("close"), FunctionDescriptor.of(i, i)),
                        null);
            } catch (IllegalCallerException e) {
                return failed("native access is not enabled: run java with --enable-native-access=ALL-UNNAMED");
            } catch (RuntimeException e) {
                return failed("libc socket calls unavailable: " + e.getMessage());
            }
        }

        private static Native failed(String why) {
            return new Native(null, null, null, null, null, null, why);
        }
    }
}
