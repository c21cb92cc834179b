package org.medsync.server.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.medsync.photo.decode.DecodedPhoto;
import org.medsync.photo.decode.PhotoDecoder;
import org.medsync.photo.quality.QualityGate;
import org.medsync.photo.quality.QualityReport;
import org.medsync.photo.rectify.ScreenFinder;
import org.medsync.photo.rectify.ScreenQuad;

/** The demo photo must pass the intake it demonstrates: found where it was put, and not sent back for a retake. */
class DemoPhotosTest {
    @Test
    void theDemoPhotoIsFoundWhereItWasPutAndPassesTheQualityGate() throws Exception {
        DecodedPhoto photo = new PhotoDecoder().decode(DemoPhotos.jpeg());
        ScreenQuad quad = new ScreenFinder().find(photo);
        double[][] found = quad.corners().toArray();
        for (int i = 0; i < 4; i++) {
            double d = Math.hypot(found[i][0] - DemoPhotos.CORNERS[2 * i], found[i][1] - DemoPhotos.CORNERS[2 * i + 1]);
            assertTrue(d < 3, "corner " + i + " found " + d + " px away");
        }
        QualityReport report = new QualityGate().judge(photo, quad);
        assertTrue(report.acceptable(), report.problems().toString());
    }
}
