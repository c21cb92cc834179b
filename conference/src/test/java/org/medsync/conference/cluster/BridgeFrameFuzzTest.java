package org.medsync.conference.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer target: nothing but {@link BridgeFrame.MalformedException} escapes the decoder, and whatever decodes
 * encodes back to the same bytes (the format has one encoding per frame).
 */
class BridgeFrameFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void frame_decodesOrIsRefused_andReencodesIdentically(byte[] data) {
        try {
            assertArrayEquals(data, BridgeFrame.encode(BridgeFrame.decode(data)));
        } catch (BridgeFrame.MalformedException expected) {
            // refused with a reason: fine
        }
    }
}
