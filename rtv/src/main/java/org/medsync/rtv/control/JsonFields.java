package org.medsync.rtv.control;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** Typed access to parsed JSON with messages that name the field ("video.width is required"). */
final class JsonFields {

    private JsonFields() {}

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object v, String name) {
        if (v instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalArgumentException(name + " must be a JSON object");
    }

    static Map<String, Object> object(Map<String, Object> m, String key, String path) {
        return object(required(m, key, path), path + key);
    }

    static Object required(Map<String, Object> m, String key, String path) {
        Object v = m.get(key);
        if (v == null || v == Json.NULL) {
            throw new IllegalArgumentException(path + key + " is required");
        }
        return v;
    }

    static String string(Map<String, Object> m, String key, String path) {
        Object v = required(m, key, path);
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof BigDecimal n) {
            return n.toPlainString();
        }
        throw new IllegalArgumentException(path + key + " must be a string");
    }

    static int integer(Map<String, Object> m, String key, String path) {
        Object v = required(m, key, path);
        try {
            if (v instanceof BigDecimal n) {
                return n.intValueExact();
            }
            if (v instanceof String s) {
                return Integer.parseInt(s);
            }
        } catch (ArithmeticException | NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException(path + key + " must be an integer");
    }

    static int integer(Map<String, Object> m, String key, String path, int orElse) {
        return m.containsKey(key) ? integer(m, key, path) : orElse;
    }

    static List<?> array(Map<String, Object> m, String key, String path) {
        if (required(m, key, path) instanceof List<?> l) {
            return l;
        }
        throw new IllegalArgumentException(path + key + " must be an array");
    }
}
