package org.medsync.rtv.net;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * libc's socket calls through the FFM API (Linux, x86-64 and aarch64 share the struct layouts used here), linked once.
 * The JDK gives no way to a channel's descriptor, so {@link #descriptorsBoundTo} finds it by what it is bound to:
 * getsockname over /proc/self/fd, UDP sockets only.
 */
final class NativeSockets {

    static final int SOL_SOCKET = 1;
    static final int SO_TYPE = 3;
    static final int SO_SNDBUFFORCE = 32;
    static final int SO_RCVBUFFORCE = 33;
    static final int SOL_UDP = 17;
    static final int UDP_SEGMENT = 103;
    static final int MSG_DONTWAIT = 0x40;
    static final int MSG_TRUNC = 0x20;
    static final short POLLIN = 1;
    static final short POLLOUT = 4;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int ECONNREFUSED = 111;
    private static final int SOCK_DGRAM = 2;
    private static final short AF_INET = 2;

    final MethodHandle setsockopt;
    final MethodHandle getsockopt;
    final MethodHandle getsockname;
    /** (capture, fd, mmsghdr*, vlen, flags) -> int, errno captured. */
    final MethodHandle sendmmsg;
    /** (capture, fd, mmsghdr*, vlen, flags, timespec*) -> int, errno captured. */
    final MethodHandle recvmmsg;
    /** (pollfd*, nfds, timeout ms) -> int. */
    final MethodHandle poll;

    private final MemoryLayout captureLayout = Linker.Option.captureStateLayout();
    private final VarHandle errno = captureLayout.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    /** @throws IllegalStateException where the calls cannot be linked (not Linux, no /proc) */
    @SuppressWarnings("restricted") // linking libc's socket calls is the reason this class exists
    NativeSockets() {
        if (!System.getProperty("os.name", "").equals("Linux") || !Files.isDirectory(Path.of("/proc/self/fd"))) {
            throw new IllegalStateException("native socket calls need Linux and /proc");
        }
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        ValueLayout i = ValueLayout.JAVA_INT;
        ValueLayout p = ValueLayout.ADDRESS;
        Linker.Option errnoState = Linker.Option.captureCallState("errno");
        setsockopt = linker.downcallHandle(symbol(libc, "setsockopt"), FunctionDescriptor.of(i, i, i, i, p, i));
        getsockopt = linker.downcallHandle(symbol(libc, "getsockopt"), FunctionDescriptor.of(i, i, i, i, p, p));
        getsockname = linker.downcallHandle(symbol(libc, "getsockname"), FunctionDescriptor.of(i, i, p, p));
        sendmmsg = linker.downcallHandle(symbol(libc, "sendmmsg"), FunctionDescriptor.of(i, i, p, i, i), errnoState);
        recvmmsg = linker.downcallHandle(symbol(libc, "recvmmsg"), FunctionDescriptor.of(i, i, p, i, i, p), errnoState);
        poll = linker.downcallHandle(symbol(libc, "poll"), FunctionDescriptor.of(i, p, ValueLayout.JAVA_LONG, i));
    }

    private static MemorySegment symbol(SymbolLookup libc, String name) {
        return libc.find(name).orElseThrow(() -> new IllegalStateException("libc has no " + name));
    }

    /** A segment for the errno the sendmmsg / recvmmsg handles capture. */
    MemorySegment captureState(Arena arena) {
        return arena.allocate(captureLayout);
    }

    int errno(MemorySegment capture) {
        return (int) errno.get(capture, 0L);
    }

    /**
     * The process's UDP sockets bound to {@code local}. Sockets sharing a port (SO_REUSEADDR) cannot be told apart:
     * callers that need exactly one socket check the count.
     */
    List<Integer> descriptorsBoundTo(InetSocketAddress local) throws IOException {
        List<Integer> found = new ArrayList<>();
        byte[] wantAddress = local.getAddress().getAddress();
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
                } catch (NumberFormatException | IOException gone) {
                    continue; // closed meanwhile, or the directory stream's own descriptor
                }
                len.set(ValueLayout.JAVA_INT, 0, (int) addr.byteSize());
                if ((int) getsockname.invokeExact(fd, addr, len) != 0
                        || addr.get(ValueLayout.JAVA_SHORT, 0) != AF_INET) {
                    continue;
                }
                int port = Short.toUnsignedInt(addr.get(ValueLayout.JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2));
                byte[] a = addr.asSlice(4, 4).toArray(ValueLayout.JAVA_BYTE);
                if (port != local.getPort() || !Arrays.equals(a, wantAddress)) {
                    continue;
                }
                len.set(ValueLayout.JAVA_INT, 0, 4);
                if ((int) getsockopt.invokeExact(fd, SOL_SOCKET, SO_TYPE, val, len) != 0
                        || val.get(ValueLayout.JAVA_INT, 0) != SOCK_DGRAM) {
                    continue;
                }
                found.add(fd);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException("looking up the socket bound to " + local + ": " + e, e);
        }
        return found;
    }

    /** setsockopt with an int value; whether the kernel took it. */
    boolean setInt(int fd, int level, int option, int value) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment val = arena.allocate(ValueLayout.JAVA_INT);
            val.set(ValueLayout.JAVA_INT, 0, value);
            return (int) setsockopt.invokeExact(fd, level, option, val, 4) == 0;
        } catch (Throwable e) {
            throw new IOException("setsockopt(" + level + ", " + option + "): " + e, e);
        }
    }
}
