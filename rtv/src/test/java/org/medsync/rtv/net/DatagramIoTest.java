package org.medsync.rtv.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.management.JMException;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/**
 * Batched datagram I/O on loopback: every combination of the native (sendmmsg with GSO, recvmmsg) and the pure-Java
 * paths delivers the same datagrams bit-exact and in order; the native path is chosen where it can be and falls back
 * where it cannot; its batches are reused without allocation.
 */
class DatagramIoTest {

    /** Runs of equal sizes (what GSO coalesces) and odd sizes between them, as an RFC 4175 frame's end has. */
    private static List<byte[]> datagrams(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<byte[]> out = new ArrayList<>();
        while (out.size() < n) {
            int size = r.nextInt(4) == 0 ? r.nextInt(12, 1460) : 1400;
            int run = r.nextInt(1, 40);
            for (int k = 0; k < run && out.size() < n; k++) {
                byte[] d = new byte[size];
                r.nextBytes(d);
                d[0] = (byte) (out.size() >>> 8);
                d[1] = (byte) out.size();
                out.add(d);
            }
        }
        return out;
    }

    private record Pair(DatagramChannel tx, DatagramChannel rx) implements AutoCloseable {
        static Pair open() throws IOException {
            DatagramChannel rx = DatagramChannel.open(StandardProtocolFamily.INET);
            rx.bind(new InetSocketAddress("127.0.0.1", 0));
            SocketBuffers.requestReceiveBuffer(rx, 8 << 20);
            DatagramChannel tx = DatagramChannel.open(StandardProtocolFamily.INET);
            tx.connect(rx.getLocalAddress());
            return new Pair(tx, rx);
        }

        @Override
        public void close() throws IOException {
            tx.close();
            rx.close();
        }
    }

    private static List<byte[]> roundTrip(
            DatagramBatchSender out, DatagramBatchReceiver in, List<byte[]> sent, int batchSize) throws IOException {
        PacketBatch tx = new PacketBatch(batchSize, 1500);
        PacketBatch rx = new PacketBatch(64, 2048);
        List<byte[]> got = new ArrayList<>();
        int i = 0;
        while (i < sent.size()) {
            tx.clear();
            while (i < sent.size() && !tx.full()) {
                tx.next().put(sent.get(i++));
            }
            assertEquals(0, out.send(tx));
            // drain as we go: the receive buffer is the only queue
            int n;
            while ((n = in.receive(rx, 0)) > 0) {
                take(rx, n, got);
            }
        }
        int n;
        while (got.size() < sent.size() && (n = in.receive(rx, 500)) > 0) {
            take(rx, n, got);
        }
        return got;
    }

    private static void take(PacketBatch rx, int n, List<byte[]> got) {
        for (int k = 0; k < n; k++) {
            ByteBuffer b = rx.slot(k);
            byte[] d = new byte[b.remaining()];
            b.get(d);
            got.add(d);
        }
    }

    private static void assertSame(List<byte[]> sent, List<byte[]> got) {
        assertEquals(sent.size(), got.size(), "datagrams received");
        for (int k = 0; k < sent.size(); k++) {
            assertArrayEquals(sent.get(k), got.get(k), "datagram " + k);
        }
    }

    @Test
    void nativeBothWaysIsBitExactAndUsesTheBatchCalls() throws IOException {
        assumeTrue(DatagramIo.nativeAvailable(), "FFM natives not linked on this host");
        try (Pair p = Pair.open()) {
            DatagramBatchSender out = DatagramIo.sender(p.tx(), DatagramIo.Mode.NATIVE, 64, 8 << 20);
            DatagramBatchReceiver in = DatagramIo.receiver(p.rx(), DatagramIo.Mode.NATIVE, 64);
            assertEquals("sendmmsg+gso", out.method());
            assertEquals("recvmmsg", in.method());
            List<byte[]> sent = datagrams(3000, 1);
            assertSame(sent, roundTrip(out, in, sent, 64));
        }
    }

    @Test
    void withoutGsoTheSameDatagramsArrive() throws IOException {
        assumeTrue(DatagramIo.nativeAvailable(), "FFM natives not linked on this host");
        String before = System.getProperty(DatagramIo.GSO_PROPERTY);
        System.setProperty(DatagramIo.GSO_PROPERTY, "false");
        try (Pair p = Pair.open()) {
            DatagramBatchSender out = DatagramIo.sender(p.tx(), DatagramIo.Mode.AUTO, 16, 8 << 20);
            assertEquals("sendmmsg", out.method());
            List<byte[]> sent = datagrams(1000, 2);
            assertSame(sent, roundTrip(out, DatagramIo.receiver(p.rx(), DatagramIo.Mode.AUTO, 64), sent, 16));
        } finally {
            if (before == null) {
                System.clearProperty(DatagramIo.GSO_PROPERTY);
            } else {
                System.setProperty(DatagramIo.GSO_PROPERTY, before);
            }
        }
    }

    @Test
    void javaFallbackAndMixedPathsAreBitExact() throws IOException {
        for (DatagramIo.Mode txMode : DatagramIo.Mode.values()) {
            for (DatagramIo.Mode rxMode : List.of(DatagramIo.Mode.JAVA, DatagramIo.Mode.AUTO)) {
                if (txMode != DatagramIo.Mode.JAVA && rxMode != DatagramIo.Mode.JAVA) {
                    continue; // native both ways: above
                }
                try (Pair p = Pair.open()) {
                    DatagramBatchSender out = DatagramIo.sender(p.tx(), txMode, 4, 8 << 20);
                    DatagramBatchReceiver in = DatagramIo.receiver(p.rx(), rxMode, 64);
                    if (txMode == DatagramIo.Mode.JAVA) {
                        assertEquals("write", out.method());
                    }
                    if (rxMode == DatagramIo.Mode.JAVA) {
                        assertEquals("receive", in.method());
                    }
                    List<byte[]> sent = datagrams(600, txMode.ordinal() * 7L + rxMode.ordinal());
                    assertSame(sent, roundTrip(out, in, sent, 4));
                }
            }
        }
    }

    /** Two sockets on one port (SO_REUSEADDR, as multicast receivers share one): which descriptor is ours is unknown. */
    @Test
    void aSharedPortFallsBackToTheJdkCalls() throws IOException {
        try (DatagramChannel a = DatagramChannel.open(StandardProtocolFamily.INET);
                DatagramChannel b = DatagramChannel.open(StandardProtocolFamily.INET)) {
            a.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            b.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            a.bind(new InetSocketAddress("127.0.0.1", 0));
            b.bind(a.getLocalAddress());
            assertEquals(
                    "receive",
                    DatagramIo.receiver(a, DatagramIo.Mode.NATIVE, 64).method());
        }
    }

    @Test
    void receiveReturnsEmptyAfterItsTimeout() throws IOException {
        for (DatagramIo.Mode mode : List.of(DatagramIo.Mode.AUTO, DatagramIo.Mode.JAVA)) {
            try (Pair p = Pair.open()) {
                DatagramBatchReceiver in = DatagramIo.receiver(p.rx(), mode, 64);
                long t0 = System.nanoTime();
                assertEquals(0, in.receive(new PacketBatch(8, 1500), 150));
                assertTrue(System.nanoTime() - t0 >= 100_000_000L, mode + " waited its timeout");
            }
        }
    }

    @Test
    void aDatagramLongerThanItsSlotIsCountedAsTruncated() throws IOException {
        for (DatagramIo.Mode mode : List.of(DatagramIo.Mode.AUTO, DatagramIo.Mode.JAVA)) {
            try (Pair p = Pair.open()) {
                DatagramBatchReceiver in = DatagramIo.receiver(p.rx(), mode, 64);
                p.tx().write(ByteBuffer.allocate(3000));
                p.tx().write(ByteBuffer.allocate(100));
                PacketBatch rx = new PacketBatch(8, 1024);
                int n = in.receive(rx, 1000);
                while (n < 2) {
                    n += in.receive(rx, 1000); // loopback delivers both at once; a second call only if not
                }
                assertEquals(1, in.truncated(), mode.toString());
            }
        }
    }

    /** HotSpot's per-thread allocation counter (com.sun.management, read through the platform MBean server). */
    static long allocatedByThisThread() {
        try {
            return (Long) ManagementFactory.getPlatformMBeanServer()
                    .getAttribute(new ObjectName("java.lang:type=Threading"), "CurrentThreadAllocatedBytes");
        } catch (JMException e) {
            throw new IllegalStateException("no per-thread allocation counter in this JVM", e);
        }
    }

    /**
     * The steady state allocates nothing per datagram: 20,000 datagrams through one reused batch each way, measured
     * with the JDK's per-thread allocation counter after a warm-up of 60,000.
     */
    @Test
    void nativeBatchesAreReusedWithoutAllocating() throws IOException {
        assumeTrue(DatagramIo.nativeAvailable(), "FFM natives not linked on this host");
        try (Pair p = Pair.open()) {
            DatagramBatchSender out = DatagramIo.sender(p.tx(), DatagramIo.Mode.NATIVE, 16, 8 << 20);
            DatagramBatchReceiver in = DatagramIo.receiver(p.rx(), DatagramIo.Mode.NATIVE, 64);
            PacketBatch tx = new PacketBatch(16, 1500);
            PacketBatch rx = new PacketBatch(64, 2048);
            long checksum = 0;
            long before = 0;
            int packets = 0;
            for (int round = 0; round < 5000; round++) {
                if (round == 3750) {
                    before = allocatedByThisThread();
                    packets = 0;
                }
                tx.clear();
                while (!tx.full()) {
                    ByteBuffer b = tx.next();
                    b.putInt(round).position(1200);
                }
                out.send(tx);
                int n;
                while ((n = in.receive(rx, 0)) > 0) {
                    for (int k = 0; k < n; k++) {
                        checksum += rx.slot(k).getInt(0);
                    }
                    packets += n;
                }
            }
            long allocated = allocatedByThisThread() - before;
            assertTrue(checksum > 0 && packets > 15_000, "datagrams went round: " + packets);
            // an object per datagram would be at least 16 bytes each; what remains (about 5 B a datagram here) is per
            // call and from the counter's own MBean read
            assertTrue(
                    allocated < 8L * packets,
                    allocated + " bytes allocated for " + packets + " datagrams: an object each");
        }
    }
}
