package org.medsync.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.medsync.dicom.part10.DicomFormatException;
import org.medsync.dicom.part10.DicomFormatException.Reason;
import org.medsync.dicom.part10.NoSuchFrameException;

class DicomFilesTest {

    @Test
    void readHeader_ctSmall_givesUidsAndImageSize() throws Exception {
        DicomInstance ct = DicomFiles.readHeader(Samples.pydicom("CT_small.dcm"));
        assertEquals("1.2.840.10008.5.1.4.1.1.2", ct.sopClassUid());
        assertEquals("1.2.840.10008.1.2.1", ct.transferSyntaxUid());
        assertEquals("CT", ct.modality());
        assertEquals(128, ct.rows());
        assertEquals(128, ct.columns());
        assertEquals(1, ct.numberOfFrames());
        assertTrue(ct.hasPixelData());
        assertNotNull(ct.studyInstanceUid());
        assertNotNull(ct.seriesInstanceUid());
        assertNotNull(ct.sopInstanceUid());
        assertNotNull(ct.patientName());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "MR_small.dcm",
                "MR_small_implicit.dcm",
                "MR_small_bigendian.dcm",
                "MR_small_expb.dcm",
                "MR_small_RLE.dcm",
                "MR_small_jpeg_ls_lossless.dcm",
                "MR_small_jp2klossless.dcm"
            })
    void readHeader_everyMrSmallSyntax_givesSameInstance(String name) throws Exception {
        DicomInstance reference = DicomFiles.readHeader(Samples.pydicom("MR_small.dcm"));
        DicomInstance mr = DicomFiles.readHeader(Samples.pydicom(name));
        assertEquals(reference.sopInstanceUid(), mr.sopInstanceUid());
        assertEquals(reference.studyInstanceUid(), mr.studyInstanceUid());
        assertEquals("MR", mr.modality());
        assertEquals(64, mr.rows());
        assertEquals(64, mr.columns());
        assertTrue(mr.hasPixelData());
    }

    @Test
    void readHeader_rawDataSetWithoutMeta_isAccepted() throws Exception {
        DicomInstance a = DicomFiles.readHeader(Samples.pydicom("ExplVR_LitEndNoMeta.dcm"));
        assertEquals("1.2.840.10008.1.2.1", a.transferSyntaxUid());
        DicomInstance b = DicomFiles.readHeader(Samples.pydicom("ExplVR_BigEndNoMeta.dcm"));
        assertEquals("1.2.840.10008.1.2.2", b.transferSyntaxUid());
    }

    @Test
    void readHeader_ultrasoundPaletteCine_hasTenFrames() throws Exception {
        DicomInstance us = DicomFiles.readHeader(Samples.octave("US-PAL-8-10x-echo.dcm"));
        assertEquals("US", us.modality());
        assertEquals(10, us.numberOfFrames());
        assertEquals("1.2.840.10008.1.2.5", us.transferSyntaxUid());
    }

    @Test
    void frame_rleCine_returnsOneRleFramePerNumber() throws Exception {
        Path us = Samples.octave("US-PAL-8-10x-echo.dcm");
        for (int i = 1; i <= 10; i++) {
            DicomFiles.FrameBytes f = DicomFiles.frame(us, i);
            assertEquals("1.2.840.10008.1.2.5", f.transferSyntaxUid());
            // RLE header (PS3.5 G.3.1): number of segments, then 15 offsets; the first offset is 64.
            assertEquals(1, f.bytes()[0]);
            assertEquals(64, f.bytes()[4]);
        }
        assertThrows(NoSuchFrameException.class, () -> DicomFiles.frame(us, 11));
        assertThrows(NoSuchFrameException.class, () -> DicomFiles.frame(us, 0));
    }

    @Test
    void frame_nativeMultiFrame_slicesEachFrame() throws Exception {
        Path dose = Samples.pydicom("rtdose.dcm");
        DicomInstance h = DicomFiles.readHeader(dose);
        assertTrue(h.numberOfFrames() > 1);
        byte[] first = DicomFiles.frame(dose, 1).bytes();
        byte[] last = DicomFiles.frame(dose, h.numberOfFrames()).bytes();
        assertEquals(first.length, last.length);
        assertTrue(first.length >= h.rows() * h.columns());
    }

    @Test
    void frame_bigEndian_isConvertedToExplicitLittleEndian() throws Exception {
        DicomFiles.FrameBytes le = DicomFiles.frame(Samples.pydicom("MR_small.dcm"), 1);
        DicomFiles.FrameBytes be = DicomFiles.frame(Samples.pydicom("MR_small_bigendian.dcm"), 1);
        assertEquals("1.2.840.10008.1.2.1", be.transferSyntaxUid());
        assertEquals(64 * 64 * 2, le.bytes().length);
        assertArrayEquals(le.bytes(), be.bytes());
    }

    @Test
    void frame_singleFrameJpeg2000_isTheCodestream() throws Exception {
        DicomFiles.FrameBytes f = DicomFiles.frame(Samples.pydicom("MR_small_jp2klossless.dcm"), 1);
        assertEquals("1.2.840.10008.1.2.4.90", f.transferSyntaxUid());
        assertEquals(0xFF, f.bytes()[0] & 0xFF);
        assertEquals(0x4F, f.bytes()[1] & 0xFF);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "CT_small.dcm",
                "MR_small.dcm",
                "MR_small_implicit.dcm",
                "MR_small_bigendian.dcm",
                "MR_small_RLE.dcm",
                "MR_small_jpeg_ls_lossless.dcm",
                "MR_small_jp2klossless.dcm",
                "rtdose.dcm",
                "SC_rgb_rle_2frame.dcm",
                "JPEG2000.dcm",
                "image_dfl.dcm",
                "ExplVR_BigEndNoMeta.dcm"
            })
    void validate_completeFiles_pass(String name) throws Exception {
        DicomFiles.validate(Samples.pydicom(name));
    }

    @Test
    void validate_ultrasoundCine_passes() throws Exception {
        DicomFiles.validate(Samples.octave("US-PAL-8-10x-echo.dcm"));
    }

    @Test
    void validate_trailingZeroPadding_endsTheDataSet_butOtherTrailingBytesDoNot(@TempDir Path dir) throws Exception {
        byte[] ct = Files.readAllBytes(Samples.pydicom("CT_small.dcm"));
        Path padded = dir.resolve("padded.dcm");
        Files.write(padded, Arrays.copyOf(ct, ct.length + (1 << 16)));
        DicomInstance d = DicomFiles.validate(padded);
        assertEquals(DicomFiles.readHeader(Samples.pydicom("CT_small.dcm")).sopInstanceUid(), d.sopInstanceUid());
        assertArrayEquals(
                DicomFiles.frame(Samples.pydicom("CT_small.dcm"), 1).bytes(),
                DicomFiles.frame(padded, 1).bytes());
        byte[] garbage = Arrays.copyOf(ct, ct.length + 64);
        Arrays.fill(garbage, ct.length, garbage.length, (byte) 0x5A);
        Path trailing = dir.resolve("garbage.dcm");
        Files.write(trailing, garbage);
        assertThrows(DicomFormatException.class, () -> DicomFiles.validate(trailing));
    }

    @Test
    void validate_fileCutInHalf_isTruncated(@TempDir Path dir) throws Exception {
        Path ct = Samples.pydicom("CT_small.dcm");
        byte[] all = Files.readAllBytes(ct);
        Path half = dir.resolve("half.dcm");
        Files.write(half, Arrays.copyOf(all, all.length / 2));
        assertEquals(
                Reason.TRUNCATED,
                assertThrows(DicomFormatException.class, () -> DicomFiles.validate(half))
                        .reason());
        Path tiny = dir.resolve("200.dcm");
        Files.write(tiny, Arrays.copyOf(all, 200));
        assertEquals(
                Reason.TRUNCATED,
                assertThrows(DicomFormatException.class, () -> DicomFiles.validate(tiny))
                        .reason());
        assertEquals(
                Reason.TRUNCATED,
                assertThrows(DicomFormatException.class, () -> DicomFiles.readHeader(tiny))
                        .reason());
    }

    @Test
    void validate_cutAnywhere_isTruncated(@TempDir Path dir) throws Exception {
        for (String name : new String[] {"MR_small_RLE.dcm", "MR_small_jp2klossless.dcm", "MR_small_implicit.dcm"}) {
            byte[] all = Files.readAllBytes(Samples.pydicom(name));
            for (int cut : new int[] {140, 400, all.length / 3, all.length - 100, all.length - 9, all.length - 1}) {
                Path p = dir.resolve(name + "." + cut);
                Files.write(p, Arrays.copyOf(all, cut));
                DicomFormatException e =
                        assertThrows(DicomFormatException.class, () -> DicomFiles.validate(p), name + " cut at " + cut);
                assertEquals(Reason.TRUNCATED, e.reason(), name + " cut at " + cut + ": " + e.getMessage());
            }
        }
    }

    @Test
    void validate_multiFrameCutInsideLastFrame_isTruncated(@TempDir Path dir) throws Exception {
        byte[] all = Files.readAllBytes(Samples.octave("US-PAL-8-10x-echo.dcm"));
        Path p = dir.resolve("us.dcm");
        Files.write(p, Arrays.copyOf(all, all.length - 2000));
        assertEquals(
                Reason.TRUNCATED,
                assertThrows(DicomFormatException.class, () -> DicomFiles.validate(p))
                        .reason());
    }

    @Test
    void validate_textPngAndRandomBytes_areNotDicom(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "This is a text file, not an image.\n".repeat(20));
        Path png = dir.resolve("image.png");
        java.awt.image.BufferedImage img =
                new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        javax.imageio.ImageIO.write(img, "png", png.toFile());
        Path random = dir.resolve("random.bin");
        byte[] noise = new byte[4096];
        new java.util.Random(7).nextBytes(noise);
        Files.write(random, noise);
        Path empty = Files.write(dir.resolve("empty.dcm"), new byte[0]);
        for (Path p : new Path[] {text, png, random, empty}) {
            assertEquals(
                    Reason.NOT_DICOM,
                    assertThrows(DicomFormatException.class, () -> DicomFiles.validate(p), p.toString())
                            .reason());
            assertEquals(
                    Reason.NOT_DICOM,
                    assertThrows(DicomFormatException.class, () -> DicomFiles.readHeader(p), p.toString())
                            .reason());
        }
    }

    @Test
    void readHeader_withoutSopInstanceUid_isMissingAttribute(@TempDir Path dir) throws Exception {
        Path p = TestDatasets.withoutTag(
                Samples.pydicom("CT_small.dcm"), dir, com.pixelmed.dicom.TagFromName.SOPInstanceUID);
        DicomFormatException e = assertThrows(DicomFormatException.class, () -> DicomFiles.readHeader(p));
        assertEquals(Reason.MISSING_ATTRIBUTE, e.reason());
        assertTrue(e.getMessage().contains("SOPInstanceUID"), e.getMessage());
        assertEquals(
                Reason.MISSING_ATTRIBUTE,
                assertThrows(DicomFormatException.class, () -> DicomFiles.validate(p))
                        .reason());
    }

    @Test
    void readHeader_missingFile_isUnreadable(@TempDir Path dir) {
        assertEquals(
                Reason.UNREADABLE,
                assertThrows(DicomFormatException.class, () -> DicomFiles.readHeader(dir.resolve("absent.dcm")))
                        .reason());
    }
}
