package org.medsync.archive.capacity;

import java.util.Locale;

/**
 * Byte counts for people: decimal units (GB = 10^9 B) as disks are sold, or binary (GiB = 2^30 B) as asked. Nothing
 * above PB, so national totals read in the paper's unit (2512.1 PB, not 2.5 EB).
 */
public final class Units {
    private static final String[] DECIMAL = {"B", "kB", "MB", "GB", "TB", "PB"};
    private static final String[] BINARY = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    private Units() {}

    /** e.g. 189.8 GB; one decimal, the unit chosen so the number is below 1000 (1024), up to PB. */
    public static String decimal(double bytes) {
        return format(bytes, 1000, DECIMAL);
    }

    public static String binary(double bytes) {
        return format(bytes, 1024, BINARY);
    }

    /** {@code bytes} in the decimal unit {@code unit} (GB, TB, PB...), e.g. for a fixed table column. */
    public static double in(double bytes, String unit) {
        for (int i = 0; i < DECIMAL.length; i++) {
            if (DECIMAL[i].equals(unit)) {
                return bytes / Math.pow(1000, i);
            }
            if (BINARY[i].equals(unit)) {
                return bytes / Math.pow(1024, i);
            }
        }
        throw new IllegalArgumentException("unknown unit '" + unit + "'");
    }

    private static String format(double bytes, double base, String[] units) {
        int i = 0;
        double v = bytes;
        while (Math.abs(v) >= base && i < units.length - 1) {
            v /= base;
            i++;
        }
        return String.format(Locale.ROOT, i == 0 ? "%.0f %s" : "%.1f %s", v, units[i]);
    }
}
