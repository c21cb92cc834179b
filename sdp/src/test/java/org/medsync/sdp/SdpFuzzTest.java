package org.medsync.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Whatever parses generates text that parses to the same description, and that text is a fixed
 * point of parse-then-generate; RFC 7104 duplication groups that parse are consistent. Only {@link SdpException} may escape the parser.
 */
class SdpFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void parse_onlySdpExceptionEscapes_andWhatParsesRoundTrips(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        SessionDescription sdp;
        try {
            sdp = SessionDescription.parse(text);
        } catch (SdpException expected) {
            return;
        }
        String generated = sdp.generate();
        SessionDescription again = SessionDescription.parse(generated);
        assertEquals(sdp, again);
        assertEquals(generated, again.generate());
        // a duplication group that parsed names sections that exist, each in one group, carrying one stream
        for (MediaDescription m : sdp.media()) {
            for (MediaDescription d : sdp.duplicates(m)) {
                assertEquals(m.formats(), d.formats());
                assertEquals(m.media(), d.media());
                assertEquals(
                        List.of(m), sdp.duplicates(d).stream().filter(m::equals).toList());
            }
        }
    }
}
