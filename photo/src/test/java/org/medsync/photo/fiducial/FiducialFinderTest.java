package org.medsync.photo.fiducial;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.perspectiveTransform;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_GRAYSCALE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgproc.getPerspectiveTransform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.javacpp.indexer.IntIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_objdetect.ArucoDetector;
import org.bytedeco.opencv.opencv_objdetect.Dictionary;
import org.bytedeco.opencv.opencv_objdetect.QRCodeDetector;
import org.junit.jupiter.api.Test;
import org.medsync.photo.SyntheticPhoto;
import org.medsync.photo.cv.Mats;
import org.medsync.photo.decode.DecodedPhoto;
import org.medsync.photo.image.GrayImage;
import org.medsync.photo.rectify.Corners;
import org.medsync.photo.rectify.Rectifier;

/**
 * Photo mode end to end in pixels: the frame the viewer draws (phantom, four marker tiles, QR), photographed at an
 * angle with defocus, noise and JPEG; the finder must give back the token and the image's corners within 1 px, and
 * the image rectified from them must match the phantom as well as with the true corners.
 */
class FiducialFinderTest {
    static final String TOKEN = "q3Zx_9-aBcDeFgHiJkLmNo";

    private final FiducialFinder finder = new FiducialFinder();

    @Test
    void recoversTheTokenAndTheExactImageCorners() {
        GrayImage phantom = SyntheticPhoto.phantom(256, 256);
        PhotoModeFrame.Layout layout = PhotoModeFrame.render(phantom, PhotoModeFrame.qrText(TOKEN), 48, 128, 0.1f);
        GrayImage frame = layout.frame();
        double[][] frameInPhoto = {{120.4, 18.7}, {545.2, 40.3}, {530.8, 468.9}, {100.6, 452.2}};
        SyntheticPhoto synthetic = new SyntheticPhoto()
                .source(frame)
                .corners(frameInPhoto)
                .size(640, 480)
                .noise(0.008);
        DecodedPhoto photo = synthetic.decoded();
        double[][] expected = imageCornersInPhoto(frame, frameInPhoto, layout, phantom);

        Optional<FiducialFix> fix = finder.find(photo);
        assertTrue(fix.isPresent(), "no fiducial fix");
        assertEquals(Optional.of(TOKEN), fix.get().token());
        double[][] found = fix.get().corners().toArray();
        for (int i = 0; i < 4; i++) {
            double d = Math.hypot(found[i][0] - expected[i][0], found[i][1] - expected[i][1]);
            System.out.printf(
                    "photo-mode corner %d: expected (%.2f, %.2f) found (%.2f, %.2f), %.2f px%n",
                    i, expected[i][0], expected[i][1], found[i][0], found[i][1], d);
            assertTrue(d < 1.0, "corner " + i + " is " + d + " px off");
        }
        Rectifier rectifier = new Rectifier();
        double psnr = SyntheticPhoto.psnr(rectifier.rectify(photo, fix.get().corners(), 256, 256), phantom);
        double truth = SyntheticPhoto.psnr(rectifier.rectify(photo, Corners.of(expected), 256, 256), phantom);
        System.out.printf("photo mode: PSNR %.2f dB from the markers, %.2f dB from the true corners%n", psnr, truth);
        assertTrue(psnr > truth - 1, "PSNR " + psnr + " vs " + truth);
    }

    @Test
    void aPhotoWithoutMarkersHasNoFix() {
        assertEquals(Optional.empty(), finder.find(new SyntheticPhoto().decoded()));
    }

    @Test
    void theMakersDrawWhatOpenCvReadsBack() {
        for (int id = 0; id < 4; id++) {
            try (Mat tile = decode(PhotoModeFrame.markerPng(id, 64));
                    Dictionary dict = PhotoModeFrame.dictionary();
                    ArucoDetector detector = new ArucoDetector(dict);
                    MatVector corners = new MatVector();
                    Mat ids = new Mat()) {
                assertEquals(64, tile.cols());
                detector.detectMarkers(tile, corners, ids);
                assertEquals(1, corners.size());
                try (IntIndexer idx = ids.createIndexer()) {
                    assertEquals(id, idx.get(0));
                }
            }
        }
        try (Mat qr = decode(PhotoModeFrame.qrPng(PhotoModeFrame.qrText(TOKEN), 200));
                QRCodeDetector detector = new QRCodeDetector();
                BytePointer text = detector.detectAndDecode(qr)) {
            assertEquals(200, qr.cols());
            assertEquals("MSPH1:" + TOKEN, text.getString());
        }
        assertThrows(IllegalArgumentException.class, () -> PhotoModeFrame.markerPng(4, 64));
        assertThrows(IllegalArgumentException.class, () -> PhotoModeFrame.markerPng(0, 60));
        assertThrows(IllegalArgumentException.class, () -> PhotoModeFrame.qrText("1.2.840.10008.5.1.4"));
        assertEquals(Optional.empty(), PhotoModeFrame.tokenOf("MSPH1:short"));
        assertEquals(Optional.of(TOKEN), PhotoModeFrame.tokenOf("MSPH1:" + TOKEN));
    }

    private static Mat decode(byte[] png) {
        try (BytePointer p = new BytePointer(png);
                Mat buf = new Mat(1, png.length, CV_8UC1, p)) {
            return imdecode(buf, IMREAD_GRAYSCALE);
        }
    }

    /** The image's outer corners in frame pixels, carried into the photo by the frame's homography. */
    private static double[][] imageCornersInPhoto(
            GrayImage frame, double[][] frameInPhoto, PhotoModeFrame.Layout layout, GrayImage image) {
        double[][] frameCorners = {
            {-0.5, -0.5},
            {frame.width() - 0.5, -0.5},
            {frame.width() - 0.5, frame.height() - 0.5},
            {-0.5, frame.height() - 0.5}
        };
        double x0 = layout.imageX() - 0.5;
        double y0 = layout.imageY() - 0.5;
        double[][] imageCorners = {
            {x0, y0}, {x0 + image.width(), y0}, {x0 + image.width(), y0 + image.height()}, {x0, y0 + image.height()}
        };
        try (Mat a = Mats.points(frameCorners);
                Mat b = Mats.points(frameInPhoto);
                Mat h = getPerspectiveTransform(a, b);
                Mat in = Mats.points(imageCorners);
                Mat out = new Mat()) {
            perspectiveTransform(in, out, h);
            double[][] r = new double[4][2];
            try (FloatIndexer idx = out.createIndexer()) {
                for (int k = 0; k < 4; k++) {
                    r[k][0] = idx.get(k, 0, 0);
                    r[k][1] = idx.get(k, 0, 1);
                }
            }
            return r;
        }
    }
}
