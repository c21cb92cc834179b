package org.medsync.archive.capacity;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A storage-model question as the web page and the command ask it (docs/archive-api.md, "Storage model"): named
 * parameters, each optional, the paper's value by default. Either {@code preset} (an id of the {@link RateTable}) or
 * {@code rate} (Mb/s); either {@code minutes} a surgery or {@code hoursPerDay} per OR (which sets the minutes).
 */
public record StorageQuestion(StorageModel model, RateTable.Preset preset, int horizonYears) {
    public static final Set<String> KEYS = Set.of(
            "hospitals",
            "ors",
            "surgeriesPerDay",
            "minutes",
            "hoursPerDay",
            "preset",
            "rate",
            "years",
            "copies",
            "encrypted",
            "horizon");

    private static final int MAX_VALUE_LENGTH = 40;

    /** Rejects unknown names, repeated meanings and values that are not numbers, naming the parameter. */
    public static StorageQuestion parse(Map<String, String> params, RateTable table) {
        Set<String> unknown = new TreeSet<>(params.keySet());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown parameter(s) " + unknown + "; known: " + new TreeSet<>(KEYS));
        }
        if (params.containsKey("preset") && params.containsKey("rate")) {
            throw new IllegalArgumentException("give a preset or a rate, not both");
        }
        if (params.containsKey("minutes") && params.containsKey("hoursPerDay")) {
            throw new IllegalArgumentException("give minutes (a surgery) or hoursPerDay (an OR), not both");
        }
        int hospitals = integer(params, "hospitals", PaperCheck.HOSPITALS);
        int ors = integer(params, "ors", PaperCheck.ORS);
        double surgeries = number(params, "surgeriesPerDay", PaperCheck.SURGERIES_PER_OR_PER_DAY);
        double minutes = params.containsKey("hoursPerDay")
                ? number(params, "hoursPerDay", 0) * 60 / surgeries
                : number(params, "minutes", PaperCheck.impliedMinutes());
        RateTable.Preset preset;
        if (params.containsKey("rate")) {
            double rate = number(params, "rate", 0);
            preset = new RateTable.Preset(
                    "custom", String.format(Locale.ROOT, "%s Mb/s", params.get("rate")), rate, Double.NaN, Double.NaN);
        } else {
            String id = params.getOrDefault("preset", RateTable.PAPER);
            if (id.length() > MAX_VALUE_LENGTH) {
                throw new IllegalArgumentException("preset: at most " + MAX_VALUE_LENGTH + " characters");
            }
            preset = table.require(id);
        }
        double years = number(params, "years", PaperCheck.retentionYears());
        int copies = integer(params, "copies", 1);
        boolean encrypted = switch (params.getOrDefault("encrypted", "false")) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("encrypted: true or false");
        };
        int horizon = integer(params, "horizon", (int) Math.min(1000, Math.ceil(years * 1.5)));
        StorageModel model = new StorageModel(
                hospitals, ors, surgeries, minutes, preset.megabitsPerSecond(), years, copies, encrypted);
        if (horizon < 1 || horizon > 1000) {
            throw new IllegalArgumentException("horizon: from 1 to 1000 years");
        }
        return new StorageQuestion(model, preset, horizon);
    }

    private static String raw(Map<String, String> params, String key) {
        String v = params.get(key);
        if (v.length() > MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException(key + ": at most " + MAX_VALUE_LENGTH + " characters");
        }
        return v.strip();
    }

    private static double number(Map<String, String> params, String key, double otherwise) {
        if (!params.containsKey(key)) {
            return otherwise;
        }
        String v = raw(params, key);
        // Double.parseDouble also takes "NaN", "Infinity" and hex floats: a form field means a plain decimal.
        if (!v.matches("[0-9]{1,12}(\\.[0-9]{1,12})?")) {
            throw new IllegalArgumentException(key + ": expected a number such as 3.2, got '" + v + "'");
        }
        return Double.parseDouble(v);
    }

    private static int integer(Map<String, String> params, String key, int otherwise) {
        if (!params.containsKey(key)) {
            return otherwise;
        }
        String v = raw(params, key);
        if (!v.matches("[0-9]{1,9}")) {
            throw new IllegalArgumentException(key + ": expected a whole number, got '" + v + "'");
        }
        return Integer.parseInt(v);
    }
}
