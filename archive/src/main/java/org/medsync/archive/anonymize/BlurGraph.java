package org.medsync.archive.anonymize;

import java.util.List;
import java.util.Locale;
import org.medsync.archive.catalog.Hospital;

/**
 * The FFmpeg filter graph that blurs a hospital's identifying regions (a device's patient banner) out of every
 * frame. Regions are fractions of the frame, so the same configuration holds at every size; each is cut out, blurred
 * as hard as boxblur allows (radius half the region's short side, applied three times: text of any size becomes a
 * smear), and laid back at the same place. The rest of the frame passes untouched.
 */
public final class BlurGraph {
    /** The label of the graph's output, for {@code -map}. */
    public static final String OUTPUT = "[anon]";

    private BlurGraph() {}

    /** The graph from input {@code [0:v]} to {@link #OUTPUT}, in 8-bit 4:2:0 for the H.264 copy. */
    public static String of(List<Hospital.Region> regions) {
        StringBuilder g = new StringBuilder("[0:v]format=yuv420p");
        if (regions.isEmpty()) {
            return g.append(OUTPUT).toString();
        }
        int n = regions.size();
        g.append(",split=").append(n + 1).append("[base]");
        for (int i = 0; i < n; i++) {
            g.append("[src").append(i).append(']');
        }
        for (int i = 0; i < n; i++) {
            Hospital.Region r = regions.get(i);
            // Even sizes and offsets: 4:2:0 chroma is subsampled by two, and crop/overlay round odd ones unevenly.
            g.append(";[src")
                    .append(i)
                    .append("]crop=w=")
                    .append(size("iw", r.w()))
                    .append(":h=")
                    .append(size("ih", r.h()))
                    .append(":x=")
                    .append(even("iw", r.x()))
                    .append(":y=")
                    .append(even("ih", r.y()))
                    .append(",boxblur=luma_radius='max(1,min(w,h)/2-1)':luma_power=3")
                    .append(":chroma_radius='max(1,min(cw,ch)/2-1)':chroma_power=3")
                    .append("[blur")
                    .append(i)
                    .append(']');
        }
        String previous = "[base]";
        for (int i = 0; i < n; i++) {
            Hospital.Region r = regions.get(i);
            String out = i == n - 1 ? OUTPUT : "[over" + i + "]";
            g.append(';')
                    .append(previous)
                    .append("[blur")
                    .append(i)
                    .append("]overlay=x=")
                    .append(even("main_w", r.x()))
                    .append(":y=")
                    .append(even("main_h", r.y()))
                    .append(out);
            previous = out;
        }
        return g.toString();
    }

    /** An offset: {@code fraction} of a dimension, rounded down to an even number of pixels. */
    private static String even(String dimension, double fraction) {
        return "'trunc(" + dimension + "*" + String.format(Locale.ROOT, "%.6f", fraction) + "/2)*2'";
    }

    /**
     * A size: as {@link #even}, at least 8 pixels, so boxblur's chroma plane (half the size) still has a radius
     * of at least 1.
     */
    private static String size(String dimension, double fraction) {
        return "'max(8,trunc(" + dimension + "*" + String.format(Locale.ROOT, "%.6f", fraction) + "/2)*2)'";
    }
}
