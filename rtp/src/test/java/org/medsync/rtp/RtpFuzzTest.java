package org.medsync.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Jazzer targets. Under plain surefire they run in regression mode (the inputs in
 * src/test/resources/.../RtpFuzzTestInputs); with JAZZER_FUZZ=1 they fuzz for maxDuration.
 */
class RtpFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void datagram_decodesOrIsMalformed_andReencodesIdentically(byte[] data) {
        RtpDecodeResult r = RtpPacket.decode(data); // must not throw
        if (r instanceof RtpDecodeResult.Decoded(RtpPacket p)) {
            byte[] again = p.toBytes();
            assertEquals(data.length, again.length);
            if (p.paddingLength() > 1) {
                // padding filler is not kept (RFC 3550: its content is ignored); compare the rest
                int fillStart = data.length - p.paddingLength();
                Arrays.fill(data, fillStart, data.length - 1, (byte) 0);
            }
            assertArrayEquals(data, again);
            assertEquals(p, RtpPacket.parse(ByteBuffer.wrap(again)));
            p.extension().ifPresent(e -> e.elements());
        }
    }

    @FuzzTest(maxDuration = "10s")
    void stream_framesOrNeedsMore(byte[] data) {
        ByteBuffer in = ByteBuffer.wrap(data);
        Rfc4571Framer framer = new Rfc4571Framer(1500);
        while (in.hasRemaining()) {
            int before = in.position();
            RtpDecodeResult r = framer.next(in);
            if (r instanceof RtpDecodeResult.NeedMoreBytes) {
                assertEquals(before, in.position());
                return;
            }
            if (r instanceof RtpDecodeResult.Malformed m && m.reason() == RtpDecodeResult.Reason.BAD_FRAME_LENGTH) {
                return;
            }
        }
    }
}
