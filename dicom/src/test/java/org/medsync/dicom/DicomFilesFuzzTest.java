package org.medsync.dicom;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.medsync.dicom.part10.DicomFormatException;

/**
 * Jazzer target for the whole check an upload goes through (DicomFiles.inspect, as StudyImporter calls it): the
 * scanner, then PixelMed on the header and the JSON metadata, then the inflated copy. The scanner's own target
 * stops at the scan; this one follows what scans into the third-party reader. Only DicomFormatException may
 * escape, so every refusal has a reason; what passes has valid-looking UIDs and JSON.
 */
class DicomFilesFuzzTest {
    private static Path dir;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("medsync-inspect-fuzz-");
    }

    @AfterAll
    static void stop() throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @FuzzTest(maxDuration = "10s")
    void inspect_onlyDicomFormatExceptionEscapes(byte[] data) throws Exception {
        Path file = Files.write(dir.resolve("upload.dcm"), data);
        DicomFiles.Inspection i;
        try {
            i = DicomFiles.inspect(file, "frames", dir);
        } catch (DicomFormatException expected) {
            return;
        }
        try {
            assertTrue(i.metadataJson().length > 0);
            assertTrue(i.instance().sopInstanceUid() != null
                    && !i.instance().sopInstanceUid().isEmpty());
        } finally {
            if (i.inflatedCopy() != null) {
                Files.delete(i.inflatedCopy());
            }
        }
    }
}
