package org.medsync.rtv.configurator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads JSON input field by field so that every refusal names the field: "receivers[0].overlay.zone must
 * be 1..9 (3x3 grid, row by row), not 12". Jackson data binding would say "Cannot deserialize...".
 */
final class Input {
    static final ObjectMapper JSON = new ObjectMapper();

    private Input() {}

    static JsonNode parse(String text, String what) throws ConfigException {
        try {
            JsonNode n = JSON.readTree(text);
            if (n == null || n.isMissingNode()) {
                throw new ConfigException(what + " is empty");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new ConfigException(what + " is not valid JSON: " + e.getOriginalMessage() + " (line "
                    + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")");
        }
    }

    static ObjectNode object(JsonNode n, String path) throws ConfigException {
        if (n == null || !n.isObject()) {
            throw new ConfigException(path + " must be a JSON object");
        }
        return (ObjectNode) n;
    }

    /** Missing or null: {@code null}. */
    static JsonNode optional(JsonNode parent, String field) {
        JsonNode n = parent == null ? null : parent.get(field);
        return n == null || n.isNull() ? null : n;
    }

    static String text(JsonNode parent, String field, String path, String fallback) throws ConfigException {
        JsonNode n = optional(parent, field);
        if (n == null) {
            return fallback;
        }
        if (!n.isTextual()) {
            throw new ConfigException(at(path, field) + " must be a string");
        }
        return n.asText();
    }

    static String requiredText(JsonNode parent, String field, String path) throws ConfigException {
        String s = text(parent, field, path, null);
        if (s == null || s.isBlank()) {
            throw new ConfigException(at(path, field) + " is required");
        }
        return s.strip();
    }

    static int integer(JsonNode parent, String field, String path, Integer fallback, int min, int max)
            throws ConfigException {
        JsonNode n = optional(parent, field);
        if (n == null) {
            if (fallback == null) {
                throw new ConfigException(at(path, field) + " is required");
            }
            return fallback;
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber()) {
            throw new ConfigException(at(path, field) + " must be an integer, not " + n);
        }
        int v = n.intValue();
        if (v < min || v > max) {
            throw new ConfigException(at(path, field) + " must be " + min + ".." + max + ", not " + v);
        }
        return v;
    }

    /** An http(s) URL of a device control port, without a trailing slash. */
    static URI controlUri(JsonNode parent, String field, String path) throws ConfigException {
        String s = requiredText(parent, field, path);
        try {
            URI u = new URI(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
                throw new ConfigException(
                        at(path, field) + " must be an http:// URL of the device control port, not \"" + s + "\"");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new ConfigException(at(path, field) + " is not a URL: \"" + s + "\"");
        }
    }

    static <T> List<T> list(JsonNode parent, String field, String path, Element<T> element) throws ConfigException {
        JsonNode n = optional(parent, field);
        if (n == null) {
            return null;
        }
        if (!n.isArray()) {
            throw new ConfigException(at(path, field) + " must be a JSON array");
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            out.add(element.read(n.get(i), at(path, field) + "[" + i + "]"));
        }
        return out;
    }

    static String at(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    /** Reads one array element at {@code path}. */
    @FunctionalInterface
    interface Element<T> {
        T read(JsonNode node, String path) throws ConfigException;
    }
}
