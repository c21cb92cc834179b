package org.medsync.archive.catalog;

import java.util.List;

/**
 * A hospital and its archive policy.
 *
 * @param masterPolicy which archival master its recordings get
 * @param masterMinPsnr the lowest PSNR (dB) a re-encoded master may have against its source; lower fails the job
 * @param anonymizeRegions rectangles blurred in anonymized renditions, in fractions of the frame
 */
public record Hospital(
        String id, String name, MasterPolicy masterPolicy, double masterMinPsnr, List<Region> anonymizeRegions) {

    /** Which archival master a hospital keeps (docs/archive.md "Encoding"). */
    public enum MasterPolicy {
        /** Keep the uploaded stream when it is acceptable as it is; otherwise H.264 High 4:2:2. */
        KEEP("keep"),
        /** Always H.264 High 4:2:2 (10-bit for 10-bit sources). */
        H264_422("h264-422"),
        /** Always HEVC Main 4:2:2 10. */
        HEVC_422("hevc-422");

        private final String code;

        MasterPolicy(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        public static MasterPolicy of(String code) {
            for (MasterPolicy p : values()) {
                if (p.code.equals(code)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("unknown master policy '" + code + "': use keep, h264-422 or hevc-422");
        }
    }

    /** A rectangle in fractions (0..1) of the frame's width and height. */
    public record Region(double x, double y, double w, double h) {
        public Region {
            if (!(x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= 1.0000001 && y + h <= 1.0000001)) {
                throw new IllegalArgumentException("a region is x, y, w, h in fractions of the frame, inside it: " + x
                        + "," + y + "," + w + "," + h);
            }
        }
    }
}
