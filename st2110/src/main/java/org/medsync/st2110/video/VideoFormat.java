package org.medsync.st2110.video;

import java.util.Objects;
import org.medsync.st2110.timing.FrameRate;

/**
 * A negotiated ST 2110-20 video format, validated once. Supported: YCbCr 4:2:2, 8 or 10 bit,
 * progressive, BT.601/BT.709/BT.2020 colorimetry, even widths up to 32767 (1280x720 and
 * 1920x1080 at 50 and 59.94 Hz are the DICOM-RTV cases). Anything else is refused with an
 * {@link UnsupportedVideoFormatException} naming the value, never mapped silently to something else.
 *
 * <p>The pgroup (RFC 4175 section 4.3) for 4:2:2 covers 2 pixels: {@code Cb Y0 Cr Y1}, big-endian
 * bit-packed; 10 bit = 40 bits = 5 bytes, 8 bit = 4 bytes. A frame buffer is the frame's pgroups
 * in raster order without padding, which is GStreamer's UYVP (10 bit) and UYVY (8 bit) layout
 * whenever the line length is a multiple of 4 bytes (1280 and 1920 wide are).
 */
public record VideoFormat(int depth, int width, int height, FrameRate rate, Colorimetry colorimetry) {

    /** The only sampling supported. */
    public static final String SAMPLING = "YCbCr-4:2:2";
    /** Pixels per pgroup for 4:2:2. */
    public static final int PIXELS_PER_PGROUP = 2;

    /** Colorimetries ST 2110-20 names that we carry (they do not change the packing). */
    public enum Colorimetry {
        BT601,
        BT709,
        BT2020
    }

    public VideoFormat {
        if (depth != 8 && depth != 10) {
            throw new UnsupportedVideoFormatException("depth " + depth + " not supported; 8 or 10 bit");
        }
        if (width < PIXELS_PER_PGROUP || width > 32767 || width % PIXELS_PER_PGROUP != 0) {
            throw new UnsupportedVideoFormatException("width " + width + " not supported; even, 2..32767");
        }
        if (height < 1 || height > 32767) {
            throw new UnsupportedVideoFormatException("height " + height + " not supported; 1..32767");
        }
        Objects.requireNonNull(rate, "rate");
        Objects.requireNonNull(colorimetry, "colorimetry");
    }

    /**
     * From SDP / caps strings. Refuses any sampling but {@code YCbCr-4:2:2}, depths but 8/10,
     * colorimetry but BT601/BT709/BT2020, and interlaced video.
     */
    public static VideoFormat of(
            String sampling,
            String depth,
            int width,
            int height,
            FrameRate rate,
            String colorimetry,
            boolean interlaced) {
        if (!SAMPLING.equals(sampling)) {
            throw new UnsupportedVideoFormatException("sampling '" + sampling + "' not supported; only " + SAMPLING);
        }
        if (interlaced) {
            throw new UnsupportedVideoFormatException("interlaced video not supported; progressive only");
        }
        int d = switch (depth) {
            case "8" -> 8;
            case "10" -> 10;
            default -> throw new UnsupportedVideoFormatException("depth '" + depth + "' not supported; 8 or 10");
        };
        Colorimetry c;
        try {
            c = Colorimetry.valueOf(colorimetry);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new UnsupportedVideoFormatException(
                    "colorimetry '" + colorimetry + "' not supported; BT601, BT709 or BT2020");
        }
        return new VideoFormat(d, width, height, rate, c);
    }

    public static VideoFormat hd720p50x10() {
        return new VideoFormat(10, 1280, 720, FrameRate.FPS_50, Colorimetry.BT709);
    }

    public static VideoFormat hd1080p50x10() {
        return new VideoFormat(10, 1920, 1080, FrameRate.FPS_50, Colorimetry.BT709);
    }

    /** Bytes per pgroup: 5 (10 bit) or 4 (8 bit). */
    public int pgroupBytes() {
        return depth == 10 ? 5 : 4;
    }

    public int lineBytes() {
        return width / PIXELS_PER_PGROUP * pgroupBytes();
    }

    public int frameBytes() {
        return lineBytes() * height;
    }

    /** GStreamer's name for this raw layout. */
    public String gstreamerFormat() {
        return depth == 10 ? "UYVP" : "UYVY";
    }
}
