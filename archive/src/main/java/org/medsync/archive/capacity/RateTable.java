package org.medsync.archive.capacity;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The bit rates the storage model may assume: the paper's nominal H.264 at 6 Mb/s, and every row of our own
 * rate-quality benchmark ({@code scripts/bench archive}, docs/img/archive-rate-quality.csv, shipped as the resource
 * {@code rate-quality.csv} next to this class), so a hospital plans with rates that were measured, not guessed.
 */
public final class RateTable {
    /** The id of the paper's assumption: 1080p H.264 at exactly 6 Mb/s. */
    public static final String PAPER = "paper-h264-6m";

    private static final String HEADER = "encoder,preset,crf,bitrate_kbps,gb_per_hour,psnr_db,ssim,encode_x_realtime";

    /**
     * One rate the model can use. {@code psnrDb} and {@code ssim} are NaN for the paper's nominal rate, which was
     * never measured as such (the benchmark's 6 Mb/s row is {@code x264-veryfast-6m}).
     */
    public record Preset(String id, String label, double megabitsPerSecond, double psnrDb, double ssim) {
        public Preset {
            if (!(megabitsPerSecond > 0) || Double.isInfinite(megabitsPerSecond)) {
                throw new IllegalArgumentException(id + ": rate must be a positive number of Mb/s");
            }
        }

        /** Decimal gigabytes (10^9 B) per hour of video. */
        public double gigabytesPerHour() {
            return megabitsPerSecond * 1e6 / 8 * 3600 / 1e9;
        }
    }

    private final List<Preset> presets;

    private RateTable(List<Preset> presets) {
        this.presets = List.copyOf(presets);
    }

    /** The table this build ships. */
    public static RateTable shipped() {
        try (InputStream in = RateTable.class.getResourceAsStream("rate-quality.csv")) {
            if (in == null) {
                throw new IllegalStateException("rate-quality.csv is missing from the class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses a benchmark table: {@code # key: value} lines, the header {@value #HEADER}, then one row per encode;
     * an empty crf is a fixed-rate encode, named by its nominal rate. Rejects anything else, naming the line.
     */
    public static RateTable parse(String text) {
        List<Preset> out = new ArrayList<>();
        out.add(new Preset(PAPER, "paper: H.264 1080p at 6 Mb/s (nominal)", 6.0, Double.NaN, Double.NaN));
        boolean header = false;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            String where = "rate table line " + (i + 1) + ": ";
            if (line.isEmpty() || (!header && line.startsWith("#"))) {
                continue;
            }
            if (!header) {
                if (!line.equals(HEADER)) {
                    throw new IllegalArgumentException(where + "expected the header '" + HEADER + "'");
                }
                header = true;
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length != 8) {
                throw new IllegalArgumentException(where + "expected 8 comma-separated fields, got " + f.length);
            }
            String codec = switch (f[0]) {
                case "libx264" -> "x264";
                case "libx265" -> "x265";
                default -> throw new IllegalArgumentException(where + "unknown encoder '" + f[0] + "'");
            };
            if (!f[1].matches("[a-z]{1,16}")) {
                throw new IllegalArgumentException(where + "preset must be lower-case letters");
            }
            double kbps = number(where, "bitrate_kbps", f[3]);
            String id;
            String label;
            if (f[2].isEmpty()) {
                // A fixed-rate encode comes out at or a little below what it asked (the benchmark asks whole Mb/s:
                // 6000 kb/s gave 5467), so the next whole Mb/s names the rate it asked for.
                long nominalMbps = (long) Math.ceil(kbps / 1000);
                id = codec + "-" + f[1] + "-" + nominalMbps + "m";
                label = codec + " " + f[1] + " at " + nominalMbps + " Mb/s (measured "
                        + String.format(Locale.ROOT, "%.2f", kbps / 1000) + ")";
            } else {
                int crf = (int) number(where, "crf", f[2]);
                if (crf != number(where, "crf", f[2]) || crf < 0 || crf > 51) {
                    throw new IllegalArgumentException(where + "crf must be an integer from 0 to 51");
                }
                id = codec + "-" + f[1] + "-crf" + crf;
                label = codec + " " + f[1] + " CRF " + crf;
            }
            if (out.stream().anyMatch(p -> p.id().equals(id))) {
                throw new IllegalArgumentException(where + "a second row for " + id);
            }
            out.add(new Preset(id, label, kbps / 1000, number(where, "psnr_db", f[5]), number(where, "ssim", f[6])));
        }
        if (!header) {
            throw new IllegalArgumentException("rate table: no header '" + HEADER + "'");
        }
        return new RateTable(out);
    }

    private static double number(String where, String field, String s) {
        try {
            double v = Double.parseDouble(s);
            if (!Double.isFinite(v) || v < 0) {
                throw new IllegalArgumentException(where + field + " must be a non-negative number, got '" + s + "'");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + field + " is not a number: '" + s + "'", e);
        }
    }

    public List<Preset> presets() {
        return presets;
    }

    public Optional<Preset> find(String id) {
        return presets.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /** The preset, or a message listing the ones there are. */
    public Preset require(String id) {
        return find(id).orElseThrow(() -> new IllegalArgumentException("unknown preset '" + id + "'; one of "
                + String.join(", ", presets.stream().map(Preset::id).toList())));
    }
}
