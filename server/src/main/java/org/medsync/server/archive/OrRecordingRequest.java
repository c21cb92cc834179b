package org.medsync.server.archive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;
import org.medsync.server.api.ApiError;

/**
 * The body of {@code POST /api/archive/or-recordings}, {@code {"or": "...", "flow": "...", "hospital": "..."}}: outside
 * bytes from a browser or {@code medsync record --or}, refused with a 400 that names the field and what is wrong.
 * OR and flow names follow the OR configuration's rule (1-32 of a-z, 0-9, '-'); the hospital is checked against the
 * archive by the caller, here only that it is a short printable name.
 */
record OrRecordingRequest(String or, String flow, String hospital) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,32}");
    private static final Pattern HOSPITAL = Pattern.compile("[\\p{L}\\p{N}._ -]{1,64}");
    private static final Set<String> FIELDS = Set.of("or", "flow", "hospital");

    static OrRecordingRequest parse(String body) {
        JsonNode n;
        try {
            n = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiError(400, "bad-json", "the request body is not JSON");
        }
        if (n == null || !n.isObject()) {
            throw new ApiError(400, "bad-json", "the request body is a JSON object {\"or\", \"flow\", \"hospital\"}");
        }
        for (Iterator<String> names = n.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new ApiError(
                        400,
                        "bad-request",
                        "unknown field '" + printable(name) + "': the body has only 'or', 'flow' and 'hospital'");
            }
        }
        return new OrRecordingRequest(
                text(n, "or", NAME, "an OR id: 1-32 of a-z, 0-9, '-'"),
                text(n, "flow", NAME, "a flow name of the OR: 1-32 of a-z, 0-9, '-'"),
                text(n, "hospital", HOSPITAL, "a hospital id: 1-64 letters, digits, '.', '_', '-' or spaces"));
    }

    private static String text(JsonNode body, String field, Pattern rule, String what) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            throw new ApiError(400, "bad-request", "'" + field + "' is missing: " + what);
        }
        if (!v.isTextual()) {
            throw new ApiError(400, "bad-request", "'" + field + "' must be a string: " + what);
        }
        if (!rule.matcher(v.textValue()).matches()) {
            throw new ApiError(400, "bad-request", "'" + field + "' is not " + what);
        }
        return v.textValue();
    }

    /** A client's field name in a message: at most 40 characters, nothing that could forge a log line. */
    private static String printable(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
