package org.medsync.rtv.receiver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.medsync.st2110.timing.SystemMediaClock;

/**
 * {@code a=source-filter: incl} (RFC 4570) makes the receiver join its multicast group for the listed source only
 * (IGMPv3 source-specific join): datagrams another host sends to the same group and port never reach the flow.
 * Two sources on one machine: 127.0.0.1 and 127.0.0.2 (both loopback), sending to a group on lo. Each sends
 * undecodable datagrams, which the receiver counts as malformed: the count says whose arrived.
 */
@Timeout(30)
class SourceFilterJoinTest {

    @Test
    void inclFilter_receivesTheListedSourceOnly() throws Exception {
        assertEquals(4, received("a=source-filter: incl IN IP4 %s 127.0.0.2\r\n"), "only 127.0.0.2's datagrams");
    }

    @Test
    void withoutFilter_bothSourcesArrive_soTheFilterAbove_isWhatKeptOneOut() throws Exception {
        assertEquals(8, received(""), "both sources' datagrams");
    }

    private static long received(String filterLine) throws Exception {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String group = "239.255." + r.nextInt(1, 255) + "." + r.nextInt(1, 255);
        int port;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            port = s.getLocalPort();
        }
        String sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.2\r\ns=Probe\r\nt=0 0\r\nm=video " + port + " RTP/AVP 96\r\n"
                + "c=IN IP4 " + group + "/1\r\n" + filterLine.formatted(group) + "a=rtpmap:96 raw/90000\r\n"
                + "a=fmtp:96 sampling=YCbCr-4:2:2; depth=10; width=1280; height=720; exactframerate=50;"
                + " colorimetry=BT709; PM=2110GPM; SSN=ST2110-20:2017; TP=2110TPN\r\na=mediaclk:direct=0\r\n";
        try (Receiver rx = new Receiver("rx", new SystemMediaClock(), "lo")) {
            rx.configure(new ReceiverConfig(
                    List.of(FlowDescription.parse(sdp)), ReceiverConfig.SIDE_BY_SIDE, 9, List.of(), 40));
            for (String source : new String[] {"127.0.0.1", "127.0.0.2"}) {
                try (DatagramChannel tx = DatagramChannel.open(StandardProtocolFamily.INET)) {
                    tx.setOption(StandardSocketOptions.IP_MULTICAST_IF, NetworkInterface.getByName("lo"));
                    tx.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
                    tx.bind(new InetSocketAddress(source, 0));
                    for (int i = 0; i < 4; i++) {
                        tx.send(
                                ByteBuffer.wrap(("not RTP from " + source).getBytes()),
                                new InetSocketAddress(InetAddress.getByName(group), port));
                    }
                }
            }
            long end = System.nanoTime() + 3_000_000_000L;
            long before = -1;
            long now = 0;
            // settle: the count stops changing for half a second
            while (System.nanoTime() < end) {
                now = rx.status().flows().getFirst().malformedPackets();
                if (now == before && now > 0) {
                    break;
                }
                before = now;
                Thread.sleep(500);
            }
            return now;
        }
    }
}
