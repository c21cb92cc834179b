package org.medsync.rtv.configurator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The video source behind a transmitter, as General Equipment module attributes (PS3.3 C.7.5.1) of its
 * static metadata. All optional.
 */
public record Equipment(
        String manufacturer,
        String modelName,
        String stationName,
        String deviceSerialNumber,
        String institutionName,
        String softwareVersions,
        String modality) {

    static final Equipment NONE = new Equipment(null, null, null, null, null, null, null);

    static Equipment read(JsonNode n, String path) throws ConfigException {
        if (n == null) {
            return NONE;
        }
        Input.object(n, path);
        String modality = Input.text(n, "modality", path, null);
        if (modality != null && !modality.matches("[A-Z0-9 _]{1,16}")) {
            throw new ConfigException(path + ".modality must be a DICOM modality code such as \"ES\" or \"XC\", not \""
                    + modality + "\"");
        }
        return new Equipment(
                Input.text(n, "manufacturer", path, null),
                Input.text(n, "modelName", path, null),
                Input.text(n, "stationName", path, null),
                Input.text(n, "deviceSerialNumber", path, null),
                Input.text(n, "institutionName", path, null),
                Input.text(n, "softwareVersions", path, null),
                modality);
    }

    /** tag -> (VR, value) of the attributes that have a value. */
    Map<String, String[]> attributes() {
        Map<String, String[]> m = new LinkedHashMap<>();
        put(m, "00080060", "CS", modality);
        put(m, "00080070", "LO", manufacturer);
        put(m, "00080080", "LO", institutionName);
        put(m, "00081010", "SH", stationName);
        put(m, "00081090", "LO", modelName);
        put(m, "00181000", "LO", deviceSerialNumber);
        put(m, "00181020", "LO", softwareVersions);
        return m;
    }

    private static void put(Map<String, String[]> m, String tag, String vr, String value) {
        if (value != null && !value.isBlank()) {
            m.put(tag, new String[] {vr, value.strip()});
        }
    }

    ObjectNode toJson() {
        ObjectNode o = Input.JSON.createObjectNode();
        if (manufacturer != null) o.put("manufacturer", manufacturer);
        if (modelName != null) o.put("modelName", modelName);
        if (stationName != null) o.put("stationName", stationName);
        if (deviceSerialNumber != null) o.put("deviceSerialNumber", deviceSerialNumber);
        if (institutionName != null) o.put("institutionName", institutionName);
        if (softwareVersions != null) o.put("softwareVersions", softwareVersions);
        if (modality != null) o.put("modality", modality);
        return o;
    }
}
