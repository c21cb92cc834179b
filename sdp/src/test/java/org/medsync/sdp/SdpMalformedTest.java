package org.medsync.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.medsync.sdp.SdpException.Reason;

/** Nonsense SDP: the error names the line and the reason; the message says what was expected. */
class SdpMalformedTest {

    private static final String HEAD = "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=x\nt=0 0\n";
    private static final String VIDEO = "m=video 5004 RTP/AVP 96\nc=IN IP4 239.1.1.1/32\na=rtpmap:96 raw/90000\n";
    private static final String FMTP = "a=fmtp:96 sampling=YCbCr-4:2:2; depth=10; width=1280; height=720; "
            + "exactframerate=50; colorimetry=BT709; PM=2110GPM; SSN=ST2110-20:2017; TP=2110TPNL";

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("empty", "", 1, Reason.EMPTY, "v=0"),
                Arguments.of("not SDP", "hello world\n", 1, Reason.BAD_LINE, "<type>=<value>"),
                Arguments.of("version 1", "v=1\n", 1, Reason.BAD_VERSION, "v=0"),
                Arguments.of("o= missing", "v=0\ns=x\n", 2, Reason.MISSING_LINE, "o=<username>"),
                Arguments.of("o= with 5 fields", "v=0\no=- 1 1 IN IP4\n", 2, Reason.BAD_ORIGIN, "6 fields"),
                Arguments.of(
                        "o= session id not digits", "v=0\no=- x 1 IN IP4 10.0.0.1\n", 2, Reason.BAD_ORIGIN, "digits"),
                Arguments.of("text ends after s=", "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=x\n", 4, Reason.MISSING_LINE, "t="),
                Arguments.of(
                        "s= empty", "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=\nt=0 0\n", 3, Reason.BAD_SESSION_NAME, "s= "),
                Arguments.of(
                        "c= before i= (order)",
                        "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=x\nc=IN IP4 10.0.0.2\ni=y\nt=0 0\n",
                        5,
                        Reason.UNEXPECTED_LINE,
                        "order"),
                Arguments.of("unknown line type", HEAD + "x=1\n", 5, Reason.UNEXPECTED_LINE, "one of"),
                Arguments.of(
                        "two s= lines",
                        "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=x\ns=y\nt=0 0\n",
                        4,
                        Reason.UNEXPECTED_LINE,
                        "not allowed"),
                Arguments.of(
                        "no t= before m=",
                        "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=x\nm=video 1 RTP/AVP 96\n",
                        4,
                        Reason.MISSING_LINE,
                        "t="),
                Arguments.of(
                        "r= without t=",
                        "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=x\nr=1d 1h 0\n",
                        4,
                        Reason.UNEXPECTED_LINE,
                        "r="),
                Arguments.of(
                        "t= one field", "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=x\nt=0\n", 4, Reason.BAD_TIMING, "t=<start"),
                Arguments.of(
                        "multicast without TTL",
                        HEAD + "m=video 5004 RTP/AVP 96\nc=IN IP4 239.1.1.1\n",
                        6,
                        Reason.BAD_CONNECTION,
                        "needs /<ttl>"),
                Arguments.of(
                        "unicast with TTL",
                        HEAD + "m=video 5004 RTP/AVP 96\nc=IN IP4 10.1.1.1/32\n",
                        6,
                        Reason.BAD_CONNECTION,
                        "takes no"),
                Arguments.of(
                        "TTL 300",
                        HEAD + "m=video 5004 RTP/AVP 96\nc=IN IP4 239.1.1.1/300\n",
                        6,
                        Reason.BAD_CONNECTION,
                        "0..255"),
                Arguments.of(
                        "no c= anywhere",
                        HEAD + "m=video 5004 RTP/AVP 96\na=rtpmap:96 raw/90000\n",
                        5,
                        Reason.MISSING_LINE,
                        "c="),
                Arguments.of("m= port too big", HEAD + "m=video 70000 RTP/AVP 96\n", 5, Reason.BAD_MEDIA, "port"),
                Arguments.of("m= without format", HEAD + "m=video 5004 RTP/AVP\n", 5, Reason.BAD_MEDIA, "<fmt>"),
                Arguments.of(
                        "RTP format not a payload type",
                        HEAD + "m=video 5004 RTP/AVP raw\nc=IN IP4 10.0.0.1\n",
                        5,
                        Reason.BAD_MEDIA,
                        "0..127"),
                Arguments.of(
                        "b= not a number",
                        HEAD + "m=video 5004 RTP/AVP 96\nb=AS:lots\n",
                        6,
                        Reason.BAD_BANDWIDTH,
                        "b="),
                Arguments.of(
                        "rtpmap without clock",
                        HEAD + "m=video 5004 RTP/AVP 96\na=rtpmap:96 raw\n",
                        6,
                        Reason.BAD_RTPMAP,
                        "<clock rate>"),
                Arguments.of(
                        "rtpmap payload type 200",
                        HEAD + "m=video 5004 RTP/AVP 96\na=rtpmap:200 raw/90000\n",
                        6,
                        Reason.BAD_RTPMAP,
                        "payload type"),
                Arguments.of(
                        "rtpmap for an unlisted type",
                        HEAD + VIDEO + "a=rtpmap:97 raw/90000\n",
                        8,
                        Reason.BAD_RTPMAP,
                        "listed on the m= line"),
                Arguments.of(
                        "raw fmtp missing TP",
                        HEAD + VIDEO + FMTP.replace("; TP=2110TPNL", "") + "\n",
                        8,
                        Reason.BAD_FMTP,
                        "TP"),
                Arguments.of(
                        "raw fmtp width=abc",
                        HEAD + VIDEO + FMTP.replace("width=1280", "width=abc") + "\n",
                        8,
                        Reason.BAD_FMTP,
                        "width=<integer"),
                Arguments.of(
                        "raw fmtp unknown sampling",
                        HEAD + VIDEO + FMTP.replace("YCbCr-4:2:2", "YUV") + "\n",
                        8,
                        Reason.BAD_FMTP,
                        "sampling one of"),
                Arguments.of(
                        "raw fmtp exactframerate 59.94",
                        HEAD + VIDEO + FMTP.replace("=50;", "=59.94;") + "\n",
                        8,
                        Reason.BAD_FMTP,
                        "exactframerate=<integer>"),
                Arguments.of("raw fmtp depth twice", HEAD + VIDEO + FMTP + "; depth=8\n", 8, Reason.BAD_FMTP, "twice"),
                Arguments.of(
                        "raw fmtp bad TP value",
                        HEAD + VIDEO + FMTP.replace("2110TPNL", "fast") + "\n",
                        8,
                        Reason.BAD_FMTP,
                        "TP one of"),
                Arguments.of(
                        "ts-refclk gm not EUI-64",
                        HEAD + VIDEO + "a=ts-refclk:ptp=IEEE1588-2008:08-00-11:0\n",
                        8,
                        Reason.BAD_TS_REFCLK,
                        "EUI-64"),
                Arguments.of(
                        "ts-refclk domain 200",
                        HEAD + VIDEO + "a=ts-refclk:ptp=IEEE1588-2008:08-00-11-FF-FE-21-E1-B0:200\n",
                        8,
                        Reason.BAD_TS_REFCLK,
                        "0..127"),
                Arguments.of(
                        "ts-refclk unknown source",
                        HEAD + VIDEO + "a=ts-refclk:sundial\n",
                        8,
                        Reason.BAD_TS_REFCLK,
                        "ptp="),
                Arguments.of(
                        "mediaclk direct not a number",
                        HEAD + VIDEO + "a=mediaclk:direct=zero\n",
                        8,
                        Reason.BAD_MEDIACLK,
                        "direct=<offset"),
                Arguments.of(
                        "extmap id 0",
                        HEAD + VIDEO + "a=extmap:0 urn:x-nmos:rtp-hdrext:flow-id\n",
                        8,
                        Reason.BAD_EXTMAP,
                        "id"),
                Arguments.of(
                        "extmap bad direction",
                        HEAD + VIDEO + "a=extmap:1/up urn:x\n",
                        8,
                        Reason.BAD_EXTMAP,
                        "direction"),
                Arguments.of(
                        "source-filter mode",
                        HEAD + VIDEO + "a=source-filter: both IN IP4 239.1.1.1 10.0.0.1\n",
                        8,
                        Reason.BAD_SOURCE_FILTER,
                        "incl|excl"),
                Arguments.of(
                        "source-filter without source",
                        HEAD + VIDEO + "a=source-filter: incl IN IP4 239.1.1.1\n",
                        8,
                        Reason.BAD_SOURCE_FILTER,
                        "<src-address>"),
                Arguments.of(
                        "group without tags",
                        "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=x\nt=0 0\na=group:DUP\n",
                        5,
                        Reason.BAD_GROUP,
                        "at least one"),
                Arguments.of(
                        "DUP group of one",
                        HEAD + "a=group:DUP primary\n" + VIDEO + "a=mid:primary\n",
                        5,
                        Reason.BAD_GROUP,
                        "two or more"),
                Arguments.of("group tag twice", HEAD + "a=group:DUP p p\n", 5, Reason.BAD_GROUP, "each tag once"),
                Arguments.of("group double space", HEAD + "a=group:DUP p  s\n", 5, Reason.BAD_GROUP, "not a token"),
                Arguments.of(
                        "group names no section",
                        HEAD + "a=group:DUP primary secondary\n" + VIDEO + "a=mid:primary\n",
                        5,
                        Reason.BAD_GROUP,
                        "'secondary' names no media section"),
                Arguments.of(
                        "group in a media section",
                        HEAD + VIDEO + "a=group:DUP a b\n",
                        8,
                        Reason.BAD_GROUP,
                        "session level"),
                Arguments.of(
                        "DUP sections of different formats",
                        HEAD + "a=group:DUP primary secondary\n" + VIDEO + "a=mid:primary\n" + VIDEO.replace("96", "97")
                                + "a=mid:secondary\n",
                        5,
                        Reason.BAD_GROUP,
                        "'secondary' differs from 'primary' in its protocol or formats"),
                Arguments.of(
                        "DUP sections of different fmtp",
                        HEAD + "a=group:DUP primary secondary\n" + VIDEO + FMTP + "\na=mid:primary\n"
                                + VIDEO
                                + FMTP.replace("width=1280", "width=1920").replace("height=720", "height=1080")
                                + "\na=mid:secondary\n",
                        5,
                        Reason.BAD_GROUP,
                        "in its a=fmtp"),
                Arguments.of(
                        "section in two DUP groups",
                        HEAD + "a=group:DUP a b\na=group:DUP b c\n" + VIDEO + "a=mid:a\n" + VIDEO + "a=mid:b\n" + VIDEO
                                + "a=mid:c\n",
                        6,
                        Reason.BAD_GROUP,
                        "'b' is in two"),
                Arguments.of("mid not a token", HEAD + VIDEO + "a=mid:pri mary\n", 8, Reason.BAD_MID, "<token>"),
                Arguments.of("mid at session level", HEAD + "a=mid:primary\n", 5, Reason.BAD_MID, "session level"),
                Arguments.of(
                        "two mids in a section",
                        HEAD + VIDEO + "a=mid:a\na=mid:b\n",
                        9,
                        Reason.BAD_MID,
                        "one a=mid per media section"),
                Arguments.of(
                        "one mid in two sections",
                        HEAD + VIDEO + "a=mid:a\n" + VIDEO + "a=mid:a\n",
                        12,
                        Reason.BAD_MID,
                        "'a' twice"),
                Arguments.of("attribute name with space", HEAD + "a=bad name:1\n", 5, Reason.BAD_ATTRIBUTE, "token"),
                Arguments.of(
                        "empty line in the middle", "v=0\n\no=- 1 1 IN IP4 10.0.0.1\n", 2, Reason.BAD_LINE, "<type>="),
                Arguments.of("NUL byte", "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=a\0b\n", 3, Reason.BAD_LINE, "NUL"));
    }

    @ParameterizedTest(name = "{0} -> line {2} {3}")
    @MethodSource("table")
    void nonsense_isAPreciseError(String name, String text, int line, Reason reason, String expectedMentions) {
        SdpException e = assertThrows(SdpException.class, () -> SessionDescription.parse(text));
        assertEquals(reason, e.reason(), name + ": " + e.getMessage());
        assertEquals(line, e.line(), name + ": " + e.getMessage());
        if (!e.expected().contains(expectedMentions)) {
            throw new AssertionError(
                    name + ": message '" + e.getMessage() + "' should mention '" + expectedMentions + "'");
        }
    }
}
