package org.medsync.photo.quality;

import java.util.ArrayList;
import java.util.List;
import org.medsync.photo.decode.DecodedPhoto;
import org.medsync.photo.image.GrayImage;
import org.medsync.photo.rectify.Corners;
import org.medsync.photo.rectify.Rectifier;
import org.medsync.photo.rectify.ScreenQuad;

/**
 * Judges a photo before anyone waits for a restore. Blur and glare are measured on the image region rectified to
 * the pipeline's working size ({@link Rectifier#defaultSize}) or its size in the photo if smaller, because that is
 * the resolution restoration and reading see: a slightly soft 12-megapixel photo is sharp at 512 pixels. The limits and how they were chosen:
 * docs/photo-intake.md, "Quality gate".
 */
public final class QualityGate {
    /**
     * Blur (Crété-Roffet et al. 2007, "The blur effect"): the share of the image's neighbour differences that a
     * further 9-pixel box blur leaves; 0 sharp, 1 no detail. Worse above the limit.
     */
    public static final double MAX_BLUR = 0.47;
    /** Share of the image region that is clipped white in patches wider than 5 pixels. */
    public static final double MAX_GLARE = 0.02;
    /** Shorter over longer opposite side, the smaller ratio (1 = straight on). Worse below the limit. */
    public static final double MIN_FORESHORTENING = 0.7;
    /** The image region's shorter side in photo pixels. Worse below the limit. */
    public static final double MIN_SHORTER_SIDE = 300;
    /** {@link ScreenQuad#confidence()} below which the corners should be confirmed by hand. */
    public static final double MIN_CONFIDENCE = 0.5;
    /**
     * Neighbour differences up to this size are sensor noise, not detail: without this allowance a noisy photo of
     * a blurred screen still looks sharp (2 of 255 levels, twice the noise of a phone photo of a lit screen).
     */
    static final double NOISE_STEP = 2 / 255.0;
    /** Luma at or above which a pixel counts as clipped. */
    static final float CLIPPED = 0.97f;

    private final Rectifier rectifier = new Rectifier();

    public QualityReport judge(DecodedPhoto photo, ScreenQuad quad) {
        Corners corners = quad.corners();
        GrayImage region = rectifier.rectify(photo, corners, workingSize(corners));
        double blur = blur(region);
        double glare = glare(region);
        double foreshortening = corners.foreshortening();
        double shorterSide = Math.min(corners.meanWidth(), corners.meanHeight());
        double confidence = quad.confidence();
        List<QualityProblem> problems = new ArrayList<>();
        if (confidence < MIN_CONFIDENCE) {
            problems.add(new QualityProblem(
                    "low-confidence",
                    confidence,
                    MIN_CONFIDENCE,
                    "The image's edges were not found reliably: photograph the whole image straight on, or mark"
                            + " its four corners by hand"));
        }
        if (shorterSide < MIN_SHORTER_SIDE) {
            problems.add(new QualityProblem(
                    "too-small",
                    shorterSide,
                    MIN_SHORTER_SIDE,
                    "The image is too small in the photo: move closer so that it fills most of the frame"));
        }
        if (foreshortening < MIN_FORESHORTENING) {
            problems.add(new QualityProblem(
                    "oblique",
                    foreshortening,
                    MIN_FORESHORTENING,
                    "Taken too much from the side: hold the phone parallel to the screen, facing it"));
        }
        if (blur > MAX_BLUR) {
            problems.add(new QualityProblem(
                    "blur", blur, MAX_BLUR, "Too blurred: hold the phone still and tap to focus on the screen"));
        }
        if (glare > MAX_GLARE) {
            problems.add(new QualityProblem(
                    "glare",
                    glare,
                    MAX_GLARE,
                    "Glare on the screen: tilt the phone a little or dim the lights behind you so that no"
                            + " reflection falls on the image"));
        }
        return new QualityReport(
                problems, new QualityReport.Measurements(blur, glare, foreshortening, shorterSide, confidence));
    }

    /**
     * The pipeline's working size, but never larger than the region is in the photo: upsampling would make a sharp
     * but small image look blurred, which is the too-small problem, not blur.
     */
    static Rectifier.OutputSize workingSize(Corners corners) {
        Rectifier.OutputSize working = Rectifier.defaultSize(corners);
        double shrink = Math.min(
                1, Math.max(corners.meanWidth(), corners.meanHeight()) / Math.max(working.width(), working.height()));
        return new Rectifier.OutputSize(Math.max(16, (int) Math.round(working.width() * shrink)), Math.max(16, (int)
                Math.round(working.height() * shrink)));
    }

    /** The blur effect, the worse of the horizontal and the vertical direction. */
    static double blur(GrayImage image) {
        return Math.max(blur(image, true), blur(image, false));
    }

    private static double blur(GrayImage image, boolean horizontal) {
        int along = horizontal ? image.width() : image.height();
        int across = horizontal ? image.height() : image.width();
        if (along < 12) {
            return 1;
        }
        float[] f = new float[along];
        float[] b = new float[along];
        double sumF = 0;
        double sumV = 0;
        for (int line = 0; line < across; line++) {
            for (int i = 0; i < along; i++) {
                f[i] = horizontal ? image.at(i, line) : image.at(line, i);
            }
            double window = 0;
            for (int i = 0; i < 9; i++) {
                window += f[i];
            }
            for (int i = 4; i < along - 4; i++) {
                b[i] = (float) (window / 9);
                if (i + 5 < along) {
                    window += f[i + 5] - f[i - 4];
                }
            }
            for (int i = 5; i < along - 4; i++) {
                double df = Math.max(0, Math.abs(f[i] - f[i - 1]) - NOISE_STEP);
                double db = Math.max(0, Math.abs(b[i] - b[i - 1]) - NOISE_STEP);
                sumF += df;
                sumV += Math.max(0, df - db);
            }
        }
        return sumF <= 1e-9 ? 1 : (sumF - sumV) / sumF;
    }

    /**
     * Clipped share after a 5x5 opening (erode then dilate) of the clipped mask: thin white text, cursor and
     * annotation lines vanish, a reflection's blob stays.
     */
    static double glare(GrayImage image) {
        int w = image.width();
        int h = image.height();
        boolean[] clipped = new boolean[w * h];
        for (int i = 0; i < clipped.length; i++) {
            clipped[i] = image.pixels()[i] >= CLIPPED;
        }
        boolean[] opened = dilate(erode(clipped, w, h), w, h);
        int n = 0;
        for (boolean c : opened) {
            if (c) {
                n++;
            }
        }
        return (double) n / clipped.length;
    }

    private static boolean[] erode(boolean[] m, int w, int h) {
        return morph(morph(m, w, h, 1, 0, true), w, h, 0, 1, true);
    }

    private static boolean[] dilate(boolean[] m, int w, int h) {
        return morph(morph(m, w, h, 1, 0, false), w, h, 0, 1, false);
    }

    /** A 5-pixel line erosion ({@code all}) or dilation along (dx, dy); outside the image counts as not clipped. */
    private static boolean[] morph(boolean[] m, int w, int h, int dx, int dy, boolean all) {
        boolean[] out = new boolean[m.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean v = all;
                for (int k = -2; k <= 2; k++) {
                    int xx = x + k * dx;
                    int yy = y + k * dy;
                    boolean s = xx >= 0 && yy >= 0 && xx < w && yy < h && m[yy * w + xx];
                    if (all ? !s : s) {
                        v = !all;
                        break;
                    }
                }
                out[y * w + x] = v;
            }
        }
        return out;
    }
}
