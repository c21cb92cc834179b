package org.medsync.server.settings;

import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * Values of the server's configuration keys (docs/configuration.md) read one way wherever a key is read: an empty
 * value means the default, anything unreadable is an error that names the key and the value.
 */
public final class PropertyValues {
    private PropertyValues() {}

    /** A whole number, or {@code fallback} when the key is absent or blank. */
    public static int integer(Properties p, String key, int fallback) {
        long v = number(p, key, fallback);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + " is out of range: " + v);
        }
        return (int) v;
    }

    /** A whole number (long), or {@code fallback} when the key is absent or blank. */
    public static long number(Properties p, String key, long fallback) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not '" + v.trim() + "'");
        }
    }

    /** A comma-separated list, items trimmed, empty items dropped. */
    public static List<String> list(String s) {
        return Arrays.stream(s.split(","))
                .map(String::trim)
                .filter(x -> !x.isEmpty())
                .toList();
    }
}
