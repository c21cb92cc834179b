package org.medsync.library.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Reading and writing attributes of the DICOM JSON model (PS3.18 F.2). */
public final class DicomJson {
    public static final String TRANSFER_SYNTAX_UID = "00020010";
    public static final String SOP_CLASS_UID = "00080016";
    public static final String SOP_INSTANCE_UID = "00080018";
    public static final String STUDY_DATE = "00080020";
    public static final String STUDY_TIME = "00080030";
    public static final String ACCESSION_NUMBER = "00080050";
    public static final String MODALITY = "00080060";
    public static final String MODALITIES_IN_STUDY = "00080061";
    public static final String REFERRING_PHYSICIAN_NAME = "00080090";
    public static final String INSTITUTION_NAME = "00080080";
    public static final String RETRIEVE_URL = "00081190";
    public static final String STUDY_DESCRIPTION = "00081030";
    public static final String SERIES_DESCRIPTION = "0008103E";
    public static final String PATIENT_NAME = "00100010";
    public static final String PATIENT_ID = "00100020";
    public static final String PATIENT_BIRTH_DATE = "00100030";
    public static final String PATIENT_SEX = "00100040";
    public static final String BODY_PART_EXAMINED = "00180015";
    public static final String STUDY_INSTANCE_UID = "0020000D";
    public static final String SERIES_INSTANCE_UID = "0020000E";
    public static final String STUDY_ID = "00200010";
    public static final String SERIES_NUMBER = "00200011";
    public static final String INSTANCE_NUMBER = "00200013";
    public static final String NUMBER_OF_STUDY_RELATED_SERIES = "00201206";
    public static final String NUMBER_OF_STUDY_RELATED_INSTANCES = "00201208";
    public static final String NUMBER_OF_SERIES_RELATED_INSTANCES = "00201209";
    public static final String ROWS = "00280010";
    public static final String COLUMNS = "00280011";
    public static final String NUMBER_OF_FRAMES = "00280008";
    public static final String PIXEL_DATA = "7FE00010";

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private DicomJson() {}

    public static ObjectNode object() {
        return F.objectNode();
    }

    public static ArrayNode array() {
        return F.arrayNode();
    }

    /** Adds a string-valued attribute; a null value gives an attribute with no Value, as PS3.18 allows. */
    public static void put(ObjectNode o, String tag, String vr, String... values) {
        ObjectNode a = o.putObject(tag);
        a.put("vr", vr);
        List<String> present = new ArrayList<>();
        for (String v : values) {
            if (v != null && !v.isEmpty()) {
                present.add(v);
            }
        }
        if (!present.isEmpty()) {
            ArrayNode arr = a.putArray("Value");
            for (String v : present) {
                if (vr.equals("PN")) {
                    arr.addObject().put("Alphabetic", v);
                } else {
                    arr.add(v);
                }
            }
        }
    }

    public static void putInt(ObjectNode o, String tag, String vr, Integer value) {
        ObjectNode a = o.putObject(tag);
        a.put("vr", vr);
        if (value != null) {
            a.putArray("Value").add(value);
        }
    }

    /** Points Pixel Data at our own frames resource: {@code base + "/instances/<sop>/frames"}. */
    public static ArrayNode pointPixelDataAt(ArrayNode datasets, String bulkDataBase) {
        for (JsonNode d : datasets) {
            if (d instanceof ObjectNode o && o.has(PIXEL_DATA)) {
                ObjectNode pixel = (ObjectNode) o.get(PIXEL_DATA);
                pixel.put("BulkDataURI", bulkDataBase + "/instances/" + string(o, SOP_INSTANCE_UID) + "/frames");
            }
        }
        return datasets;
    }

    public static String string(JsonNode o, String tag) {
        JsonNode v = o.path(tag).path("Value");
        if (!v.isArray() || v.isEmpty()) {
            return null;
        }
        JsonNode first = v.get(0);
        return first.isObject() ? first.path("Alphabetic").asText(null) : first.asText(null);
    }

    public static String personName(JsonNode o, String tag) {
        return string(o, tag);
    }

    public static List<String> strings(JsonNode o, String tag) {
        List<String> out = new ArrayList<>();
        for (JsonNode v : o.path(tag).path("Value")) {
            out.add(v.asText());
        }
        return out;
    }

    public static int integer(JsonNode o, String tag) {
        JsonNode v = o.path(tag).path("Value");
        return v.isArray() && !v.isEmpty() ? v.get(0).asInt() : 0;
    }
}
