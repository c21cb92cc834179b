package org.medsync.dicom.derived;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsync.dicom.DicomFiles;
import org.medsync.dicom.DicomInstance;

/** The Secondary Capture of a photo: read back by PixelMed, by our own validator, and by dcmtk and dicom3tools. */
class SecondaryCaptureTest {
    @TempDir
    Path dir;

    /** An odd width and height, so the odd pixel count's padding is exercised too. */
    private static final int W = 33;

    private static final int H = 17;

    private static byte[] gradient() {
        byte[] px = new byte[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                px[y * W + x] = (byte) ((x * 7 + y * 13) & 0xFF);
            }
        }
        return px;
    }

    static SecondaryCapture.Request request(SecondaryCapture.SourceImage source) {
        return new SecondaryCapture.Request(
                gradient(),
                W,
                H,
                new SecondaryCapture.Study(
                        "1.2.826.0.1.3680043.2.1125.1.1",
                        "Test^Patient",
                        "PID-1",
                        "19700101",
                        "O",
                        "20260101",
                        "080000",
                        "ACC1",
                        "7",
                        null,
                        "CT HEAD"),
                SecondaryCapture.newUid(),
                901,
                SecondaryCapture.newUid(),
                1,
                source,
                "Photograph of a screen, rectified (perspective removed, warpPerspective); restored by Test 1.0",
                "ISO_10918_1",
                "MedSync photo 0f3c",
                ZonedDateTime.of(2026, 12, 6, 23, 30, 5, 0, ZoneOffset.UTC));
    }

    private static AttributeList read(byte[] file) throws Exception {
        AttributeList l = new AttributeList();
        try (var in = new DicomInputStream(new ByteArrayInputStream(file))) {
            l.read(in);
        }
        return l;
    }

    @Test
    void pixelMedReadsBackEveryAttributeTheContractNames() throws Exception {
        var source = new SecondaryCapture.SourceImage("1.2.840.10008.5.1.4.1.1.2", "1.2.3.4.5");
        SecondaryCapture.Request r = request(source);
        AttributeList l = read(SecondaryCapture.write(r));
        assertEquals(SecondaryCapture.SOP_CLASS_UID, Attribute.getSingleStringValueOrNull(l, TagFromName.SOPClassUID));
        assertEquals(
                SecondaryCapture.SOP_CLASS_UID,
                Attribute.getSingleStringValueOrNull(l, TagFromName.MediaStorageSOPClassUID));
        assertEquals(r.sopInstanceUid(), Attribute.getSingleStringValueOrNull(l, TagFromName.SOPInstanceUID));
        assertEquals(r.seriesInstanceUid(), Attribute.getSingleStringValueOrNull(l, TagFromName.SeriesInstanceUID));
        assertEquals(
                "1.2.826.0.1.3680043.2.1125.1.1",
                Attribute.getSingleStringValueOrNull(l, TagFromName.StudyInstanceUID));
        assertEquals("PID-1", Attribute.getSingleStringValueOrNull(l, TagFromName.PatientID));
        assertEquals("Test^Patient", Attribute.getSingleStringValueOrNull(l, TagFromName.PatientName));
        assertEquals("WSD", Attribute.getSingleStringValueOrNull(l, TagFromName.ConversionType));
        assertEquals("MONOCHROME2", Attribute.getSingleStringValueOrNull(l, TagFromName.PhotometricInterpretation));
        assertEquals(8, Attribute.getSingleIntegerValueOrDefault(l, TagFromName.BitsAllocated, 0));
        assertEquals(8, Attribute.getSingleIntegerValueOrDefault(l, TagFromName.BitsStored, 0));
        assertEquals(H, Attribute.getSingleIntegerValueOrDefault(l, TagFromName.Rows, 0));
        assertEquals(W, Attribute.getSingleIntegerValueOrDefault(l, TagFromName.Columns, 0));
        assertEquals("01", Attribute.getSingleStringValueOrNull(l, TagFromName.LossyImageCompression));
        assertEquals("ISO_10918_1", Attribute.getSingleStringValueOrNull(l, TagFromName.LossyImageCompressionMethod));
        assertTrue(Attribute.getSingleStringValueOrEmptyString(l, TagFromName.DerivationDescription)
                .contains("restored by Test 1.0"));
        assertEquals("MedSync photo 0f3c", Attribute.getSingleStringValueOrNull(l, TagFromName.ImageComments));
        SequenceAttribute seq = (SequenceAttribute) l.get(TagFromName.SourceImageSequence);
        assertEquals(1, seq.getNumberOfItems());
        AttributeList item = seq.getItem(0).getAttributeList();
        assertEquals("1.2.3.4.5", Attribute.getSingleStringValueOrNull(item, TagFromName.ReferencedSOPInstanceUID));
        assertEquals(
                "1.2.840.10008.5.1.4.1.1.2",
                Attribute.getSingleStringValueOrNull(item, TagFromName.ReferencedSOPClassUID));
        byte[] pixels = l.get(TagFromName.PixelData).getByteValues();
        assertArrayEquals(gradient(), Arrays.copyOf(pixels, W * H), "the pixels as given, row-major");
    }

    @Test
    void withoutAKnownSourceThereIsNoSourceImageSequence() throws Exception {
        AttributeList l = read(SecondaryCapture.write(request(null)));
        assertEquals(null, l.get(TagFromName.SourceImageSequence));
        assertNotEquals(SecondaryCapture.newUid(), SecondaryCapture.newUid());
        assertTrue(SecondaryCapture.newUid().matches("2\\.25\\.[1-9][0-9]{0,38}"));
    }

    @Test
    void theLibrarysOwnValidatorAcceptsIt() throws Exception {
        Path f = dir.resolve("sc.dcm");
        Files.write(f, SecondaryCapture.write(request(null)));
        DicomInstance i = DicomFiles.validate(f);
        assertEquals(SecondaryCapture.SOP_CLASS_UID, i.sopClassUid());
    }

    @Test
    void refusesPixelsThatDoNotMatchTheSize() {
        SecondaryCapture.Request ok = request(null);
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> new SecondaryCapture.Request(
                        new byte[10],
                        W,
                        H,
                        ok.study(),
                        ok.seriesInstanceUid(),
                        1,
                        ok.sopInstanceUid(),
                        1,
                        null,
                        "d",
                        null,
                        null,
                        ok.created()));
        assertTrue(e.getMessage().contains("10 values for 33x17"), e.getMessage());
    }

    /** dcmtk's dcmdump, a second parser, reads the file to its end. */
    @Test
    void dcmdumpParsesTheFile() throws Exception {
        Path dcmdump = Path.of("/usr/bin/dcmdump");
        assumeTrue(Files.isExecutable(dcmdump), "apt-get install dcmtk");
        Path f = dir.resolve("dump.dcm");
        Files.write(
                f,
                SecondaryCapture.write(
                        request(new SecondaryCapture.SourceImage("1.2.840.10008.5.1.4.1.1.2", "1.2.3"))));
        Process p = new ProcessBuilder(dcmdump.toString(), "-M", f.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertFalse(out.contains("E: "), out);
        assertTrue(out.contains("SecondaryCaptureImageStorage"), out);
        assertTrue(out.contains("(0008,0064) CS [WSD]"), out);
    }

    /** dicom3tools' dciodvfy checks the SC Image IOD (modules, types, enumerated values): no errors. */
    @Test
    void dciodvfyFindsNoErrors() throws Exception {
        Path dciodvfy = Path.of("/usr/bin/dciodvfy");
        assumeTrue(Files.isExecutable(dciodvfy), "apt-get install dicom3tools");
        for (var source : new SecondaryCapture.SourceImage[] {
            null, new SecondaryCapture.SourceImage("1.2.840.10008.5.1.4.1.1.2", "1.2.3")
        }) {
            Path f = dir.resolve("v" + (source == null ? 0 : 1) + ".dcm");
            Files.write(f, SecondaryCapture.write(request(source)));
            Process p = new ProcessBuilder(dciodvfy.toString(), f.toString())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            assertFalse(out.contains("Error"), out);
            assertTrue(out.contains("SCImage") || out.contains("Secondary"), out);
        }
    }
}
