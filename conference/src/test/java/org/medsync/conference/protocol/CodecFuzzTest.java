package org.medsync.conference.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer targets: nothing but {@link DecodeException} escapes the decoders, and whatever decodes encodes to
 * bytes that decode to the same message. Under plain surefire they run the regression inputs; with
 * JAZZER_FUZZ=1 they fuzz for maxDuration.
 */
class CodecFuzzTest {
    private static final Codec CODEC = new Codec(Limits.DEFAULT);

    @FuzzTest(maxDuration = "10s")
    void clientMessage_decodesOrIsRefused(byte[] data) {
        try {
            ClientMessage m = CODEC.decodeClient(data);
            assertEquals(m, CODEC.decodeClient(CODEC.encode(m)));
        } catch (DecodeException expected) {
            // refused with a reason: fine
        }
    }

    @FuzzTest(maxDuration = "10s")
    void viewMessage_decodesOrIsRefused(byte[] data) {
        try {
            ViewUpdate v = CODEC.decodeView(data);
            assertEquals(v, CODEC.decodeView(CODEC.encodeView(v)));
        } catch (DecodeException expected) {
            // refused with a reason: fine
        }
    }

    @FuzzTest(maxDuration = "10s")
    void peerMessage_decodesOrIsRefused(byte[] data) {
        try {
            switch (CODEC.decodePeer(data)) {
                case ViewUpdate v -> assertEquals(v, CODEC.decodeView(CODEC.encodeView(v)));
                case PointerUpdate p ->
                    assertEquals(
                            new PointerUpdate(p.seq(), p.visible(), (float) p.x(), (float) p.y()),
                            CODEC.decodePointer(CODEC.encodePointer(p)));
            }
        } catch (DecodeException expected) {
            // refused with a reason: fine
        }
    }

    @FuzzTest(maxDuration = "10s")
    void relayBatch_decodesOrIsRefused(byte[] data) {
        try {
            CODEC.decodeBatch(data);
        } catch (DecodeException expected) {
            // refused with a reason: fine
        }
    }
}
