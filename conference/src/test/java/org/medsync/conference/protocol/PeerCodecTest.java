package org.medsync.conference.protocol;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** VIEW, POINTER and BATCH against the golden vectors the TypeScript codec shares (peer-vectors.txt). */
class PeerCodecTest {
    private static final Codec CODEC = new Codec(new Limits(4096, 1, 1, 256, 512));
    private static final HexFormat HEX = HexFormat.of();

    record Vector(String name, String decoder, byte[] bytes, DecodeException.Reason reason) {}

    static Map<String, Vector> vectors() throws IOException {
        Map<String, Vector> out = new LinkedHashMap<>();
        try (InputStream in = PeerCodecTest.class.getResourceAsStream("peer-vectors.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.trim().split("\\s+");
                out.put(
                        f[0],
                        new Vector(
                                f[0],
                                f[1],
                                HEX.parseHex(f[2]),
                                f.length > 3 ? DecodeException.Reason.valueOf(f[3]) : null));
            }
        }
        return out;
    }

    static final ViewUpdate FULL = new ViewUpdate(
            5,
            5,
            ViewUpdate.ALL,
            1,
            "1.2.840.113619.2.55.3",
            70,
            40,
            80,
            0.8,
            0.5,
            0.25,
            true,
            0.5,
            0.5,
            false,
            10,
            false);
    static final ViewUpdate SCROLL =
            new ViewUpdate(1000, 997, ViewUpdate.IMAGE, 0, "", 71, 0, 1, 1, 0, 0, false, 0, 0, false, 0, false);
    static final ViewUpdate VOI_PAN = new ViewUpdate(
            7,
            5,
            ViewUpdate.VOI | ViewUpdate.PAN,
            0,
            "",
            0,
            -160.5,
            240.25,
            1,
            -0.125,
            1.5,
            false,
            0,
            0,
            false,
            0,
            false);
    static final PointerUpdate POINTER = new PointerUpdate(3, true, 0.25, 0.75);
    static final PointerUpdate HIDDEN = new PointerUpdate(4, false, (double) 0.1f, 0);

    @Test
    void validVectors_decodeToTheirValues() throws Exception {
        var v = vectors();
        assertEquals(FULL, CODEC.decodePeer(v.get("view-full").bytes()));
        assertEquals(SCROLL, CODEC.decodePeer(v.get("view-scroll-delta").bytes()));
        assertEquals(VOI_PAN, CODEC.decodePeer(v.get("view-voi-pan-delta").bytes()));
        assertEquals(POINTER, CODEC.decodePeer(v.get("pointer-visible").bytes()));
        assertEquals(HIDDEN, CODEC.decodePeer(v.get("pointer-hidden").bytes()));
        assertEquals(
                new Codec.Batch(2, List.of(FULL, POINTER)),
                CODEC.decodeBatch(v.get("batch-full-pointer").bytes()));
        assertEquals(
                new Codec.Batch(7, List.of(SCROLL)),
                CODEC.decodeBatch(v.get("batch-one-delta").bytes()));
    }

    @Test
    void batch_embedsTheDriversBytesUnchanged() throws Exception {
        var v = vectors();
        byte[] batch = CODEC.encodeBatch(
                2, List.of(v.get("view-full").bytes(), v.get("pointer-visible").bytes()));
        assertArrayEquals(v.get("batch-full-pointer").bytes(), batch);
        assertArrayEquals(
                v.get("batch-one-delta").bytes(),
                CODEC.encodeBatch(7, List.of(v.get("view-scroll-delta").bytes())));
        assertThrows(IllegalArgumentException.class, () -> CODEC.encodeBatch(2, List.of()));
    }

    @Test
    void pointer_roundTripsAsFloat32() throws Exception {
        byte[] b = CODEC.encodePointer(POINTER);
        assertArrayEquals(vectors().get("pointer-visible").bytes(), b);
        assertEquals(POINTER, CODEC.decodePointer(b));
    }

    @Test
    void malformedVectors_mapToReasons() throws Exception {
        int checked = 0;
        for (Vector v : vectors().values()) {
            if (v.reason() == null) {
                continue;
            }
            DecodeException e = assertThrows(
                    DecodeException.class,
                    () -> {
                        if (v.decoder().equals("batch")) {
                            CODEC.decodeBatch(v.bytes());
                        } else {
                            CODEC.decodePeer(v.bytes());
                        }
                    },
                    v.name());
            assertEquals(v.reason(), e.reason(), v.name() + ": " + e.getMessage());
            checked++;
        }
        assertTrue(checked >= 15, "malformed vectors: " + checked);
    }

    @Test
    void oversized_isTooLarge() {
        byte[] big = new byte[4097];
        big[0] = (byte) 0x95;
        assertEquals(
                DecodeException.Reason.TOO_LARGE,
                assertThrows(DecodeException.class, () -> CODEC.decodePeer(big)).reason());
    }

    @Test
    void everyPrefixOfABatch_isTruncated() throws Exception {
        byte[] whole = vectors().get("batch-full-pointer").bytes();
        for (int n = 0; n < whole.length; n++) {
            byte[] prefix = Arrays.copyOf(whole, n);
            DecodeException e = assertThrows(DecodeException.class, () -> CODEC.decodeBatch(prefix), "prefix " + n);
            assertEquals(DecodeException.Reason.TRUNCATED, e.reason(), "prefix " + n + ": " + e.getMessage());
        }
    }

    @Test
    void topology_roundTrips_andUnknownOrImpossiblePathsAreRefused() throws Exception {
        var t = new ServerMessage.Topology(ServerMessage.Topology.Mode.RELAY, 3, ServerMessage.Topology.Audio.SFU);
        byte[] b = CODEC.encode(t);
        assertEquals("9409010301", HEX.formatHex(b));
        assertEquals(t, CODEC.decodeServer(b));
        var noSfu = new ServerMessage.Topology(ServerMessage.Topology.Mode.RELAY, 4, ServerMessage.Topology.Audio.MESH);
        assertEquals("9409010400", HEX.formatHex(CODEC.encode(noSfu)));
        assertEquals(noSfu, CODEC.decodeServer(CODEC.encode(noSfu)));
        var mixed = new ServerMessage.Topology(ServerMessage.Topology.Mode.RELAY, 5, ServerMessage.Topology.Audio.MIX);
        assertEquals("9409010502", HEX.formatHex(CODEC.encode(mixed)));
        assertEquals(mixed, CODEC.decodeServer(CODEC.encode(mixed)));
        assertEquals(
                "BAD_VALUE: topology: mix audio on the mesh",
                assertThrows(DecodeException.class, () -> CODEC.decodeServer(HEX.parseHex("9409000302")))
                        .getMessage());
        for (String bad : List.of("9409020300", "9409010303", "9409000301", "9409000302")) {
            assertEquals(
                    DecodeException.Reason.BAD_VALUE,
                    assertThrows(DecodeException.class, () -> CODEC.decodeServer(HEX.parseHex(bad)))
                            .reason(),
                    bad);
        }
        assertThrows(DecodeException.class, () -> CODEC.decodeServer(HEX.parseHex("93090103")), "audio is required");
        assertThrows(
                IllegalArgumentException.class,
                () -> new ServerMessage.Topology(
                        ServerMessage.Topology.Mode.MESH, 0, ServerMessage.Topology.Audio.SFU));
    }

    @Test
    void speaking_roundTrips_andRefusesWhatIsNoPeerList() throws Exception {
        var s = new ServerMessage.Speaking(List.of(1, 3));
        byte[] b = CODEC.encode(s);
        assertEquals("920b920103", HEX.formatHex(b));
        assertEquals(s, CODEC.decodeServer(b));
        assertEquals(new ServerMessage.Speaking(List.of()), CODEC.decodeServer(HEX.parseHex("920b90")));
        for (String bad : List.of("910b", "930b9001", "920b9100", "920b01", "920b91a131")) {
            assertThrows(DecodeException.class, () -> CODEC.decodeServer(HEX.parseHex(bad)), bad);
        }
    }
}
