package org.medsync.conference.protocol;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CodecTest {
    private static final Codec CODEC = new Codec(Limits.DEFAULT);
    private static final HexFormat HEX = HexFormat.of();

    static ViewUpdate full(long seq) {
        return new ViewUpdate(
                seq, seq, ViewUpdate.ALL, 1, "1.2.3", 70, 40, 80, 0.8, 0.5, 0.25, true, 0.5, 0.5, false, 10, false);
    }

    @Test
    void floorRequest_goldenBytes() throws Exception {
        // [17, true] = fixarray(2) 0x92, fixint 0x11, true 0xC3
        byte[] b = CODEC.encode(new ClientMessage.FloorRequest(true));
        assertEquals("9211c3", HEX.formatHex(b));
        assertEquals(new ClientMessage.FloorRequest(true), CODEC.decodeClient(b));
    }

    @Test
    void chat_goldenBytes_carryTheSendersRoleAndGuestMark() throws Exception {
        // [5, seq 1, from 2, "Dr A", time 1234, "look", "student", guest true];
        // web/src/extensions/readout/codec.test.ts
        // decodes the same bytes.
        byte[] b = CODEC.encode(new ServerMessage.Chat(1, 2, "Dr A", 1234, "look", "student", true));
        assertEquals("98050102a444722041cd04d2a46c6f6f6ba773747564656e74c3", HEX.formatHex(b));
        assertEquals(new ServerMessage.Chat(1, 2, "Dr A", 1234, "look", "student", true), CODEC.decodeServer(b));
    }

    @Test
    void welcome_goldenBytes_nestedFloorAndChatAreWholeMessagesWithTheirTypeCodes() throws Exception {
        // [1, you 3, "r1", "resident", no ICE servers, [["local", "1.2", "CT"]], index 0,
        //  [4, epoch 2, holder 1, requests [3]], [[5, seq 1, from 1, "A", 1234, "hi", "attending", false]], nil];
        // docs/readout-protocol.md and web/src/extensions/readout/codec.test.ts show the same bytes.
        var welcome = new ServerMessage.Welcome(
                3,
                "r1",
                "resident",
                List.of(),
                List.of(new ServerMessage.WorklistItem("local", "1.2", "CT")),
                0,
                new ServerMessage.Floor(2, 1, List.of(3)),
                List.of(new ServerMessage.Chat(1, 1, "A", 1234, "hi", "attending", false)),
                null);
        byte[] b = CODEC.encode(welcome);
        assertEquals(
                "9a0103a27231a87265736964656e74909193a56c6f63616ca3312e32a24354009404020191039198050101a141cd04d2"
                        + "a26869a9617474656e64696e67c2c0",
                HEX.formatHex(b));
        assertEquals(welcome, CODEC.decodeServer(b));
    }

    @Test
    void welcome_snapshotIsTheDriversBytes_asDecodedFromSnapshot() throws Exception {
        // A full VIEW whose VOI edges came as integers (as a JavaScript encoder writes 40 and 80) and whose pan came
        // as float32: WELCOME carries exactly those bytes, not a re-encoding with float64 everywhere.
        String view = "dc0012" + "01" + "09" + "00" + "cd01ff" + "00" + "a5312e322e33" + "46" + "28" + "50"
                + "cb3fe999999999999a" + "ca3f000000" + "ca3e800000" + "c3" + "00" + "cb3fe0000000000000" + "c2"
                + "0a" + "c2";
        ClientMessage.Snapshot s = (ClientMessage.Snapshot)
                CODEC.decodeClient(HEX.parseHex("9217c4" + HEX.toHexDigits((byte) (view.length() / 2)) + view));
        assertEquals(40, s.view().view().voiLower());
        ServerMessage.Welcome w = new ServerMessage.Welcome(
                2,
                "r1",
                "resident",
                List.of(),
                List.of(),
                0,
                new ServerMessage.Floor(1, 1, List.of()),
                List.of(),
                s.view());
        String welcome = HEX.formatHex(CODEC.encode(w));
        assertTrue(welcome.endsWith("c4" + HEX.toHexDigits((byte) (view.length() / 2)) + view), welcome);
        assertEquals(s.view(), ((ServerMessage.Welcome) CODEC.decodeServer(HEX.parseHex(welcome))).snapshot());
    }

    @Test
    void scrollDelta_isSmall() throws Exception {
        // [1, seq 1000, baseDelta 3, mask IMAGE, image 71]: 0x95 01 cd03e8 03 04 47
        ViewUpdate d =
                new ViewUpdate(1000, 997, ViewUpdate.IMAGE, 0, "", 71, 0, 1, 1, 0, 0, false, 0, 0, false, 0, false);
        byte[] b = CODEC.encodeView(d);
        assertEquals("9501cd03e8030447", HEX.formatHex(b));
        assertEquals(d, CODEC.decodeView(b));
    }

    @Test
    void everyClientMessage_roundTrips() throws Exception {
        List<ClientMessage> all = List.of(
                new ClientMessage.Signal(2, SignalKind.OFFER, "v=0"),
                new ClientMessage.FloorRequest(false),
                new ClientMessage.FloorRelease(),
                new ClientMessage.FloorHandOver(3),
                new ClientMessage.Chat("hello"),
                new ClientMessage.WorklistGoto(1),
                new ClientMessage.Status(-1, false, true, false),
                new ClientMessage.Snapshot(CODEC.snapshot(full(9))),
                new ClientMessage.Audio(AudioLeg.PUBLISH, SignalKind.OFFER, 3, "v=0"),
                new ClientMessage.Audio(AudioLeg.SUBSCRIBE, SignalKind.CANDIDATE, 3, "{}"));
        for (ClientMessage m : all) {
            assertEquals(m, CODEC.decodeClient(CODEC.encode(m)), m.toString());
        }
    }

    @Test
    void everyServerMessage_roundTrips() throws Exception {
        var floor = new ServerMessage.Floor(3, 1, List.of(2));
        var chat = new ServerMessage.Chat(1, 2, "Dr A", 1234, "look", "attending", false);
        List<ServerMessage> all = List.of(
                new ServerMessage.Welcome(
                        4,
                        "r1",
                        "student",
                        List.of(new ServerMessage.IceServer(List.of("turn:127.0.0.1:3478"), "1:u", "p")),
                        List.of(new ServerMessage.WorklistItem("local", "1.2", "CT")),
                        0,
                        floor,
                        List.of(chat),
                        CODEC.snapshot(full(5))),
                new ServerMessage.Welcome(
                        1,
                        "r1",
                        "attending",
                        List.of(),
                        List.of(new ServerMessage.WorklistItem("local", "1.2", "")),
                        0,
                        new ServerMessage.Floor(0, 0, List.of()),
                        List.of(),
                        null),
                new ServerMessage.Roster(List.of(
                        new ServerMessage.Peer(1, "A", "attending", 0, true, true, false, false),
                        new ServerMessage.Peer(2, "Sam", "student", -1, false, true, false, true))),
                new ServerMessage.Signal(1, SignalKind.CANDIDATE, "{}"),
                floor,
                chat,
                new ServerMessage.Worklist(2),
                new ServerMessage.Error("malformed", "x"),
                new ServerMessage.Topology(ServerMessage.Topology.Mode.MESH, 0, ServerMessage.Topology.Audio.MESH),
                new ServerMessage.Topology(ServerMessage.Topology.Mode.RELAY, 7, ServerMessage.Topology.Audio.SFU),
                new ServerMessage.Audio(AudioLeg.PUBLISH, SignalKind.ANSWER, "v=0", List.of()),
                new ServerMessage.Audio(
                        AudioLeg.SUBSCRIBE,
                        SignalKind.OFFER,
                        "v=0",
                        List.of(new ServerMessage.AudioStream("0", 2), new ServerMessage.AudioStream("1", 5))));
        for (ServerMessage m : all) {
            assertEquals(m, CODEC.decodeServer(CODEC.encode(m)), m.toString());
        }
    }

    @Test
    void malformedInputs_mapToReasons() {
        Map<String, DecodeException.Reason> table = Map.ofEntries(
                Map.entry("", DecodeException.Reason.TRUNCATED),
                Map.entry("c1", DecodeException.Reason.NOT_MSGPACK),
                Map.entry("11", DecodeException.Reason.NOT_AN_ARRAY),
                Map.entry("90", DecodeException.Reason.NOT_AN_ARRAY),
                Map.entry("9163", DecodeException.Reason.UNKNOWN_TYPE),
                Map.entry("9111", DecodeException.Reason.BAD_FIELD_COUNT),
                Map.entry("9211a1", DecodeException.Reason.BAD_FIELD_TYPE),
                Map.entry("9213ff", DecodeException.Reason.BAD_VALUE), // hand over to peer -1
                Map.entry("9213", DecodeException.Reason.TRUNCATED),
                Map.entry("9211c3c3", DecodeException.Reason.TRAILING_BYTES),
                Map.entry("9214a2c328", DecodeException.Reason.BAD_VALUE), // chat that is not UTF-8
                Map.entry("9214dc0001", DecodeException.Reason.BAD_FIELD_TYPE), // chat text is an array
                Map.entry("941002" + "01" + "a3763d30", DecodeException.Reason.BAD_VALUE), // ok shape; see below
                Map.entry("94100209a3763d30", DecodeException.Reason.BAD_VALUE), // signal kind 9
                Map.entry("9518070101a3763d30", DecodeException.Reason.BAD_VALUE), // audio leg 7
                Map.entry("9518010100a3763d30", DecodeException.Reason.BAD_VALUE), // audio feed 0
                Map.entry("9418010101a3763d30", DecodeException.Reason.BAD_FIELD_COUNT)); // audio without feed
        for (var e : table.entrySet()) {
            if (e.getKey().equals("941002" + "01" + "a3763d30")) {
                assertDoesNotThrow(() -> CODEC.decodeClient(HEX.parseHex(e.getKey())));
                continue;
            }
            DecodeException ex =
                    assertThrows(DecodeException.class, () -> CODEC.decodeClient(HEX.parseHex(e.getKey())), e.getKey());
            assertEquals(e.getValue(), ex.reason(), e.getKey() + ": " + ex.getMessage());
        }
    }

    @Test
    void oversizedMessageAndChat_areTooLarge() {
        byte[] big = new byte[Limits.DEFAULT.maxMessageBytes() + 1];
        big[0] = (byte) 0x92;
        assertEquals(
                DecodeException.Reason.TOO_LARGE,
                assertThrows(DecodeException.class, () -> CODEC.decodeClient(big))
                        .reason());
        byte[] chat = CODEC.encode(new ClientMessage.Chat("x".repeat(Limits.DEFAULT.maxChatChars() + 1)));
        assertEquals(
                DecodeException.Reason.TOO_LARGE,
                assertThrows(DecodeException.class, () -> CODEC.decodeClient(chat))
                        .reason());
    }

    @Test
    void everyPrefix_isTruncatedNeverAnotherFailure() {
        byte[] whole = CODEC.encode(new ClientMessage.Snapshot(CODEC.snapshot(full(77))));
        for (int n = 0; n < whole.length; n++) {
            byte[] prefix = java.util.Arrays.copyOf(whole, n);
            DecodeException ex = assertThrows(DecodeException.class, () -> CODEC.decodeClient(prefix), "prefix " + n);
            assertEquals(DecodeException.Reason.TRUNCATED, ex.reason(), "prefix " + n + ": " + ex.getMessage());
        }
    }

    @Test
    void snapshot_mustBeFull() {
        ViewUpdate partial =
                new ViewUpdate(5, 4, ViewUpdate.IMAGE, 0, "", 1, 0, 1, 1, 0, 0, false, 0, 0, false, 0, false);
        String view = HEX.formatHex(CODEC.encodeView(partial));
        // [23, bin8 view]
        byte[] snapshot = HEX.parseHex("9217c4" + HEX.toHexDigits((byte) (view.length() / 2)) + view);
        assertEquals(
                DecodeException.Reason.BAD_VALUE,
                assertThrows(DecodeException.class, () -> CODEC.decodeClient(snapshot))
                        .reason());
        assertThrows(IllegalArgumentException.class, () -> CODEC.snapshot(partial));
    }

    @Test
    void viewWithBadMaskOrNaN_isRefused() {
        assertEquals(
                DecodeException.Reason.BAD_VALUE,
                assertThrows(DecodeException.class, () -> CODEC.decodeView(HEX.parseHex("9401010dcd0200")))
                        .reason());
        // [1, 1, 0, VOI, NaN, 80]
        byte[] nan = HEX.parseHex("960100" + "0008" + "cb7ff8000000000000" + "50");
        nan = HEX.parseHex("96010008cb7ff800000000000050");
        byte[] n2 = nan;
        assertEquals(
                DecodeException.Reason.BAD_VALUE,
                assertThrows(DecodeException.class, () -> CODEC.decodeView(n2)).reason());
    }
}
