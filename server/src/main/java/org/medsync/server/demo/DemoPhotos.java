package org.medsync.server.demo;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.medsync.dicom.synthetic.SyntheticCtHead;
import org.medsync.photo.restore.simulate.Homography;
import org.medsync.server.auth.Accounts;
import org.medsync.server.photo.PhotoIntake;

/**
 * The demo's photo intake content: a phone photo of the synthetic CT head shown on a reading-room screen, sent by
 * the demo attending and attached to that study, so that a newcomer finds it processed (rectified, restored, filed as
 * a Secondary Capture in the CT study) in {@code #/photo} and in the worklist. Generated, never shipped; sent once
 * per data directory.
 */
public final class DemoPhotos {
    /** Slice of the CT head shown on the screen: through the ventricles, where a brain window has something to show. */
    static final int SLICE = 80;

    /** A brain window: level 40 HU, width 80 HU. */
    private static final double WINDOW_WIDTH_HU = 80;

    private static final double WINDOW_LOW_HU = 40 - WINDOW_WIDTH_HU / 2;

    static final int PHOTO_W = 1024;
    static final int PHOTO_H = 768;
    /** Where the screen's corners land in the photo (TL, TR, BR, BL): a phone held by hand, a little off-axis. */
    static final double[] CORNERS = {214, 96, 842, 128, 808, 704, 236, 668};

    private DemoPhotos() {}

    /** Sends the demo photo unless this data directory's demo already did. */
    public static void sendOnce(PhotoIntake photos, Accounts accounts, Path marker) throws IOException, SQLException {
        if (Files.exists(marker)) {
            return;
        }
        Accounts.User sender = accounts.find("attending")
                .orElseThrow(() -> new IllegalStateException("the demo's attending account is missing"));
        SyntheticCtHead.Options ct = SyntheticCtHead.Options.defaults();
        photos.accept(
                sender,
                List.of(new PhotoIntake.Upload(jpeg(), "demo-phone-photo.jpg")),
                "study:" + SyntheticCtHead.studyInstanceUid(ct),
                "Demo: a phone photo of the synthetic CT head on a reading-room screen");
        Files.createDirectories(marker.getParent());
        // Like every file under the data directory: the server's OS user only.
        Files.writeString(marker, "sent\n");
        Files.setPosixFilePermissions(marker, PosixFilePermissions.fromString("rw-------"));
    }

    /**
     * The photo as a phone would send it: the slice in a brain window (W 80, L 40) on a screen whose black glows a
     * little (so the screen's edge shows against the dark room, as the screen finder needs), seen in perspective,
     * with sensor noise, as a JPEG.
     */
    static byte[] jpeg() {
        SyntheticCtHead.Options ct = SyntheticCtHead.Options.defaults();
        int n = ct.size();
        float[] hu = SyntheticCtHead.sliceHu(ct, SLICE);
        float[] shown = new float[n * n];
        for (int i = 0; i < shown.length; i++) {
            double v = Math.clamp((hu[i] - WINDOW_LOW_HU) / WINDOW_WIDTH_HU, 0, 1);
            shown[i] = (float) (0.10 + 0.82 * v);
        }
        double[] source = {0, 0, n, 0, n, n, 0, n};
        Homography photoToScreen = Homography.fit(CORNERS, source);
        SplittableRandom noise = new SplittableRandom(15);
        BufferedImage img = new BufferedImage(PHOTO_W, PHOTO_H, BufferedImage.TYPE_BYTE_GRAY);
        byte[] out = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        double[] xy = new double[2];
        for (int y = 0; y < PHOTO_H; y++) {
            for (int x = 0; x < PHOTO_W; x++) {
                photoToScreen.map(x + 0.5, y + 0.5, xy);
                double v = (xy[0] >= 0 && xy[0] < n && xy[1] >= 0 && xy[1] < n)
                        ? bilinear(shown, n, xy[0] - 0.5, xy[1] - 0.5)
                        : 0.03 + 0.02 * y / PHOTO_H; // the dark room around the screen
                v += noise.nextGaussian() * 0.008;
                out[y * PHOTO_W + x] = (byte) Math.round(Math.clamp(v, 0, 1) * 255);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, "jpg", bytes)) {
                throw new IllegalStateException("this JDK has no JPEG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static double bilinear(float[] img, int n, double x, double y) {
        int x0 = (int) Math.floor(Math.clamp(x, 0, n - 1));
        int y0 = (int) Math.floor(Math.clamp(y, 0, n - 1));
        int x1 = Math.min(x0 + 1, n - 1);
        int y1 = Math.min(y0 + 1, n - 1);
        double fx = Math.clamp(x - x0, 0, 1);
        double fy = Math.clamp(y - y0, 0, 1);
        double top = img[y0 * n + x0] * (1 - fx) + img[y0 * n + x1] * fx;
        double bottom = img[y1 * n + x0] * (1 - fx) + img[y1 * n + x1] * fx;
        return top * (1 - fy) + bottom * fy;
    }
}
