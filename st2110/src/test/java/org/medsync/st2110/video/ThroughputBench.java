package org.medsync.st2110.video;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.medsync.rtp.RtpPacket;

/**
 * A quick throughput measurement of the payloader and depacketizer (in memory, no sockets), run
 * only on request: {@code ./mvnw -q -pl st2110 -am test -Dtest=ThroughputBench -Dmedsync.bench=true
 * -Dsurefire.failIfNoSpecifiedTests=false}. Not a JMH benchmark; good to an order of magnitude.
 */
@Tag("bench")
class ThroughputBench {

    @Test
    void payloaderAndDepacketizer_1080p50_10bit() {
        Assumptions.assumeTrue(Boolean.getBoolean("medsync.bench"), "set -Dmedsync.bench=true");
        VideoFormat f = VideoFormat.hd1080p50x10();
        Rfc4175Payloader pay = new Rfc4175Payloader(f, Rfc4175Payloader.Options.standard(1), 0);
        ByteBuffer frame = ByteBuffer.allocateDirect(f.frameBytes());
        frame.put(TestFrames.random(f, 1)).flip();
        ByteBuffer out = ByteBuffer.allocateDirect(1500);
        // warm up, then measure
        for (int round = 0; round < 2; round++) {
            int frames = round == 0 ? 100 : 500;
            long t0 = System.nanoTime();
            long packets = 0;
            for (int i = 0; i < frames; i++) {
                Rfc4175Payloader.FrameCursor c = pay.frame(frame.duplicate(), i * 1800L);
                while (c.hasNext()) {
                    out.clear();
                    c.writeNext(out);
                    packets++;
                }
            }
            long ns = System.nanoTime() - t0;
            if (round == 1) {
                System.out.printf(
                        "payloader 1080p50 10-bit: %d packets in %.1f ms = %.0f packets/s = %.1f frames/s"
                                + " (%.2f Gbit/s of UDP payload)%n",
                        packets, ns / 1e6, packets * 1e9 / ns, frames * 1e9 / ns, packets * 1460 * 8.0 / ns);
            }
        }
        // depacketizer: parse datagrams and assemble
        List<byte[]> packets = TestFrames.packetize(pay, TestFrames.random(f, 2), 0);
        ByteBuffer reuse = ByteBuffer.allocate(f.frameBytes());
        int[] frames = new int[1];
        Rfc4175Depacketizer depay =
                new Rfc4175Depacketizer(f, new Rfc4175Depacketizer.Options(96, 3, n -> reuse), fr -> frames[0]++);
        for (int round = 0; round < 2; round++) {
            int n = round == 0 ? 100 : 300;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                for (byte[] d : packets) {
                    depay.push(RtpPacket.parse(ByteBuffer.wrap(d)));
                }
            }
            long ns = System.nanoTime() - t0;
            if (round == 1) {
                long count = (long) n * packets.size();
                System.out.printf(
                        "RTP parse + depacketizer 1080p50 10-bit: %.0f packets/s = %.1f frames/s%n",
                        count * 1e9 / ns, n * 1e9 / ns);
            }
        }
    }
}
