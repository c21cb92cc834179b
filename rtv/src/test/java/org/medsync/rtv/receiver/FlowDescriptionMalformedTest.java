package org.medsync.rtv.receiver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
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
                "source-filter excl        | a=mediaclk:direct=0                      | a=source-filter: excl IN IP4 239.100.9.10 10.0.0.1",
                "source-filter IPv6        | a=mediaclk:direct=0                      | a=source-filter: incl IN IP6 239.100.9.10 ::1",
                "source-filter host name   | a=mediaclk:direct=0                      | a=source-filter: incl IN IP4 239.100.9.10 cam.example",
                "source-filter octet 256   | a=mediaclk:direct=0                      | a=source-filter: incl IN IP4 239.100.9.10 10.0.0.256",
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
        assertEquals(new FlowDescription.Clocking(OptionalLong.of(0), false), f.clocking());
        assertEquals(List.of(), f.videoSources());
    }

    @org.junit.jupiter.api.Test
    void sourceFilterOnUnicast_andTwoMediaClocks_areRefused() {
        String unicast = VIDEO.replace("c=IN IP4 239.100.9.10/32", "c=IN IP4 10.0.0.2")
                .replace("a=mediaclk:direct=0", "a=source-filter: incl IN IP4 10.0.0.2 10.0.0.1");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FlowDescription.parse(unicast))
                .getMessage()
                .contains("not a multicast group"));
        String two = VIDEO.replace("a=mediaclk:direct=0", "a=mediaclk:direct=0\r\na=mediaclk:direct=5");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FlowDescription.parse(two))
                .getMessage()
                .contains("2 a=mediaclk lines"));
    }

    @org.junit.jupiter.api.Test
    void clockAndSourceFilter_areRead_mediaLevelOverSessionLevel() {
        String sdp = VIDEO.replace("t=0 0", "t=0 0\r\na=ts-refclk:ptp=IEEE1588-2008:08-00-11-FF-FE-21-E1-B0:0")
                        .replace("a=mediaclk:direct=0", "a=mediaclk:direct=4294967295")
                        .replace(
                                "a=rtpmap:96",
                                "a=source-filter: incl IN IP4 239.100.9.10 192.168.1.10 192.168.1.11\r\na=rtpmap:96")
                + METADATA.replace(
                        "a=rtpmap:104", "a=source-filter: incl IN IP4 239.100.9.11 192.168.1.12\r\na=rtpmap:104");
        FlowDescription f = FlowDescription.parse(sdp);
        assertEquals(new FlowDescription.Clocking(OptionalLong.of(4294967295L), true), f.clocking());
        assertEquals(List.of("192.168.1.10", "192.168.1.11"), f.videoSources());
        assertEquals(List.of("192.168.1.12"), f.metadata().orElseThrow().sources());
        FlowDescription gst = FlowDescription.parse(VIDEO.replace("a=mediaclk:direct=0\r\n", ""));
        assertEquals(new FlowDescription.Clocking(OptionalLong.empty(), false), gst.clocking());
    }
}
