package org.medsync.rtv.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medsync.rtv.metadata.Dataset;
import org.medsync.rtv.metadata.Tags;

class DicomJsonTest {

    @Test
    void ps318Json_becomesADataset() {
        Dataset d = DicomJson.toDataset(Json.parse("""
                {"00100010": {"vr": "PN", "Value": [{"Alphabetic": "Durand^\\u00c9lodie"}]},
                 "00280010": {"vr": "US", "Value": [720]},
                 "00189219": {"vr": "FD", "Value": [12.5]},
                 "00400275": {"vr": "SQ", "Value": [{"00400009": {"vr": "SH", "Value": ["SPS-7"]}}]},
                 "00340007": {"vr": "OB", "InlineBinary": "AQIDBAUGBwgJCg=="},
                 "00081030": {"vr": "LO"}}
                """));
        assertEquals("Durand^Élodie", d.string(Tags.PATIENT_NAME));
        assertEquals(720L, d.integer(Tags.ROWS).orElseThrow());
        assertEquals(12.5, d.decimal(0x00189219).orElseThrow());
        assertEquals("SPS-7", d.items(0x00400275).getFirst().string(Tags.SCHEDULED_PROCEDURE_STEP_ID));
        assertEquals(10, d.bytes(Tags.FRAME_ORIGIN_TIMESTAMP).orElseThrow().length);
        assertEquals("", d.string(Tags.STUDY_DESCRIPTION));
    }

    @Test
    void badDocuments_areRefusedNamingTheTag() {
        for (String bad : List.of(
                "[]",
                "{\"0010\": {\"vr\": \"PN\"}}",
                "{\"00100010\": {\"Value\": []}}",
                "{\"00100010\": {\"vr\": \"ZZ\"}}",
                "{\"00280010\": {\"vr\": \"US\", \"Value\": [1.5]}}",
                "{\"00020010\": {\"vr\": \"UI\", \"Value\": [\"1.2\"]}}",
                "{\"00100010\": {\"vr\": \"LO\", \"Value\": [\"a\\\\b\"]}}")) {
            assertThrows(IllegalArgumentException.class, () -> DicomJson.toDataset(Json.parse(bad)), bad);
        }
    }

    @Test
    void json_parsesAndWrites() {
        Object v = Json.parse(" {\"a\": [1, -2.5e3, true, null, \"x\\n\\u0041\"], \"b\": {}} ");
        assertEquals("{\"a\":[1,-2.5E+3,true,null,\"x\\nA\"],\"b\":{}}", Json.write(v));
        for (String bad : List.of("", "{", "{\"a\" 1}", "[1,]", "01", "\"\\x\"", "{\"a\":1,\"a\":2}", "[1] x")) {
            assertThrows(Json.JsonException.class, () -> Json.parse(bad), bad);
        }
        assertEquals(Map.of(), Json.parse("{}"));
    }
}
