package org.medsync.photo.rectify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.medsync.photo.SyntheticPhoto;
import org.medsync.photo.decode.DecodedPhoto;
import org.medsync.photo.image.GrayImage;

/**
 * Golden rectification: a phantom warped by a known homography, defocused (sigma 0.6), noisy (sigma 0.01) and
 * JPEG-compressed (quality 95). The corners must be found within {@value #CORNER_TOLERANCE} px and the rectified
 * image must reach {@value #PSNR_FLOOR} dB against the phantom. The floor is what warping there and back with
 * bilinear interpolation plus the camera's blur, noise and JPEG leave (measured 33.1 dB) less a 3 dB margin;
 * corners 3 px off fall below it ({@link #misplacedCornersFallBelowTheFloor}).
 */
class RectificationTest {
    static final double CORNER_TOLERANCE = 2.0;
    static final double PSNR_FLOOR = 30.0;

    private final ScreenFinder finder = new ScreenFinder();
    private final Rectifier rectifier = new Rectifier();

    @Test
    void findsTheKnownCornersWithin2PixelsAndRectifiesAboveTheFloor() {
        SyntheticPhoto synthetic = new SyntheticPhoto();
        DecodedPhoto photo = synthetic.decoded();
        ScreenQuad quad = finder.find(photo);
        assertCornersNear(synthetic.corners(), quad.corners(), CORNER_TOLERANCE);
        assertTrue(quad.confidence() > 0.8, "confidence " + quad.confidence());
        GrayImage rectified = rectifier.rectify(photo, quad.corners(), 256, 256);
        double psnr = SyntheticPhoto.psnr(rectified, synthetic.source());
        System.out.printf("golden rectification: confidence %.3f, PSNR %.2f dB%n", quad.confidence(), psnr);
        assertTrue(psnr > PSNR_FLOOR, "PSNR " + psnr);
    }

    @Test
    void findsARotatedStrongPerspectiveQuad() {
        double[][] corners = {{260.4, 40.2}, {590.7, 180.9}, {420.3, 455.6}, {70.2, 300.1}};
        SyntheticPhoto synthetic = new SyntheticPhoto().corners(corners).seed(7).jpeg(85);
        ScreenQuad quad = finder.find(synthetic.decoded());
        assertCornersNear(corners, quad.corners(), CORNER_TOLERANCE);
    }

    @Test
    void misplacedCornersFallBelowTheFloor() {
        SyntheticPhoto synthetic = new SyntheticPhoto();
        DecodedPhoto photo = synthetic.decoded();
        double[][] exact = synthetic.corners();
        double good = SyntheticPhoto.psnr(rectifier.rectify(photo, Corners.of(exact), 256, 256), synthetic.source());
        System.out.printf("PSNR with exact corners %.2f dB%n", good);
        assertTrue(good > PSNR_FLOOR);
        double bad = 0;
        for (int px = 1; px <= 3; px++) {
            double[][] off = new double[4][];
            for (int i = 0; i < 4; i++) {
                // each corner moved px pixels in a different direction: a wrong quad, not a shifted one
                off[i] = new double[] {exact[i][0] + (i % 2 == 0 ? px : -px), exact[i][1] + (i < 2 ? px : -px)};
            }
            bad = SyntheticPhoto.psnr(rectifier.rectify(photo, Corners.of(off), 256, 256), synthetic.source());
            System.out.printf("PSNR with corners %d px off %.2f dB%n", px, bad);
        }
        assertTrue(bad < PSNR_FLOOR, "3 px off still gives " + bad);
    }

    @Test
    void aPhotoWithoutAScreenHasNoConfidence() {
        GrayImage flat = new GrayImage(64, 64, new float[64 * 64]);
        SyntheticPhoto synthetic = new SyntheticPhoto()
                .source(flat)
                .corners(new double[][] {{200, 150}, {260, 150}, {260, 210}, {200, 210}})
                .noise(0.02);
        ScreenQuad quad = finder.find(synthetic.decoded());
        assertTrue(quad.confidence() < 0.5, "confidence " + quad.confidence());
    }

    @Test
    void defaultSizeKeepsTheAspectWithTheLongerSide512() {
        Corners wide = Corners.of(new double[][] {{0, 0}, {400, 0}, {400, 300}, {0, 300}});
        assertEquals(new Rectifier.OutputSize(512, 384), Rectifier.defaultSize(wide));
        Corners tall = Corners.of(new double[][] {{0, 0}, {100, 0}, {100, 200}, {0, 200}});
        assertEquals(new Rectifier.OutputSize(256, 512), Rectifier.defaultSize(tall));
    }

    @Test
    void manualCornersAreChecked() {
        Corners counterClockwise = Corners.of(new double[][] {{0, 0}, {0, 300}, {400, 300}, {400, 0}});
        assertThrows(IllegalArgumentException.class, () -> counterClockwise.check(640, 480));
        Corners outside = Corners.of(new double[][] {{0, 0}, {700, 0}, {400, 300}, {0, 300}});
        assertThrows(IllegalArgumentException.class, () -> outside.check(640, 480));
        assertThrows(IllegalArgumentException.class, () -> Corners.of(new double[][] {{0, 0}, {1, 1}}));
        assertThrows(
                IllegalArgumentException.class,
                () -> Corners.of(new double[][] {{0, 0}, {Double.NaN, 0}, {1, 1}, {0, 1}}));
        Corners.of(new double[][] {{10, 10}, {400, 20}, {390, 300}, {20, 290}}).check(640, 480);
    }

    static void assertCornersNear(double[][] expected, Corners found, double tolerance) {
        double[][] f = found.toArray();
        for (int i = 0; i < 4; i++) {
            double d = Math.hypot(f[i][0] - expected[i][0], f[i][1] - expected[i][1]);
            System.out.printf(
                    "corner %d: expected (%.2f, %.2f) found (%.2f, %.2f), %.2f px%n",
                    i, expected[i][0], expected[i][1], f[i][0], f[i][1], d);
            assertTrue(d <= tolerance, "corner " + i + " is " + d + " px off");
        }
    }
}
