package org.medsync.rtv.net;

import java.io.IOException;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Locale;
import java.util.Optional;

/**
 * Chooses how a flow's datagrams cross the socket: {@link Mode#NATIVE} (sendmmsg / recvmmsg, UDP GSO, through FFM on
 * the channel's descriptor: {@link NativeDatagramIo}) or {@link Mode#JAVA} (one JDK call per datagram). {@link Mode#AUTO}
 * (the default) takes the native calls wherever they link and the channel's descriptor is found, else the JDK's. The
 * mode comes from the system property {@value #MODE_PROPERTY} ({@code auto}, {@code native}, {@code java}); UDP GSO
 * from {@value #GSO_PROPERTY} (default true). The native class is looked up by name for the reason
 * {@link SocketBuffers} gives.
 */
public final class DatagramIo {

    public static final String MODE_PROPERTY = "medsync.rtv.datagram-io";
    public static final String GSO_PROPERTY = "medsync.rtv.gso";

    private static final System.Logger LOG = System.getLogger(DatagramIo.class.getName());
    private static final Optional<Natives> NATIVES = load();

    /** How datagrams cross the socket. */
    public enum Mode {
        /** Native where available, else the JDK's calls. */
        AUTO,
        /** Native, else the JDK's calls with a warning (a host without them still runs). */
        NATIVE,
        /** The JDK's calls: one system call per datagram. */
        JAVA;

        /** The mode the system property asks for; AUTO when unset. */
        public static Mode configured() {
            String v = System.getProperty(MODE_PROPERTY, "auto").trim().toUpperCase(Locale.ROOT);
            try {
                return Mode.valueOf(v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        MODE_PROPERTY + " must be auto, native or java, was '" + System.getProperty(MODE_PROPERTY)
                                + "'",
                        e);
            }
        }
    }

    /** The FFM side, implemented by {@link NativeDatagramIo}. */
    interface Natives {
        Optional<DatagramBatchSender> sender(DatagramChannel ch, int maxBatch, boolean gso, int sendBufferBytes)
                throws IOException;

        Optional<DatagramBatchReceiver> receiver(DatagramChannel ch, int maxBatch) throws IOException;
    }

    private DatagramIo() {}

    /** Whether the native calls linked on this host (Linux, the FFM linker, the class compiled in). */
    public static boolean nativeAvailable() {
        return NATIVES.isPresent();
    }

    /**
     * A batch sender on a connected channel (blocking mode).
     *
     * @param sendBufferBytes asked for with SO_SNDBUFFORCE on the native path (where permitted)
     */
    public static DatagramBatchSender sender(DatagramChannel ch, Mode mode, int maxBatch, int sendBufferBytes)
            throws IOException {
        if (mode != Mode.JAVA && NATIVES.isPresent()) {
            boolean gso = Boolean.parseBoolean(System.getProperty(GSO_PROPERTY, "true"));
            Optional<DatagramBatchSender> s = NATIVES.get().sender(ch, maxBatch, gso, sendBufferBytes);
            if (s.isPresent()) {
                return s.get();
            }
        }
        fellBack(mode, "sending");
        return new ChannelSender(ch);
    }

    /**
     * A batch receiver on a bound channel. The pure-Java one switches the channel to non-blocking mode (it waits in a
     * selector, so that {@link DatagramBatchReceiver#receive}'s timeout holds).
     */
    public static DatagramBatchReceiver receiver(DatagramChannel ch, Mode mode, int maxBatch) throws IOException {
        if (mode != Mode.JAVA && NATIVES.isPresent()) {
            Optional<DatagramBatchReceiver> r = NATIVES.get().receiver(ch, maxBatch);
            if (r.isPresent()) {
                return r.get();
            }
        }
        fellBack(mode, "receiving");
        return new ChannelReceiver(ch);
    }

    private static void fellBack(Mode mode, String what) {
        if (mode == Mode.NATIVE) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "native datagram I/O asked for but unavailable ({0}): one JDK call per datagram for {1}",
                    NATIVES.isPresent() ? "the socket's descriptor is shared or not found" : "natives not linked",
                    what);
        }
    }

    private static Optional<Natives> load() {
        try {
            return Optional.of((Natives) Class.forName(DatagramIo.class.getPackageName() + ".NativeDatagramIo")
                    .getDeclaredConstructor()
                    .newInstance());
        } catch (ReflectiveOperationException | LinkageError | IllegalStateException e) {
            LOG.log(System.Logger.Level.INFO, "native datagram I/O unavailable: " + e);
            return Optional.empty();
        }
    }

    /** The fallback: one write per datagram. */
    private static final class ChannelSender implements DatagramBatchSender {
        private final DatagramChannel ch;

        ChannelSender(DatagramChannel ch) {
            this.ch = ch;
        }

        @Override
        public int send(PacketBatch batch) throws IOException {
            int refused = 0;
            for (int i = 0; i < batch.count(); i++) {
                ByteBuffer b = batch.slot(i);
                b.flip();
                try {
                    ch.write(b);
                } catch (PortUnreachableException e) {
                    refused++;
                }
            }
            return refused;
        }

        @Override
        public String method() {
            return "write";
        }
    }

    /** The fallback: a selector for the timeout, then non-blocking receives until the socket is empty. */
    private static final class ChannelReceiver implements DatagramBatchReceiver {
        private final DatagramChannel ch;
        private final Selector selector;
        private long truncated;

        ChannelReceiver(DatagramChannel ch) throws IOException {
            this.ch = ch;
            ch.configureBlocking(false);
            this.selector = Selector.open();
            ch.register(selector, SelectionKey.OP_READ);
        }

        @Override
        public int receive(PacketBatch batch, int timeoutMillis) throws IOException {
            batch.clear();
            int got = take(batch);
            if (got == 0 && ch.isOpen() && timeoutMillis > 0) {
                selector.select(timeoutMillis);
                selector.selectedKeys().clear();
                got = take(batch);
            }
            if (!ch.isOpen()) {
                selector.close();
            }
            return got;
        }

        private int take(PacketBatch batch) throws IOException {
            int i = 0;
            while (i < batch.capacity()) {
                ByteBuffer b = batch.slot(i).clear();
                try {
                    if (ch.receive(b) == null) {
                        break;
                    }
                } catch (PortUnreachableException e) {
                    continue;
                }
                // the JDK cuts a longer datagram silently: one that fills its slot may have been cut
                if (b.position() == b.capacity()) {
                    truncated++;
                }
                batch.received(i, b.position());
                i++;
            }
            return i;
        }

        @Override
        public long truncated() {
            return truncated;
        }

        @Override
        public String method() {
            return "receive";
        }
    }
}
