package org.medsync.st2110.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.medsync.rtp.RtpDecodeResult;
import org.medsync.rtp.RtpPacket;

/**
 * The depacketizer takes any sequence of datagrams without throwing, and every payload header
 * that decodes re-encodes to the same bytes.
 */
class Rfc4175FuzzTest {

    @FuzzTest(maxDuration = "10s")
    void depacketizer_survivesAnyDatagrams_andHeadersReencode(FuzzedDataProvider data) {
        Rfc4175Depacketizer depay = new Rfc4175Depacketizer(
                Rfc4175GoldenTest.TINY,
                Rfc4175Depacketizer.Options.standard(),
                frame -> assertEquals(
                        Rfc4175GoldenTest.TINY.frameBytes(), frame.data().remaining()));
        while (data.remainingBytes() > 0) {
            byte[] payload = data.consumeBytes(data.consumeInt(0, 80));
            boolean marker = data.consumeBoolean();
            int seq = data.consumeInt(0, 0xFFFF);
            long ts = data.consumeInt(0, 3);
            Rfc4175Payload.Decoded d = Rfc4175Payload.decode(ByteBuffer.wrap(payload), 3);
            if (d instanceof Rfc4175Payload.Segments s) {
                ByteBuffer again = ByteBuffer.allocate(2 + 6 * s.segments().size());
                Rfc4175Payload.writeHeader(again, s.extendedSequenceHigh(), s.segments());
                assertArrayEquals(Arrays.copyOf(payload, s.dataOffset()), again.array());
            }
            depay.push(RtpPacket.of(marker, 96, seq, ts, 1, ByteBuffer.wrap(payload)));
        }
        depay.flush();
    }

    @FuzzTest(maxDuration = "10s")
    void rawDatagrams_throughRtpAndDepacketizer(byte[] datagram) {
        Rfc4175Depacketizer depay = new Rfc4175Depacketizer(
                Rfc4175GoldenTest.TINY, Rfc4175Depacketizer.Options.standard().withMaxSegments(64), frame -> {});
        if (RtpPacket.decode(datagram) instanceof RtpDecodeResult.Decoded(RtpPacket p)) {
            depay.push(p);
            depay.flush();
        }
    }
}
