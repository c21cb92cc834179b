package org.medsync.rtv.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;
import org.medsync.rtv.net.SocketBuffers;

/**
 * One path of a test network: forwards the RTP datagrams arriving on a loopback port to another one, dropping those
 * whose RTP sequence number {@code drop} selects (the path "loses" them).
 */
final class UdpProxy implements AutoCloseable {

    final AtomicLong forwarded = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    private final DatagramChannel in;
    private final DatagramChannel out;
    private final Thread thread;

    UdpProxy(String name, int toPort, IntPredicate drop) throws IOException {
        in = DatagramChannel.open(StandardProtocolFamily.INET);
        in.bind(new InetSocketAddress("127.0.0.1", 0));
        // as large as the receiver's: a proxy that overflows would lose packets the test does not choose
        SocketBuffers.requestReceiveBuffer(in, 32 << 20);
        out = DatagramChannel.open(StandardProtocolFamily.INET);
        out.setOption(StandardSocketOptions.SO_SNDBUF, 8 << 20);
        out.connect(new InetSocketAddress("127.0.0.1", toPort));
        thread = Thread.ofPlatform().daemon().name(name).start(() -> {
            ByteBuffer b = ByteBuffer.allocateDirect(65536);
            try {
                while (true) {
                    b.clear();
                    in.receive(b);
                    b.flip();
                    int seq = b.remaining() >= 4 ? b.getShort(2) & 0xFFFF : -1;
                    if (drop.test(seq)) {
                        dropped.incrementAndGet();
                    } else {
                        try {
                            out.write(b);
                        } catch (PortUnreachableException notYet) {
                            // the receiver is not listening yet
                        }
                        forwarded.incrementAndGet();
                    }
                }
            } catch (ClosedChannelException closed) {
                // closed
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    int port() throws IOException {
        return ((InetSocketAddress) in.getLocalAddress()).getPort();
    }

    @Override
    public void close() throws IOException {
        in.close();
        out.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
