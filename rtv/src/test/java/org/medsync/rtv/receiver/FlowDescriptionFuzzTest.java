package org.medsync.rtv.receiver;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.medsync.sdp.SdpException;

/**
 * Jazzer target for a sender's SDP as a receiver reads it (inline in its control body, or fetched from an
 * sdpUrl on the OR network). Only SdpException and IllegalArgumentException escape, the 400s of the control API;
 * what parses names a port and payload types a receiver can bind and match.
 */
class FlowDescriptionFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void sdp_isAFlowOrRefused(byte[] data) {
        FlowDescription f;
        try {
            f = FlowDescription.parse(new String(data, StandardCharsets.UTF_8));
        } catch (SdpException | IllegalArgumentException expected) {
            return;
        }
        assertTrue(f.videoPort() >= 0 && f.videoPort() <= 65535, "port " + f.videoPort());
        assertTrue(f.videoPayloadType() >= 0 && f.videoPayloadType() <= 127, "payload type " + f.videoPayloadType());
        f.metadata()
                .ifPresent(m -> assertTrue(
                        m.payloadType() >= 0 && m.payloadType() <= 127 && m.port() >= 0 && m.port() <= 65535,
                        m.toString()));
        // what the receiver hands to DatagramChannel.join must be an IPv4 literal: never a name to resolve
        f.videoSources().forEach(a -> assertTrue(a.matches("\\d{1,3}(\\.\\d{1,3}){3}"), "source " + a));
        f.metadata().ifPresent(m -> m.sources().forEach(a -> assertTrue(a.matches("\\d{1,3}(\\.\\d{1,3}){3}"), a)));
        f.clocking().directOffset().ifPresent(o -> assertTrue(o >= 0 && o <= 0xFFFF_FFFFL, "mediaclk offset " + o));
    }
}
