package org.medsync.rtv.net;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * SO_RCVBUFFORCE through the FFM API (Linux). The JDK gives no way to a channel's descriptor, so the
 * descriptor is found by what it is bound to: getsockname over /proc/self/fd, UDP sockets only. Sockets
 * sharing a multicast port (SO_REUSEADDR) cannot be told apart; a larger buffer harms none of them.
 * Loaded by name from {@link SocketBuffers} (see there why).
 */
final class NativeBufferForcer implements SocketBuffers.BufferForcer {

    private static final int SOL_SOCKET = 1;
    private static final int SO_TYPE = 3;
    private static final int SOCK_DGRAM = 2;
    private static final int SO_RCVBUFFORCE = 33;
    private static final short AF_INET = 2;

    private final MethodHandle setsockopt;
    private final MethodHandle getsockopt;
    private final MethodHandle getsockname;

    /** @throws IllegalStateException where the calls cannot be linked (not Linux, no /proc) */
    @SuppressWarnings("restricted") // linking libc's socket calls is the reason this class exists
    NativeBufferForcer() {
        if (!System.getProperty("os.name", "").equals("Linux") || !Files.isDirectory(Path.of("/proc/self/fd"))) {
            throw new IllegalStateException("SO_RCVBUFFORCE needs Linux and /proc");
        }
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        FunctionDescriptor set = FunctionDescriptor.of(
                ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS,
                ValueLayout.JAVA_INT);
        FunctionDescriptor get = FunctionDescriptor.of(
                ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS,
                ValueLayout.ADDRESS);
        FunctionDescriptor name = FunctionDescriptor.of(
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS);
        setsockopt = linker.downcallHandle(symbol(libc, "setsockopt"), set);
        getsockopt = linker.downcallHandle(symbol(libc, "getsockopt"), get);
        getsockname = linker.downcallHandle(symbol(libc, "getsockname"), name);
    }

    private static MemorySegment symbol(SymbolLookup libc, String name) {
        return libc.find(name).orElseThrow(() -> new IllegalStateException("libc has no " + name));
    }

    @Override
    public int force(InetSocketAddress local, int bytes) throws IOException {
        int done = 0;
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
                val.set(ValueLayout.JAVA_INT, 0, bytes);
                if ((int) setsockopt.invokeExact(fd, SOL_SOCKET, SO_RCVBUFFORCE, val, 4) == 0) {
                    done++;
                }
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException("SO_RCVBUFFORCE: " + e, e);
        }
        return done;
    }
}
