package org.medsync.dicom.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.medsync.dicom.Samples;
import org.medsync.dicom.part10.DicomFormatException;
import org.medsync.dicom.part10.Part10Bytes;

class DicomRenderTest {

    @Test
    void hugeDeclaredImageIsRefusedBeforeDecoding(@TempDir Path dir) throws Exception {
        // 65535 x 65535 x 3 samples: 51 GB of rendered values from a 300-byte file of JPEG baseline.
        byte[] ds = Part10Bytes.concat(
                Part10Bytes.us(0x00280002, 3),
                Part10Bytes.header(0x00280004, "CS", 4),
                "RGB ".getBytes(StandardCharsets.US_ASCII),
                Part10Bytes.us(0x00280010, 65535),
                Part10Bytes.us(0x00280011, 65535),
                Part10Bytes.us(0x00280100, 8),
                Part10Bytes.us(0x00280101, 8),
                Part10Bytes.us(0x00280102, 7),
                Part10Bytes.undefinedHeader(0x7FE00010, "OB"),
                Part10Bytes.item(0),
                Part10Bytes.item(4),
                new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9},
                new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) 0xDD, (byte) 0xE0, 0, 0, 0, 0});
        Path file = dir.resolve("huge.dcm");
        Files.write(file, Part10Bytes.part10("1.2.840.10008.1.2.4.50", ds));
        DicomFormatException e = assertThrows(DicomFormatException.class, () -> DicomRender.decode(file, 1));
        assertEquals(DicomFormatException.Reason.TOO_LARGE, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("dicom.max-decoded-bytes"), e.getMessage());
    }

    private static DecodedFrame mono(String pi, float... values) {
        return new DecodedFrame(1, values.length, 1, pi, values);
    }

    private static int grey(double x, double c, double w) {
        return DicomRender.windowToGrey8(mono("MONOCHROME2", (float) x), c, w)[0] & 0xFF;
    }

    @Test
    void windowToGrey8_brainWindowEdges_followPs33LinearFunction() {
        // c=40, w=80: lower edge c-0.5-(w-1)/2 = 0, upper edge c-0.5+(w-1)/2 = 79.
        assertEquals(0, grey(-1000, 40, 80));
        assertEquals(0, grey(0, 40, 80)); // x <= lower -> 0
        assertEquals(0, grey(0.001, 40, 80)); // ((0.001-39.5)/79+0.5)*255 = 0.003
        assertEquals(2, grey(0.5, 40, 80)); // 1.61 -> 2
        assertEquals(128, grey(39.5, 40, 80)); // 127.5 -> 128
        assertEquals(129, grey(40, 40, 80)); // 129.11
        assertEquals(255, grey(79, 40, 80)); // exactly 255 inside the ramp
        assertEquals(255, grey(79.0001, 40, 80)); // x > upper -> 255
        assertEquals(255, grey(3000, 40, 80));
    }

    @Test
    void windowToGrey8_widthOne_isAThreshold() {
        assertEquals(0, grey(99.5, 100, 1));
        assertEquals(255, grey(99.51, 100, 1));
    }

    @Test
    void windowToGrey8_boneWindow_roundsToNearest() {
        // c=600, w=2800: y = ((x - 599.5)/2799 + 0.5) * 255
        for (double x : new double[] {-800, -799.5, -500, 0, 599.5, 1000, 1999.5, 2000}) {
            double lower = 600 - 0.5 - 2799 / 2.0;
            double upper = 600 - 0.5 + 2799 / 2.0;
            int expected = x <= lower ? 0 : x > upper ? 255 : (int) Math.round(((x - 599.5) / 2799 + 0.5) * 255);
            assertEquals(expected, grey(x, 600, 2800), "x=" + x);
        }
    }

    @Test
    void windowToGrey8_monochrome1_isInvertedAfterVoi() {
        byte[] g = DicomRender.windowToGrey8(mono("MONOCHROME1", 0f, 40f, 79.5f), 40, 80);
        assertEquals(255, g[0] & 0xFF);
        assertEquals(255 - 129, g[1] & 0xFF);
        assertEquals(0, g[2] & 0xFF);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "MR_small_jpeg_ls_lossless.dcm",
                "MR_small_RLE.dcm",
                "MR_small_jp2klossless.dcm",
                "MR_small_bigendian.dcm",
                "MR_small_implicit.dcm"
            })
    void decode_losslessVariants_equalUncompressedMrSmall(String name) throws Exception {
        DecodedFrame reference = DicomRender.decode(Samples.pydicom("MR_small.dcm"), 1);
        DecodedFrame other = DicomRender.decode(Samples.pydicom(name), 1);
        assertEquals(64, other.rows());
        assertEquals(64, other.columns());
        assertEquals("MONOCHROME2", other.photometricInterpretation());
        assertArrayEquals(reference.values(), other.values(), name);
    }

    @Test
    void decode_ctSmall_givesHounsfieldUnits() throws Exception {
        DecodedFrame ct = DicomRender.decode(Samples.pydicom("CT_small.dcm"), 1);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : ct.values()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertTrue(min >= -1100 && max > 0 && max < 4000, min + ".." + max);
    }

    @Test
    void decode_paletteColourRle_givesRgb() throws Exception {
        DecodedFrame f = DicomRender.decode(Samples.octave("US-PAL-8-10x-echo.dcm"), 5);
        assertEquals(3, f.samplesPerPixel());
        assertEquals("RGB", f.photometricInterpretation());
        assertEquals(f.rows() * f.columns() * 3, f.values().length);
        boolean coloured = false;
        for (int i = 0; i < f.rows() * f.columns() && !coloured; i++) {
            coloured = f.values()[3 * i] != f.values()[3 * i + 2];
        }
        assertTrue(coloured, "palette maps some pixels to non-grey colours");
    }

    @Test
    void decode_rgbJpegBaseline_givesRgb() throws Exception {
        DecodedFrame f = DicomRender.decode(Samples.pydicom("SC_rgb_jpeg_dcmtk.dcm"), 1);
        assertEquals(3, f.samplesPerPixel());
        // First row of this test image is red (pydicom's SC_rgb reference).
        assertTrue(
                f.values()[0] > 200 && f.values()[1] < 60 && f.values()[2] < 60,
                f.values()[0] + "," + f.values()[1] + "," + f.values()[2]);
    }

    @Test
    void decode_twelveBitJpegExtended_usesGdcm() throws Exception {
        DecodedFrame f = DicomRender.decode(Samples.pydicom("JPGExtended.dcm"), 1);
        assertTrue(f.rows() > 0 && f.values().length == f.rows() * f.columns());
    }

    @Test
    void thumbnail_keepsAspectAndSize() throws Exception {
        BufferedImage t = DicomRender.thumbnail(Samples.pydicom("CT_small.dcm"), 64);
        assertEquals(64, t.getWidth());
        assertEquals(64, t.getHeight());
        BufferedImage us = DicomRender.thumbnail(Samples.octave("US-PAL-8-10x-echo.dcm"), 100);
        assertEquals(100, Math.max(us.getWidth(), us.getHeight()));
    }
}
