package org.medsync.library.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.medsync.dicom.ConfidentialityProfile;
import org.medsync.dicom.Deidentification;

/**
 * De-identifies DICOM JSON (QIDO-RS results, WADO-RS metadata) for roles that must not see who the patient
 * is, by the same rule set as whole instances: {@link ConfidentialityProfile} decides every attribute, at
 * every depth, and {@link Deidentification} supplies the same pseudonyms, dummies and UID stand-ins.
 */
public final class JsonDeidentifier {
    private final Deidentification deidentification;
    private static final Pattern VR = Pattern.compile("[A-Z]{2}");
    /** The fields of an attribute in DICOM JSON (PS3.18 F.2.2). */
    private static final List<String> ATTRIBUTE_FIELDS = List.of("vr", "Value", "InlineBinary", "BulkDataURI");

    private static final List<String> NAME_COMPONENTS = List.of("Alphabetic", "Ideographic", "Phonetic");
    private final ConfidentialityProfile profile = ConfidentialityProfile.basicWithRetainUids();

    public JsonDeidentifier(Deidentification deidentification) {
        this.deidentification = deidentification;
    }

    /** The same key de-identifies whole instances (Part 10), so both give the same pseudonyms. */
    public Deidentification deidentification() {
        return deidentification;
    }

    /** The rule set, also used to decide which search keys a de-identified role may use. */
    public ConfidentialityProfile profile() {
        return profile;
    }

    public ArrayNode apply(ArrayNode datasets) {
        for (JsonNode d : datasets) {
            if (d instanceof ObjectNode o) {
                apply(o);
            }
        }
        return datasets;
    }

    public ObjectNode apply(ObjectNode dataset) {
        clean(dataset, 0);
        if (dataset.has(DicomJson.STUDY_INSTANCE_UID) || dataset.has(DicomJson.SOP_INSTANCE_UID)) {
            DicomJson.put(dataset, "00120062", "CS", "YES"); // Patient Identity Removed
            DicomJson.put(dataset, "00120063", "LO", Deidentification.METHOD);
        }
        return dataset;
    }

    private void clean(ObjectNode dataset, int depth) {
        if (depth > ConfidentialityProfile.MAX_DEPTH) {
            dataset.removeAll();
            return;
        }
        List<String> drop = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : dataset.properties()) {
            String tag = e.getKey();
            if (!(e.getValue() instanceof ObjectNode attribute)
                    || !attribute.path("vr").isTextual()
                    || !VR.matcher(attribute.get("vr").asText()).matches()) {
                drop.add(tag);
                continue;
            }
            // An attribute passes as PS3.18 writes one, nothing beside its values: a PACS could hide a name in a
            // field no viewer shows but the role still receives.
            attribute.retain(ATTRIBUTE_FIELDS);
            String vr = attribute.get("vr").asText();
            switch (profile.action(tag)) {
                case REMOVE -> drop.add(tag);
                case EMPTY -> attribute.retain("vr");
                case KEEP -> {
                    if ("SQ".equals(vr)) {
                        cleanItems(attribute, vr, depth);
                    } else {
                        cleanValues(attribute, vr);
                    }
                }
                case DUMMY -> {
                    if ("SQ".equals(vr)) {
                        cleanItems(attribute, vr, depth);
                    } else {
                        String dummy = deidentification.dummy(Integer.parseUnsignedInt(tag, 16), vr, first(attribute));
                        setValues(attribute, vr, dummy == null ? List.of() : List.of(dummy));
                    }
                }
                case REPLACE_UID -> {
                    List<String> uids = new ArrayList<>();
                    attribute.path("Value").forEach(v -> {
                        if (v.isTextual() && !v.asText().isBlank()) {
                            uids.add(deidentification.uid(v.asText()));
                        }
                    });
                    setValues(attribute, vr, uids);
                }
            }
        }
        dataset.remove(drop);
    }

    /** Values of a kept attribute: strings and numbers, or names of their three components; anything else is null. */
    private static void cleanValues(ObjectNode attribute, String vr) {
        if (!attribute.has("Value")) {
            return;
        }
        ArrayNode values = attribute.arrayNode();
        for (JsonNode v : attribute.path("Value").isArray() ? attribute.path("Value") : attribute.arrayNode()) {
            if (v.isValueNode()) {
                values.add(v);
            } else if ("PN".equals(vr) && v instanceof ObjectNode name) {
                ObjectNode clean = values.addObject();
                for (String component : NAME_COMPONENTS) {
                    if (name.path(component).isTextual()) {
                        clean.set(component, name.get(component));
                    }
                }
            } else {
                values.addNull();
            }
        }
        attribute.set("Value", values);
    }

    /** Cleans each item of a sequence; anything in its Value that is not an item is dropped, not passed on. */
    private void cleanItems(ObjectNode attribute, String vr, int depth) {
        if (!"SQ".equals(vr) || !attribute.has("Value")) {
            return;
        }
        ArrayNode items = attribute.arrayNode();
        for (JsonNode item : attribute.path("Value").isArray() ? attribute.path("Value") : attribute.arrayNode()) {
            if (item instanceof ObjectNode o) {
                clean(o, depth + 1);
                items.add(o);
            }
        }
        attribute.set("Value", items);
    }

    private static void setValues(ObjectNode attribute, String vr, List<String> values) {
        attribute.retain("vr");
        if (values.isEmpty()) {
            return;
        }
        ArrayNode arr = attribute.putArray("Value");
        for (String v : values) {
            if (vr.equals("PN")) {
                arr.addObject().put("Alphabetic", v);
            } else {
                arr.add(v);
            }
        }
    }

    private static String first(ObjectNode attribute) {
        JsonNode v = attribute.path("Value").path(0);
        if (v.isObject()) {
            return v.path("Alphabetic").asText(null);
        }
        return v.isValueNode() && !v.isNull() ? v.asText() : null;
    }

    /** A worklist line as a de-identified role sees it: each field by the rule for its attribute. */
    public StudySummary apply(StudySummary s) {
        return new StudySummary(
                s.source(),
                s.studyInstanceUid(),
                field(DicomJson.PATIENT_NAME, "PN", s.patientName()),
                field(DicomJson.PATIENT_ID, "LO", s.patientId()),
                field(DicomJson.STUDY_DATE, "DA", s.studyDate()),
                field(DicomJson.STUDY_DESCRIPTION, "LO", s.studyDescription()),
                field(DicomJson.ACCESSION_NUMBER, "SH", s.accessionNumber()),
                s.modalities(),
                s.numberOfSeries(),
                s.numberOfInstances());
    }

    private String field(String tag, String vr, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        return switch (profile.action(tag)) {
            case KEEP -> value;
            case REMOVE, EMPTY -> null;
            case DUMMY -> deidentification.dummy(Integer.parseUnsignedInt(tag, 16), vr, value);
            case REPLACE_UID -> value == null ? null : deidentification.uid(value);
        };
    }
}
