package org.medsync.dicom.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsync.dicom.part10.Part10Scanner;
import org.medsync.dicom.part10.ScannedDataset;

/** The Part 10 file around a stream: header attributes, the empty offset table, fragments, the bytes untouched. */
class DicomVideoWriterTest {
    @TempDir
    Path dir;

    static final ZonedDateTime STARTED = ZonedDateTime.of(2026, 3, 14, 9, 26, 53, 0, ZoneId.of("Europe/Paris"));

    static VideoInstance instance(VideoSopClass sop) {
        return new VideoInstance(
                sop,
                "Doe^Jane",
                "PAT-001",
                "1.2.826.0.1.3680043.8.498.1",
                "ACC-42",
                "Laparoscopic cholecystectomy",
                "OR 3 recording",
                "Dr House",
                "Demo University Hospital",
                STARTED,
                null,
                null,
                900);
    }

    /** An MP4-looking file ('ftyp' first) of the given length, with random content after. */
    Path fakeMp4(int length) throws Exception {
        byte[] b = new byte[length];
        new Random(length).nextBytes(b);
        System.arraycopy(new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p'}, 0, b, 0, 8);
        Path p = dir.resolve("video-" + length + ".mp4");
        Files.write(p, b);
        return p;
    }

    @Test
    void h264_oneFragment_emptyOffsetTable_bytesUntouched_oddLengthPadded() throws Exception {
        Path stream = fakeMp4(100_001);
        VideoStream s = VideoTransferSyntaxTest.h264("High", 31, 1280, 720, 30000, 1001);
        DicomVideoWriter.Written w =
                DicomVideoWriter.write(s, stream, instance(VideoSopClass.ENDOSCOPIC), dir.resolve("out.dcm"));
        assertEquals(VideoTransferSyntax.MPEG4_HIGH_41, w.transferSyntax());
        assertEquals(1, w.fragments());
        DicomVideoReader.StoredVideo back = DicomVideoReader.read(w.file());
        assertEquals("1.2.840.10008.1.2.4.102", back.transferSyntaxUid());
        assertEquals("1.2.840.10008.5.1.4.1.1.77.1.1.1", back.sopClassUid());
        assertEquals(0, back.basicOffsetTableLength());
        assertEquals(1, back.fragments().size());
        byte[] sent = Files.readAllBytes(stream);
        byte[] got = back.stream();
        assertEquals(sent.length + 1, got.length);
        assertArrayEquals(sent, Arrays.copyOf(got, sent.length));
        assertEquals(0, got[sent.length]);

        ScannedDataset ds = Part10Scanner.scan(w.file());
        assertEquals("ES", ds.string(0x00080060));
        assertEquals("YBR_PARTIAL_420", ds.string(0x00280004));
        assertEquals("100", ds.string(0x00280008)); // Number of Frames
        assertEquals("33.366667", ds.string(0x00181063)); // Frame Time, ms
        assertEquals("30", ds.string(0x00180040)); // Cine Rate
        assertEquals("30", ds.string(0x00082144)); // Recommended Display Frame Rate
        assertEquals("1", ds.string(0x00082142));
        assertEquals("100", ds.string(0x00082143));
        assertEquals(720, ds.uint16(0x00280010, 0));
        assertEquals(1280, ds.uint16(0x00280011, 0));
        assertEquals(8, ds.uint16(0x00280100, 0));
        assertEquals(7, ds.uint16(0x00280102, 0));
        assertArrayEquals(new byte[] {0x18, 0x00, 0x63, 0x10}, ds.bytes(0x00280009)); // -> Frame Time
        assertEquals("Doe^Jane", ds.string(0x00100010));
        assertEquals("1.2.826.0.1.3680043.8.498.1", ds.string(0x0020000D));
        assertEquals("ACC-42", ds.string(0x00080050));
        assertEquals("20260314", ds.string(0x00080020));
        assertEquals("ISO_14496_10", ds.string(0x00282114));
        assertTrue(ds.string(0x0020000E).startsWith("2.25."));
        assertFalse(ds.has(0x00280034), "no Pixel Aspect Ratio: square pixels");
    }

    @Test
    void hevcMain10_inFragments_16BitsAllocated() throws Exception {
        int length = DicomVideoWriter.HEVC_FRAGMENT_BYTES + 1000;
        Path stream = fakeMp4(length);
        VideoStream s = VideoTransferSyntaxTest.hevc("Main 10", 123, 1920, 1080, 50, 10);
        DicomVideoWriter.Written w =
                DicomVideoWriter.write(s, stream, instance(VideoSopClass.PHOTOGRAPHIC), dir.resolve("hevc.dcm"));
        assertEquals(2, w.fragments());
        DicomVideoReader.StoredVideo back = DicomVideoReader.read(w.file());
        assertEquals("1.2.840.10008.1.2.4.108", back.transferSyntaxUid());
        assertEquals(DicomVideoWriter.HEVC_FRAGMENT_BYTES, back.fragments().get(0).length);
        assertArrayEquals(Files.readAllBytes(stream), back.stream());
        ScannedDataset ds = Part10Scanner.scan(w.file());
        assertEquals("XC", ds.string(0x00080060));
        assertEquals(16, ds.uint16(0x00280100, 0));
        assertEquals(10, ds.uint16(0x00280101, 0));
        assertEquals(9, ds.uint16(0x00280102, 0));
    }

    @Test
    void aBareElementaryStream_isRefused_andNothingIsLeftBehind() throws Exception {
        Path annexB = dir.resolve("stream.h264");
        Files.write(annexB, "\0\0\0\u0001gAAAAAAAAA".getBytes(StandardCharsets.ISO_8859_1));
        Path out = dir.resolve("refused.dcm");
        VideoRejectedException e = assertThrows(
                VideoRejectedException.class,
                () -> DicomVideoWriter.write(
                        VideoTransferSyntaxTest.h264("High", 30, 640, 360, 25, 1),
                        annexB,
                        instance(VideoSopClass.ENDOSCOPIC),
                        out));
        assertTrue(e.getMessage().contains("not an MP4"), e.getMessage());
        assertFalse(Files.exists(out));
    }

    /** dcmtk's dcmdump (a second, independent parser) reads the file to its end when it is installed. */
    @Test
    void dcmdumpParsesTheFile() throws Exception {
        Path dcmdump = Path.of("/usr/bin/dcmdump");
        assumeTrue(Files.isExecutable(dcmdump), "dcmtk is installed by setup --test");
        DicomVideoWriter.Written w = DicomVideoWriter.write(
                VideoTransferSyntaxTest.h264("High", 31, 1280, 720, 25, 1),
                fakeMp4(5000),
                instance(VideoSopClass.ENDOSCOPIC),
                dir.resolve("dump.dcm"));
        Process p = new ProcessBuilder(dcmdump.toString(), "-M", w.file().toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertFalse(out.contains("E: "), out);
        assertTrue(out.contains("MPEG-4 AVC/H.264 High Profile / Level 4.1"), out);
        assertTrue(out.contains("(fffe,e000) pi (no value available)"), out); // the empty Basic Offset Table
        assertTrue(out.contains("# 5000, 1 Item"), out); // the stream, one fragment
        assertTrue(out.contains("YBR_PARTIAL_420"), out);
    }

    /**
     * dicom3tools' dciodvfy checks the instance against the IOD of its SOP class (modules, types, enumerated values)
     * when it is installed: no errors for either SOP class.
     */
    @Test
    void dciodvfyFindsNoErrors() throws Exception {
        Path dciodvfy = Path.of("/usr/bin/dciodvfy");
        assumeTrue(Files.isExecutable(dciodvfy), "apt-get install dicom3tools");
        for (VideoSopClass sop : VideoSopClass.values()) {
            DicomVideoWriter.Written w = DicomVideoWriter.write(
                    VideoTransferSyntaxTest.h264("High", 31, 1280, 720, 25, 1),
                    fakeMp4(5000),
                    instance(sop),
                    dir.resolve(sop + ".dcm"));
            Process p = new ProcessBuilder(dciodvfy.toString(), w.file().toString())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            assertFalse(out.contains("Error"), sop + ": " + out);
        }
    }
}
