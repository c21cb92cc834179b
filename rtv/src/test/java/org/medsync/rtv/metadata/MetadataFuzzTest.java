package org.medsync.rtv.metadata;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import org.medsync.rtp.RtpDecodeResult;
import org.medsync.rtp.RtpPacket;

/**
 * Any bytes: decoding never throws anything but returns Malformed; whatever decodes re-encodes to
 * bytes that decode to the same value and re-encode to themselves. Any packet sequence: the
 * depacketizer never throws. Regression mode (plain surefire) runs the seeds; JAZZER_FUZZ=1 fuzzes.
 */
class MetadataFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void anyPayload_decodesOrIsMalformed_andReencodesStably(byte[] data) {
        byte[] input = data.length > 0 && data[0] == 'G' ? withGoldenPrefix(data) : data;
        if (RtvMetadata.decode(input) instanceof MetadataDecodeResult.Decoded(RtvMetadata m)) {
            byte[] once;
            try {
                once = m.toBytes();
            } catch (IllegalArgumentException tooLongForShortForm) {
                return;
            }
            RtvMetadata again = RtvMetadata.decode(once).orThrow();
            assertEquals(m, again);
            assertArrayEquals(once, again.toBytes());
        }
    }

    @FuzzTest(maxDuration = "10s")
    void anyPackets_depacketizerSurvives(FuzzedDataProvider data) {
        MetadataDepacketizer depay = new MetadataDepacketizer(MetadataDepacketizer.Options.standard(), g -> {});
        while (data.remainingBytes() > 0) {
            byte[] datagram = data.consumeBytes(data.consumeInt(0, 200));
            if (RtpPacket.decode(datagram) instanceof RtpDecodeResult.Decoded(RtpPacket p)) {
                depay.push(p);
            }
        }
        depay.flush();
    }

    /** Seeds starting with 'G' mutate the golden grain from byte 132 on, so the fuzzer gets past the preamble. */
    private static byte[] withGoldenPrefix(byte[] data) {
        byte[] g = RtvMetadataGoldenTest.golden();
        ByteBuffer b = ByteBuffer.allocate(132 + data.length - 1);
        b.put(g, 0, 132).put(data, 1, data.length - 1);
        return b.array();
    }
}
