package org.medsync.dicom.worklist;

import java.io.StringWriter;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;
import javax.json.Json;
import javax.json.JsonArrayBuilder;
import javax.json.JsonObject;
import javax.json.JsonObjectBuilder;

/** Writes a {@link WorklistItem} as DICOM JSON (PS3.18 F.2); see {@link WorklistItem#toDicomJson()}. */
final class ItemJson {

    private ItemJson() {}

    static String staticMetadata(WorklistItem item) {
        Map<String, JsonObject> top = new TreeMap<>();
        put(top, "00080005", "CS", "ISO_IR 192");
        put(top, "00080050", "SH", item.accessionNumber());
        put(top, "00080060", "CS", item.modality());
        putPn(top, "00080090", item.referringPhysician());
        put(top, "00081030", "LO", item.requestedProcedureDescription());
        putPn(top, "00081050", item.performingPhysician());
        putPn(top, "00100010", item.patientName());
        put(top, "00100020", "LO", item.patientId());
        put(top, "00100030", "DA", da(item.birthDate()));
        put(top, "00100040", "CS", item.sex());
        put(top, "0020000D", "UI", item.studyInstanceUid());
        put(top, "00400009", "SH", item.scheduledProcedureStepId());

        Map<String, JsonObject> request = new TreeMap<>();
        put(request, "00321060", "LO", item.requestedProcedureDescription());
        put(request, "00400007", "LO", item.scheduledProcedureStepDescription());
        put(request, "00400009", "SH", item.scheduledProcedureStepId());
        put(request, "00401001", "SH", item.requestedProcedureId());
        if (!request.isEmpty()) {
            top.put(
                    "00400275",
                    Json.createObjectBuilder()
                            .add("vr", "SQ")
                            .add("Value", Json.createArrayBuilder().add(object(request)))
                            .build());
        }
        StringWriter out = new StringWriter();
        try (var w = Json.createWriter(out)) {
            w.writeObject(object(top));
        }
        return out.toString();
    }

    private static JsonObject object(Map<String, JsonObject> attributes) {
        JsonObjectBuilder b = Json.createObjectBuilder();
        attributes.forEach(b::add);
        return b.build();
    }

    private static void put(Map<String, JsonObject> target, String tag, String vr, String value) {
        if (value != null && !value.isBlank()) {
            target.put(
                    tag,
                    Json.createObjectBuilder()
                            .add("vr", vr)
                            .add("Value", Json.createArrayBuilder().add(value.strip()))
                            .build());
        }
    }

    /** PN in JSON: {"Alphabetic": .., "Ideographic": .., "Phonetic": ..} from "A=I=P" (F.2.2). */
    private static void putPn(Map<String, JsonObject> target, String tag, String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        String[] groups = value.split("=", -1);
        String[] keys = {"Alphabetic", "Ideographic", "Phonetic"};
        JsonObjectBuilder pn = Json.createObjectBuilder();
        for (int i = 0; i < Math.min(3, groups.length); i++) {
            if (!groups[i].isBlank()) {
                pn.add(keys[i], groups[i].strip());
            }
        }
        JsonArrayBuilder values = Json.createArrayBuilder().add(pn);
        target.put(
                tag,
                Json.createObjectBuilder().add("vr", "PN").add("Value", values).build());
    }

    private static String da(LocalDate d) {
        return d == null ? null : String.format("%04d%02d%02d", d.getYear(), d.getMonthValue(), d.getDayOfMonth());
    }
}
