package org.medsync.ptp.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The codec's wire layout (docs/rtv.md "Time") and its refusals, one reason per malformed message. */
class ManagementMessageTest {

    static final PortIdentity US = new PortIdentity(new ClockIdentity(0), 0x1234);

    // common header | management header | TLV
    static final String GET_PORT = "0d 02 0036 7f 00 0000 0000000000000000 00000000 0000000000000000 1234 0007 04 7f"
            + " ffffffffffffffff ffff 00 00 00 00" + " 0001 0002 2004";

    static final String PORT_RESPONSE =
            "0d 02 0050 7f 00 0000 0000000000000000 00000000 86e1d4fffe66d9d7 0001 0007 04 7f"
                    + " 0000000000000000 1234 00 00 02 00" + " 0001 001c 2004"
                    + " 86e1d4fffe66d9d7 0001 08 fd 0000000000000000 fe 03 fd 01 00 02";

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void get_isWhatPmcSends() {
        assertEquals(
                GET_PORT.replace(" ", ""),
                HexFormat.of().formatHex(ManagementMessage.get(ManagementId.PORT_DATA_SET, 127, US, 7)));
    }

    @Test
    void getDecodesBackToItsRequest() throws PtpFormatException {
        ManagementMessage m = ManagementMessage.decode(hex(GET_PORT));
        assertEquals(new DataSet.Request(ManagementId.PORT_DATA_SET), m.body());
        assertEquals(PortIdentity.WILDCARD, m.target());
        assertEquals(127, m.domainNumber());
    }

    @Test
    void portDataSetResponse() throws PtpFormatException {
        ManagementMessage m = ManagementMessage.decode(hex(PORT_RESPONSE));
        assertEquals(ManagementMessage.Action.RESPONSE, m.action());
        assertEquals(7, m.sequenceId());
        assertEquals(
                new DataSet.Port(
                        new PortIdentity(ClockIdentity.parse("86e1d4.fffe.66d9d7"), 1),
                        PortState.UNCALIBRATED,
                        -3,
                        0,
                        -2,
                        3,
                        -3,
                        1,
                        0,
                        2),
                m.body());
    }

    @Test
    void clockIdentityForms() {
        ClockIdentity c = ClockIdentity.parse("86e1d4.fffe.66d9d7");
        assertEquals("86-E1-D4-FF-FE-66-D9-D7", c.eui64());
        assertEquals(c, ClockIdentity.parse("86-e1-d4-ff-fe-66-d9-d7"));
        assertThrows(IllegalArgumentException.class, () -> ClockIdentity.parse("86e1d4.fffe.66d9dg"));
        assertThrows(IllegalArgumentException.class, () -> ClockIdentity.parse("86e1d4fffe66d9d7"));
    }

    static Stream<Arguments> malformed() {
        String ok = PORT_RESPONSE.replace(" ", "");
        return Stream.of(
                Arguments.of("empty", "", "truncated"),
                Arguments.of("51 octets", ok.substring(0, 102), "truncated"),
                Arguments.of("a Sync, not management", "00" + ok.substring(2), "messageType 0"),
                Arguments.of("PTP version 1", "0d01" + ok.substring(4), "versionPTP 1"),
                Arguments.of("messageLength past the datagram", "0d02ffff" + ok.substring(8), "messageLength 65535"),
                Arguments.of("messageLength below the minimum", "0d020010" + ok.substring(8), "messageLength 16"),
                Arguments.of("action 7", ok.substring(0, 92) + "07" + ok.substring(94), "actionField 7"),
                Arguments.of("TLV type 3", ok.substring(0, 96) + "0003" + ok.substring(100), "tlvType 3"),
                Arguments.of(
                        "TLV length past the message",
                        ok.substring(0, 100) + "0040" + ok.substring(104),
                        "runs past messageLength"),
                Arguments.of("odd TLV length", ok.substring(0, 100) + "0003" + ok.substring(104), "is odd"),
                Arguments.of(
                        "unknown managementId",
                        ok.substring(0, 104) + "2003" + ok.substring(108),
                        "managementId 0x2003"),
                Arguments.of(
                        "PORT_DATA_SET cut short",
                        ok.substring(0, 100) + "000a" + ok.substring(104),
                        "PORT_DATA_SET has 8 data octets, needs 26"),
                Arguments.of("portState 11", ok.substring(0, 128) + "0b" + ok.substring(130), "portState 11"),
                Arguments.of(
                        "error status without its fields",
                        ok.substring(0, 96) + "00020002" + "0002" + ok.substring(108),
                        "needs 8"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void refusedWithAReason(String what, String hexText, String reason) {
        PtpFormatException e = assertThrows(PtpFormatException.class, () -> ManagementMessage.decode(hex(hexText)));
        assertTrue(e.getMessage().contains(reason), what + ": " + e.getMessage());
    }

    @Test
    void errorStatusIsAnAnswer() throws PtpFormatException {
        String ok = PORT_RESPONSE.replace(" ", "");
        String error = ok.substring(0, 96) + "0002" + "000e" + "0002" + "2004" + "00000000" + "03414243" + "0000";
        ManagementMessage m = ManagementMessage.decode(hex("0d020042" + error.substring(8)));
        assertEquals(new DataSet.Error(2, 0x2004, "ABC"), m.body());
    }
}
