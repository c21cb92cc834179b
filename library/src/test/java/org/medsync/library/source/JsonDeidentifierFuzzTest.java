package org.medsync.library.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import org.medsync.dicom.ConfidentialityProfile;
import org.medsync.dicom.Deidentification;

/**
 * Jazzer target for DICOM JSON from a remote PACS on its way to a de-identified role: the raw bytes through
 * Jackson (as DicomWebSource reads them) and the de-identifier. Only Jackson's refusal of the bytes (an IOException) escapes; what
 * comes out holds only attributes the rule set keeps, each a vr and its values in PS3.18's shape, with nothing
 * else hidden beside or inside them, at any depth.
 */
class JsonDeidentifierFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonDeidentifier DEID = new JsonDeidentifier(new Deidentification("fuzz"));
    private static final ConfidentialityProfile PROFILE = ConfidentialityProfile.basicWithRetainUids();
    private static final Set<String> ATTRIBUTE_FIELDS = Set.of("vr", "Value", "InlineBinary", "BulkDataURI");
    private static final Set<String> NAME_FIELDS = Set.of("Alphabetic", "Ideographic", "Phonetic");

    @FuzzTest(maxDuration = "10s")
    void remoteJson_onlyJsonErrorsEscape_andNothingOutsideTheRulesSurvives(byte[] data) {
        JsonNode node;
        try {
            node = JSON.readTree(data);
        } catch (IOException expected) {
            // Not JSON, or (Jackson detects UTF-16 and UTF-32 too) not characters: DicomWebSource answers UNREADABLE.
            return;
        }
        if (node instanceof ArrayNode a) {
            DEID.apply(a);
            a.forEach(d -> {
                if (d instanceof ObjectNode o) {
                    checkDataset(o, 0);
                }
            });
        } else if (node instanceof ObjectNode o) {
            checkDataset(DEID.apply(o), 0);
        }
    }

    private static void checkDataset(ObjectNode dataset, int depth) {
        assertTrue(depth <= ConfidentialityProfile.MAX_DEPTH + 1 || dataset.isEmpty(), "nested beyond the limit");
        for (Map.Entry<String, JsonNode> e : dataset.properties()) {
            String tag = e.getKey();
            ConfidentialityProfile.Action action = PROFILE.action(tag);
            assertNotEquals(ConfidentialityProfile.Action.REMOVE, action, tag + " survived");
            if (!(e.getValue() instanceof ObjectNode attribute)) {
                fail(tag + " is no attribute object: " + e.getValue());
                return;
            }
            attribute
                    .fieldNames()
                    .forEachRemaining(f -> assertTrue(ATTRIBUTE_FIELDS.contains(f), tag + " carries " + f));
            assertTrue(
                    attribute.path("vr").isTextual()
                            && attribute.get("vr").asText().matches("[A-Z]{2}"),
                    tag + " vr " + attribute.get("vr"));
            String vr = attribute.get("vr").asText();
            if (action == ConfidentialityProfile.Action.EMPTY) {
                assertEquals(1, attribute.size(), tag + " should be empty");
            }
            if (!attribute.has("Value")) {
                continue;
            }
            assertTrue(attribute.get("Value").isArray(), tag + " Value is no array");
            for (JsonNode v : attribute.get("Value")) {
                if ("SQ".equals(vr)) {
                    assertTrue(v instanceof ObjectNode, tag + " item is no object");
                    checkDataset((ObjectNode) v, depth + 1);
                } else if ("PN".equals(vr) && v.isObject()) {
                    v.properties()
                            .forEach(n -> assertTrue(
                                    NAME_FIELDS.contains(n.getKey())
                                            && n.getValue().isTextual(),
                                    tag + " name " + n));
                } else {
                    assertTrue(v.isValueNode(), tag + " value " + v);
                }
            }
        }
    }
}
