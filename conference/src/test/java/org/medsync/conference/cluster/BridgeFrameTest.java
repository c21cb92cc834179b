package org.medsync.conference.cluster;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medsync.conference.readout.ReadoutRole;

class BridgeFrameTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void goldenFrames_encodeAndDecode() throws Exception {
        // ver type |n| "n1"  | bridge 7                | code 1001
        byte[] leave = hex("01 03 02 6e31 0000000000000007 03e9");
        assertArrayEquals(leave, BridgeFrame.encode(new BridgeFrame.Leave("n1", 7, 1001)));
        assertEquals(new BridgeFrame.Leave("n1", 7, 1001), BridgeFrame.decode(leave));

        // ver type |n| "a" | bridge 1          | "r"  | "u"  | "U"  | "student"
        byte[] join = hex("01 01 01 61 0000000000000001 0172 0175 0155 07 73747564656e74");
        BridgeFrame.Join j = new BridgeFrame.Join("a", 1, "r", "u", "U", ReadoutRole.STUDENT);
        assertArrayEquals(join, BridgeFrame.encode(j));
        assertEquals(j, BridgeFrame.decode(join));

        // a message travels as the rest of the frame, unread
        byte[] client = hex("01 02 01 61 0000000000000002 93 10 c0");
        BridgeFrame.Client c = (BridgeFrame.Client) BridgeFrame.decode(client);
        assertArrayEquals(hex("9310c0"), c.message());
        assertArrayEquals(client, BridgeFrame.encode(c));

        // ver type |n| "h" | bridge 3        | code 1012 | "bye"
        byte[] close = hex("01 05 01 68 0000000000000003 03f4 03 627965");
        assertEquals(new BridgeFrame.Close("h", 3, 1012, "bye"), BridgeFrame.decode(close));
    }

    @Test
    void malformedFrames_areRefusedWithTheirReason() {
        Map<String, BridgeFrame.MalformedException.Reason> cases = Map.ofEntries(
                Map.entry("", BridgeFrame.MalformedException.Reason.TRUNCATED),
                Map.entry("02 03 01 61 0000000000000001 03e9", BridgeFrame.MalformedException.Reason.UNKNOWN_VERSION),
                Map.entry("01 09 01 61 0000000000000001", BridgeFrame.MalformedException.Reason.UNKNOWN_TYPE),
                Map.entry("01 03 03 612062 0000000000000001 03e9", BridgeFrame.MalformedException.Reason.BAD_VALUE),
                Map.entry("01 03 00 0000000000000001 03e9", BridgeFrame.MalformedException.Reason.BAD_VALUE),
                Map.entry("01 03 01 61 0000000000000001 03e9 00", BridgeFrame.MalformedException.Reason.TRAILING_BYTES),
                Map.entry("01 02 01 61 0000000000000001", BridgeFrame.MalformedException.Reason.TRUNCATED),
                Map.entry(
                        "01 01 01 61 0000000000000001 0172 0175 09 55",
                        BridgeFrame.MalformedException.Reason.TRUNCATED),
                Map.entry(
                        "01 01 01 61 0000000000000001 0172 0175 01 ff 07 73747564656e74",
                        BridgeFrame.MalformedException.Reason.BAD_VALUE),
                Map.entry(
                        "01 01 01 61 0000000000000001 0172 0175 0155 04 6b696e67",
                        BridgeFrame.MalformedException.Reason.BAD_VALUE),
                Map.entry(
                        "01 01 01 61 0000000000000001 00 0175 0155 07 73747564656e74",
                        BridgeFrame.MalformedException.Reason.BAD_VALUE));
        cases.forEach((frame, reason) -> {
            BridgeFrame.MalformedException e =
                    assertThrows(BridgeFrame.MalformedException.class, () -> BridgeFrame.decode(hex(frame)), frame);
            assertEquals(reason, e.reason(), frame);
        });
    }

    @Test
    void everyCutOfAFrame_isTruncated() throws Exception {
        for (BridgeFrame f : new BridgeFrame[] {
            new BridgeFrame.Join("node-a-1f", 42, "rid", "resident", "Dr. Rui Résident", ReadoutRole.RESIDENT),
            new BridgeFrame.Leave("n", 1, 1000),
            new BridgeFrame.Close("n", 1, 1013, "try again")
        }) {
            byte[] whole = BridgeFrame.encode(f);
            assertEquals(f, BridgeFrame.decode(whole));
            for (int n = 0; n < whole.length; n++) {
                byte[] cut = Arrays.copyOf(whole, n);
                assertEquals(
                        BridgeFrame.MalformedException.Reason.TRUNCATED,
                        assertThrows(BridgeFrame.MalformedException.class, () -> BridgeFrame.decode(cut))
                                .reason(),
                        f + " cut at " + n);
            }
        }
    }

    @Test
    void oversizedMessage_isRefused() {
        byte[] head = BridgeFrame.encode(new BridgeFrame.Server("n", 1, new byte[1]));
        byte[] big = Arrays.copyOf(head, head.length - 1 + BridgeFrame.MAX_MESSAGE + 1);
        assertEquals(
                BridgeFrame.MalformedException.Reason.TOO_LARGE,
                assertThrows(BridgeFrame.MalformedException.class, () -> BridgeFrame.decode(big))
                        .reason());
    }
}
