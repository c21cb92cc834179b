package org.medsync.rtv.control;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Typed access to parsed JSON with messages that name the field ("video.width is required"). Types are taken as
 * docs/rtv-control.md gives them, never coerced: a width sent as "1280" or a rate sent as 50 is refused, because a
 * sender that gets one type wrong may get the meaning wrong too.
 */
final class JsonFields {

    private JsonFields() {}

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object v, String name) {
        if (v instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalArgumentException(name + " must be a JSON object, not " + kind(v));
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
        throw new IllegalArgumentException(path + key + " must be a string, not " + kind(v));
    }

    static int integer(Map<String, Object> m, String key, String path) {
        Object v = required(m, key, path);
        if (v instanceof BigDecimal n) {
            try {
                return n.intValueExact();
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(path + key + " must be an integer, was " + n.toPlainString());
            }
        }
        throw new IllegalArgumentException(path + key + " must be an integer, not " + kind(v));
    }

    static int integer(Map<String, Object> m, String key, String path, int orElse) {
        return m.containsKey(key) ? integer(m, key, path) : orElse;
    }

    static boolean bool(Map<String, Object> m, String key, String path, boolean orElse) {
        if (!m.containsKey(key)) {
            return orElse;
        }
        if (required(m, key, path) instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException(path + key + " must be true or false, not " + kind(m.get(key)));
    }

    /** The JSON type of a value, for messages (the value itself may be long or patient data). */
    static String kind(Object v) {
        return switch (v) {
            case String s -> "a string";
            case BigDecimal n -> "a number";
            case Boolean b -> "a boolean";
            case List<?> l -> "an array";
            case Map<?, ?> o -> "an object";
            default -> "null";
        };
    }

    static List<?> array(Map<String, Object> m, String key, String path) {
        if (required(m, key, path) instanceof List<?> l) {
            return l;
        }
        throw new IllegalArgumentException(path + key + " must be an array, not " + kind(m.get(key)));
    }
}
