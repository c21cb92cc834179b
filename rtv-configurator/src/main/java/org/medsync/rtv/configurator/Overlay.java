package org.medsync.rtv.configurator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a receiver draws the metadata text and which attributes: zone 1..9 of the 3x3 grid, row by row
 * (1 top-left, 9 bottom-right, as in the Rennes OR), attributes as 8-hex-digit tags of the static or
 * dynamic part of the first flow.
 */
public record Overlay(int zone, List<String> attributes) {

    /** Bottom-left: patient name, patient ID, scheduled procedure step ID. */
    static final Overlay DEFAULT = new Overlay(7, List.of("00100010", "00100020", "00400009"));

    private static final Pattern TAG = Pattern.compile("[0-9A-Fa-f]{8}");

    public Overlay {
        attributes = List.copyOf(attributes);
    }

    static Overlay read(JsonNode n, String path, Overlay fallback) throws ConfigException {
        if (n == null) {
            return fallback;
        }
        Input.object(n, path);
        JsonNode z = Input.optional(n, "zone");
        if (z != null && z.isIntegralNumber() && (z.asLong() < 1 || z.asLong() > 9)) {
            throw new ConfigException(
                    path + ".zone must be 1..9 (3x3 grid, row by row: 1 top-left, 9 bottom-right), not " + z.asText());
        }
        int zone = Input.integer(n, "zone", path, fallback.zone(), 1, 9);
        List<String> attributes = Input.list(n, "attributes", path, (e, p) -> {
            if (e == null || !e.isTextual() || !TAG.matcher(e.asText()).matches()) {
                throw new ConfigException(p + " must be a tag of 8 hex digits like \"00100010\", not " + e);
            }
            return e.asText().toUpperCase(Locale.ROOT);
        });
        return new Overlay(zone, attributes == null ? fallback.attributes() : new ArrayList<>(attributes));
    }

    ObjectNode toJson() {
        ObjectNode o = Input.JSON.createObjectNode().put("zone", zone);
        ArrayNode a = o.putArray("attributes");
        attributes.forEach(a::add);
        return o;
    }
}
