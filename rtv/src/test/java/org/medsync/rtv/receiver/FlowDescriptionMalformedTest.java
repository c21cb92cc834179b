package org.medsync.rtv.receiver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.medsync.sdp.SdpException;

/**
 * A sender's SDP that a receiver cannot use is refused with the reason (the control API's 400 bad-sdp), never
 * another failure: one line of a valid ST 2110-20 SDP changed per row.
 */
class FlowDescriptionMalformedTest {
    private static final String VIDEO = String.join(
            "\r\n",
            "v=0",
            "o=- 1 1 IN IP4 192.168.1.10",
            "s=Endoscope 1",
            "t=0 0",
            "m=video 5004 RTP/AVP 96",
            "c=IN IP4 239.100.9.10/32",
            "a=rtpmap:96 raw/90000",
            "a=fmtp:96 sampling=YCbCr-4:2:2; depth=10; width=1920; height=1080; exactframerate=50; colorimetry=BT709; PM=2110GPM; SSN=ST2110-20:2017; TP=2110TPNL",
            "a=mediaclk:direct=0",
            "");
    private static final String METADATA = String.join(
            "\r\n",
            "m=application 5006 RTP/AVP 104",
            "c=IN IP4 239.100.9.11/32",
            "a=rtpmap:104 dicom/90000",
            "a=extmap:1 urn:x-nmos:rtp-hdrext:sync-timestamp",
            "");

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "no video section          | m=video 5004 RTP/AVP 96                  | m=audio 5004 RTP/AVP 96",
                "not raw video             | a=rtpmap:96 raw/90000                    | a=rtpmap:96 H264/90000",
                "no connection line        | c=IN IP4 239.100.9.10/32                 | ''",
                "no width                  | width=1920;                              | ''",
                "port out of range         | m=video 5004 RTP/AVP 96                  | m=video 70000 RTP/AVP 96",
                "payload type not a number | m=video 5004 RTP/AVP 96                  | m=video 5004 RTP/AVP x",
                "sampling unknown          | sampling=YCbCr-4:2:2                     | sampling=YCbCr-9:9:9",
                "not an SDP                | v=0                                      | GET / HTTP/1.1",
                "extmap id past 14         | a=extmap:1 urn:x-nmos:rtp-hdrext:sync    | a=extmap:15 urn:x-nmos:rtp-hdrext:sync",
            })
    void unusableSdp_isRefusedWithAReason(String what, String line, String replacement) {
        String sdp = (VIDEO + METADATA).replace(line, replacement);
        assertTrue(!sdp.equals(VIDEO + METADATA), what + ": the row changes nothing");
        RuntimeException e = assertThrows(RuntimeException.class, () -> FlowDescription.parse(sdp), what);
        assertTrue(e instanceof SdpException || e instanceof IllegalArgumentException, what + ": " + e);
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), what);
    }

    @org.junit.jupiter.api.Test
    void theUnchangedSdp_isAFlowWithItsMetadata() {
        FlowDescription f = FlowDescription.parse(VIDEO + METADATA);
        assertEquals(5004, f.videoPort());
        assertEquals(104, f.metadata().orElseThrow().payloadType());
    }
}
