package org.medsync.dicom.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsync.dicom.DicomFiles;
import org.medsync.dicom.DicomInstance;
import org.medsync.dicom.render.DecodedFrame;
import org.medsync.dicom.render.DicomRender;

class SyntheticCtHeadTest {

    @TempDir
    static Path dir;

    static List<Path> files;
    static long millis;

    @BeforeAll
    static void generate() throws Exception {
        long t0 = System.nanoTime();
        files = SyntheticCtHead.write(dir.resolve("a"), SyntheticCtHead.Options.defaults());
        millis = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("synthetic CT head: 144 slices written in " + millis + " ms");
    }

    @Test
    void write_defaults_gives144ReadableCtSlices() throws Exception {
        assertEquals(144, files.size());
        DicomInstance first = DicomFiles.readHeader(files.getFirst());
        assertEquals("CT", first.modality());
        assertEquals("1.2.840.10008.5.1.4.1.1.2", first.sopClassUid());
        assertEquals("1.2.840.10008.1.2.1", first.transferSyntaxUid());
        assertEquals("SYNTHETIC^CT HEAD", first.patientName());
        assertEquals("SYNTH-CT-0001", first.patientId());
        assertEquals(512, first.rows());
        for (Path p : files) {
            DicomInstance h = DicomFiles.readHeader(p);
            assertEquals(first.seriesInstanceUid(), h.seriesInstanceUid());
        }
        long t0 = System.nanoTime();
        int reads = 0;
        for (int round = 0; round < 5; round++) {
            for (Path p : files) {
                DicomFiles.readHeader(p);
                reads++;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
                "readHeader: %d reads of 512x512 CT in %.3f s = %.0f files/s%n", reads, seconds, reads / seconds);
        DicomFiles.validate(files.get(71));
        assertTrue(millis < 20_000, "generation took " + millis + " ms");
    }

    @Test
    void write_twice_givesSameUids() throws Exception {
        List<Path> again = SyntheticCtHead.write(dir.resolve("b"), new SyntheticCtHead.Options(4, 64, 1L));
        List<Path> other = SyntheticCtHead.write(dir.resolve("c"), new SyntheticCtHead.Options(4, 64, 2L));
        DicomInstance a = DicomFiles.readHeader(files.getFirst());
        DicomInstance b = DicomFiles.readHeader(again.getFirst());
        assertEquals(a.studyInstanceUid(), b.studyInstanceUid());
        assertEquals(a.sopInstanceUid(), b.sopInstanceUid());
        assertTrue(a.studyInstanceUid().startsWith("2.25."));
        assertNotEquals(
                a.studyInstanceUid(), DicomFiles.readHeader(other.getFirst()).studyInstanceUid());
        assertEquals(Files.readAllBytes(again.get(2)).length, Files.readAllBytes(again.get(2)).length);
    }

    /** Mean HU in a small square around (x, y) mm, through the DICOM file and the decoder. */
    private static double meanHu(DecodedFrame f, double xMm, double yMm, int halfPixels) {
        double spacing = SyntheticCtHead.FIELD_OF_VIEW_MM / f.columns();
        int c0 = (int) Math.round(xMm / spacing + (f.columns() - 1) / 2.0);
        int r0 = (int) Math.round(yMm / spacing + (f.rows() - 1) / 2.0);
        double sum = 0;
        int n = 0;
        for (int r = r0 - halfPixels; r <= r0 + halfPixels; r++) {
            for (int c = c0 - halfPixels; c <= c0 + halfPixels; c++) {
                sum += f.values()[r * f.columns() + c];
                n++;
            }
        }
        return sum / n;
    }

    @Test
    void slices_haveRealisticHounsfieldUnits() throws Exception {
        DecodedFrame mid = DicomRender.decode(files.get(71), 1); // z = -1.25 mm: ventricles
        assertTrue(meanHu(mid, -120, -120, 3) < -900, "air outside");
        assertTrue(meanHu(mid, 0, 0, 1) > -1500, "sanity");
        // Skull on the posterior midline: the brightest point between 70 and 92 mm behind the centre.
        double bone = -1000;
        for (double y = 70; y < 92; y += 0.25) {
            bone = Math.max(bone, meanHu(mid, 0, y, 0));
        }
        assertTrue(bone > 700, "bone " + bone);
        double white = meanHu(mid, -30, 30, 3);
        assertTrue(white > 20 && white < 45, "brain " + white);
        double csf = meanHu(mid, 9.5, 4, 1); // body of the left lateral ventricle
        assertTrue(csf > 0 && csf < 15, "CSF " + csf);
        DecodedFrame high = DicomRender.decode(files.get(109), 1);
        double grey = meanHu(high, 0, 0, 0);
        assertTrue(grey > 20 && grey < 80, "midline " + grey);
    }

    @Test
    void render_slices40_72_110_toPng() throws Exception {
        Path out = Path.of("target", "synthetic-ct");
        Files.createDirectories(out);
        for (int slice : new int[] {40, 72, 110}) {
            DecodedFrame f = DicomRender.decode(files.get(slice - 1), 1);
            var img = new java.awt.image.BufferedImage(
                    f.columns(), f.rows(), java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
            byte[] grey = DicomRender.windowToGrey8(f, 40, 80);
            img.getRaster().setDataElements(0, 0, f.columns(), f.rows(), grey);
            ImageIO.write(
                    img, "png", out.resolve("slice" + slice + "_brain.png").toFile());
            ImageIO.write(
                    DicomRender.thumbnail(files.get(slice - 1), 128),
                    "png",
                    out.resolve("slice" + slice + "_thumb.png").toFile());
        }
        assertTrue(Files.size(out.resolve("slice72_brain.png")) > 1000);
    }
}
