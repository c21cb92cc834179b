package org.medsync.photo.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.medsync.photo.SyntheticPhoto;
import org.medsync.photo.decode.DecodedPhoto;
import org.medsync.photo.rectify.Corners;
import org.medsync.photo.rectify.ScreenFinder;
import org.medsync.photo.rectify.ScreenQuad;

/** Each retake reason on a synthetic photo made to have exactly that problem, and a good photo that passes. */
class QualityGateTest {
    private final QualityGate gate = new QualityGate();
    private final ScreenFinder finder = new ScreenFinder();

    private QualityReport judge(SyntheticPhoto synthetic, String label) {
        DecodedPhoto photo = synthetic.decoded();
        QualityReport report = gate.judge(photo, finder.find(photo));
        System.out.println(label + ": " + report.measurements() + " -> " + codes(report));
        return report;
    }

    @Test
    void aGoodPhotoIsAccepted() {
        QualityReport report = judge(new SyntheticPhoto(), "good");
        assertTrue(report.acceptable(), report.problems().toString());
        assertTrue(report.measurements().blur() < QualityGate.MAX_BLUR);
    }

    @Test
    void aBlurredPhotoIsRefusedForBlur() {
        QualityReport report = judge(new SyntheticPhoto().blur(2.5), "blurred sigma 2.5");
        assertEquals(List.of("blur"), codes(report));
        QualityProblem blur = report.problems().getFirst();
        assertTrue(blur.measured() > blur.limit());
        assertTrue(blur.message().startsWith("Too blurred"), blur.message());
    }

    @Test
    void aGlaredPhotoIsRefusedForGlare() {
        QualityReport report = judge(new SyntheticPhoto().glare(0.9), "glare peak 0.9");
        assertEquals(List.of("glare"), codes(report));
        assertTrue(report.problems().getFirst().message().startsWith("Glare"));
    }

    @Test
    void aSmallImageInTheFrameIsRefusedAsTooSmall() {
        double[][] small = {{250, 170}, {450, 175}, {445, 370}, {255, 365}};
        QualityReport report = judge(new SyntheticPhoto().corners(small), "small");
        assertEquals(List.of("too-small"), codes(report));
    }

    @Test
    void anObliquePhotoIsRefusedAsOblique() {
        double[][] oblique = {{150, 120}, {560, 20}, {560, 460}, {150, 360}};
        QualityReport report = judge(new SyntheticPhoto().corners(oblique), "oblique");
        assertTrue(codes(report).contains("oblique"), codes(report).toString());
        assertTrue(report.measurements().foreshortening() < QualityGate.MIN_FORESHORTENING);
    }

    @Test
    void unsureCornersAreReportedAsLowConfidence() {
        DecodedPhoto photo = new SyntheticPhoto().decoded();
        ScreenQuad guess =
                new ScreenQuad(Corners.of(new double[][] {{100, 50}, {540, 50}, {540, 430}, {100, 430}}), 0.2);
        QualityReport report = gate.judge(photo, guess);
        assertTrue(codes(report).contains("low-confidence"), codes(report).toString());
    }

    /**
     * The measured blur as the camera defocuses: it grows until the detail is gone (beyond that noise and JPEG
     * dominate and it levels off, still above the limit); the limit lies between 1 and 1.5 pixels of defocus.
     */
    @Test
    void blurGrowsWithDefocus() {
        double previous = -1;
        for (double sigma : new double[] {0.6, 1.0, 1.5, 2.0, 2.5}) {
            double blur = judge(new SyntheticPhoto().blur(sigma), "defocus sigma " + sigma)
                    .measurements()
                    .blur();
            assertTrue(blur > previous, "blur " + blur + " at sigma " + sigma + " not above " + previous);
            assertEquals(sigma > 1.2, blur > QualityGate.MAX_BLUR, "blur " + blur + " at sigma " + sigma);
            previous = blur;
        }
        double gone = judge(new SyntheticPhoto().blur(3.5), "defocus sigma 3.5")
                .measurements()
                .blur();
        assertTrue(gone > QualityGate.MAX_BLUR, "blur " + gone);
    }

    private static List<String> codes(QualityReport report) {
        return report.problems().stream().map(QualityProblem::code).toList();
    }
}
