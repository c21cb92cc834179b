package org.medsync.rtv.configurator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.medsync.dicom.worklist.WorklistItem;

/** Worklist items as the configurator's plain JSON (GET /worklist), for people and scripts. */
final class WorklistJson {

    private WorklistJson() {}

    static ObjectNode list(List<WorklistItem> items) {
        ObjectNode o = Input.JSON.createObjectNode();
        ArrayNode a = o.putArray("items");
        for (int i = 0; i < items.size(); i++) {
            a.add(item(items.get(i), i));
        }
        return o;
    }

    static ObjectNode item(WorklistItem w, int index) {
        ObjectNode o = Input.JSON.createObjectNode().put("index", index);
        put(o, "patientName", w.patientName());
        o.put("patientNameForDisplay", w.patientNameForDisplay());
        put(o, "patientId", w.patientId());
        put(o, "birthDate", w.birthDate() == null ? null : w.birthDate().toString());
        put(o, "sex", w.sex());
        put(o, "accessionNumber", w.accessionNumber());
        put(o, "studyInstanceUid", w.studyInstanceUid());
        put(o, "requestedProcedureId", w.requestedProcedureId());
        put(o, "requestedProcedureDescription", w.requestedProcedureDescription());
        put(o, "referringPhysician", w.referringPhysician());
        put(o, "scheduledProcedureStepId", w.scheduledProcedureStepId());
        put(o, "scheduledProcedureStepDescription", w.scheduledProcedureStepDescription());
        put(
                o,
                "scheduledStart",
                w.scheduledStart() == null ? null : w.scheduledStart().toString());
        put(o, "modality", w.modality());
        put(o, "stationAeTitle", w.stationAeTitle());
        put(o, "stationName", w.stationName());
        put(o, "location", w.location());
        put(o, "performingPhysician", w.performingPhysician());
        return o;
    }

    private static void put(ObjectNode o, String field, String value) {
        if (value == null) {
            o.putNull(field);
        } else {
            o.put(field, value);
        }
    }
}
