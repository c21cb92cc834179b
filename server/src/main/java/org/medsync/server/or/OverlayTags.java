package org.medsync.server.or;

import java.util.Locale;
import java.util.Map;

/**
 * The keywords an OR's overlay configuration may name (those of PS3.22 metadata an OR shows), and their tags as DICOM
 * JSON keys. Any other attribute is named by its 8 hex digits.
 */
final class OverlayTags {
    private static final Map<String, String> TAGS = Map.ofEntries(
            Map.entry("PatientName", "00100010"),
            Map.entry("PatientID", "00100020"),
            Map.entry("PatientBirthDate", "00100030"),
            Map.entry("PatientSex", "00100040"),
            Map.entry("AccessionNumber", "00080050"),
            Map.entry("StudyDescription", "00081030"),
            Map.entry("StudyDate", "00080020"),
            Map.entry("StudyTime", "00080030"),
            Map.entry("StudyID", "00200010"),
            Map.entry("Modality", "00080060"),
            Map.entry("Manufacturer", "00080070"),
            Map.entry("ManufacturerModelName", "00081090"),
            Map.entry("InstitutionName", "00080080"),
            Map.entry("StationName", "00081010"),
            Map.entry("ReferringPhysicianName", "00080090"),
            Map.entry("PerformingPhysicianName", "00081050"),
            Map.entry("ScheduledProcedureStepID", "00400009"),
            Map.entry("RequestedProcedureID", "00401001"),
            Map.entry("FrameOriginTimestamp", "00340007"));

    private OverlayTags() {}

    /** @throws IllegalArgumentException for a keyword we do not know that is not 8 hex digits either */
    static String tag(String keywordOrHex) {
        String t = TAGS.get(keywordOrHex);
        if (t != null) {
            return t;
        }
        if (keywordOrHex.matches("[0-9A-Fa-f]{8}")) {
            return keywordOrHex.toUpperCase(Locale.ROOT);
        }
        throw new IllegalArgumentException("overlay attribute '" + keywordOrHex + "' is no keyword we know ("
                + String.join(", ", TAGS.keySet().stream().sorted().toList()) + ") nor 8 hex digits");
    }

    static String keyword(String tag) {
        return TAGS.entrySet().stream()
                .filter(e -> e.getValue().equals(tag))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(tag);
    }
}
