package org.medsync.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A browser's ICE candidate is checked before native WebRTC or Janus sees it: the table of what is refused. */
class IceCandidatesTest {
    private static final String LINE =
            "candidate:842163049 1 udp 1677729535 203.0.113.7 50123 typ srflx raddr 0.0.0.0 rport 0 generation 0";

    @Test
    void browserCandidates_areKeptWithTheirFields() {
        assertEquals(
                new IceCandidates.Candidate(LINE, "0", 0),
                IceCandidates.parse("{\"candidate\":\"" + LINE
                        + "\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0,\"usernameFragment\":\"x\"}"));
        String mdns = "candidate:1 1 UDP 2122252543 4b7e2a3c-1f2d-4c5e-9a8b-0c1d2e3f4a5b.local 54321 typ host";
        assertEquals(
                new IceCandidates.Candidate(mdns, null, 1),
                IceCandidates.parse("{\"candidate\":\"" + mdns + "\",\"sdpMLineIndex\":1}"));
        String v6 = "candidate:3 1 udp 2122262783 2001:db8::1 40000 typ host";
        assertEquals(
                new IceCandidates.Candidate(v6, "audio", null),
                IceCandidates.parse("{\"candidate\":\"" + v6 + "\",\"sdpMid\":\"audio\"}"));
        String linkLocal = "candidate:4 1 tcp 1518280447 fe80::1%en0 9 typ host tcptype active";
        assertEquals(
                new IceCandidates.Candidate(linkLocal, "0", 0),
                IceCandidates.parse("{\"candidate\":\"" + linkLocal
                        + "\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0,\"usernameFragment\":null}"));
        assertTrue(IceCandidates.parse("{\"candidate\":\"\"}").endOfCandidates());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '~',
            value = {
                "not JSON                          | {",
                "trailing bytes                    | {`candidate`:``,`sdpMid`:`0`} {}",
                "an array                          | []",
                "candidate not a string            | {`candidate`:42,`sdpMid`:`0`}",
                "no candidate                      | {`sdpMid`:`0`}",
                "SDP attribute form                | {`candidate`:`a=candidate:1 1 udp 1 10.0.0.1 9 typ host`,`sdpMid`:`0`}",
                "no type                           | {`candidate`:`candidate:1 1 udp 1 10.0.0.1 9`,`sdpMid`:`0`}",
                "port not a number                 | {`candidate`:`candidate:1 1 udp 1 10.0.0.1 x typ host`,`sdpMid`:`0`}",
                "control character                 | {`candidate`:`candidate:1 1 udp 1 10.0.0.1 9 typ host\\u0000`,`sdpMid`:`0`}",
                "newline smuggling an SDP line     | {`candidate`:`candidate:1 1 udp 1 10.0.0.1 9 typ host\\r\\na=fingerprint:x`,`sdpMid`:`0`}",
                "extension name without a value    | {`candidate`:`candidate:1 1 udp 1 10.0.0.1 9 typ host generation`,`sdpMid`:`0`}",
                "not ASCII                         | {`candidate`:`candidate:1 1 udp 1 h\\u00f4te.local 9 typ host`,`sdpMid`:`0`}",
                "no sdpMid nor sdpMLineIndex       | {`candidate`:`candidate:1 1 udp 1 10.0.0.1 9 typ host`}",
                "negative sdpMLineIndex            | {`candidate`:`candidate:1 1 udp 1 10.0.0.1 9 typ host`,`sdpMLineIndex`:-1}",
                "fractional sdpMLineIndex          | {`candidate`:`candidate:1 1 udp 1 10.0.0.1 9 typ host`,`sdpMLineIndex`:1.5}",
                "huge sdpMLineIndex                | {`candidate`:`candidate:1 1 udp 1 10.0.0.1 9 typ host`,`sdpMLineIndex`:99999999999}",
                "sdpMid not a string               | {`candidate`:`candidate:1 1 udp 1 10.0.0.1 9 typ host`,`sdpMid`:{}}",
                "empty sdpMid                      | {`candidate`:`candidate:1 1 udp 1 10.0.0.1 9 typ host`,`sdpMid`:``}",
            })
    void malformedCandidate_isRefusedWithAReason(String what, String json) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> IceCandidates.parse(json.replace('`', '"')), what);
        assertTrue(e.getMessage().startsWith("candidate"), e.getMessage());
    }

    @Test
    void overlongLine_isRefused() {
        String line = "candidate:1 1 udp 1 10.0.0.1 9 typ host" + " x y".repeat(200);
        assertThrows(
                IllegalArgumentException.class,
                () -> IceCandidates.parse("{\"candidate\":\"" + line + "\",\"sdpMid\":\"0\"}"));
    }
}
