package org.medsync.library.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsync.dicom.DicomFiles;
import org.medsync.dicom.DicomInstance;
import org.medsync.dicom.part10.Part10Scanner;
import org.medsync.dicom.synthetic.SyntheticCtHead;
import org.medsync.library.StudyLibrary;
import org.medsync.library.database.Database;
import org.medsync.library.importer.ImportReport;
import org.medsync.library.importer.StudyImporter;
import org.medsync.library.index.StudyIndex;
import org.medsync.library.store.InstanceStore;
import org.medsync.testsupport.part10.DeflatedFiles;

/**
 * Bad input costs bounded work: a deflate bomb is refused while inflating, and frames are served from offsets
 * indexed once, never by reading, scanning or inflating the whole file per request. Work is counted by the
 * scanner's counters, not timed.
 */
class LocalSourceFramesTest {

    @TempDir
    static Path dir;

    private static Database database;
    private static StudyLibrary library;
    private static Path store;

    @BeforeAll
    static void start() throws Exception {
        database = Database.start(Database.Settings.embedded(dir.resolve("postgres"), 0));
        store = dir.resolve("studies");
        library = new StudyLibrary(database.dataSource(), store);
    }

    @AfterAll
    static void stop() {
        database.close();
    }

    @Test
    void deflateBombIsRefusedAtImportWithoutFullInflation() throws Exception {
        Path bomb = dir.resolve("bomb.dcm");
        Files.write(bomb, DeflatedFiles.bomb(1000, 1000, 100));
        assertTrue(Files.size(bomb) < 200_000, "100 MB of pixels in " + Files.size(bomb) + " bytes");
        long inflatedBefore = Part10Scanner.inflatedBytes();

        ImportReport report = library.importer().importFiles(List.of(new StudyImporter.Candidate(bomb, "bomb.dcm")));

        long inflated = Part10Scanner.inflatedBytes() - inflatedBefore;
        assertEquals(0, report.imported());
        assertEquals(1, report.rejected().size());
        assertEquals("decompression-bomb", report.rejected().getFirst().reason());
        assertTrue(
                report.rejected().getFirst().message().contains("more than 100 times (dicom.max-inflation-ratio)"),
                report.rejected().getFirst().message());
        assertTrue(inflated < 12_000_000, "inflated " + inflated + " of the bomb's 100,000,000 bytes");
        assertTrue(
                storedFiles().stream().noneMatch(p -> p.toString().contains("1.2.826.0.1.3680043.9.7433.1.")),
                "nothing of the bomb is stored");
    }

    @Test
    void frameRequestsDoNotReinflateTheFile() throws Exception {
        Path deflated = dir.resolve("deflated-cine.dcm");
        Files.write(deflated, DeflatedFiles.noise(256, 256, 6, 11));
        DicomInstance d = DicomFiles.readHeader(deflated);
        byte[][] expected = new byte[7][];
        for (int f = 1; f <= 6; f++) {
            expected[f] = DicomFiles.frame(deflated, f).bytes();
        }
        assertEquals(
                1,
                library.importer()
                        .importFiles(List.of(new StudyImporter.Candidate(deflated, "cine.dcm")))
                        .imported());

        long scansBefore = Part10Scanner.scans();
        long inflatedBefore = Part10Scanner.inflatedBytes();
        for (int round = 0; round < 3; round++) {
            for (int f = 1; f <= 6; f++) {
                StudySource.Frame frame =
                        library.source().frame(d.studyInstanceUid(), d.seriesInstanceUid(), d.sopInstanceUid(), f);
                assertArrayEquals(expected[f], frame.bytes(), "frame " + f);
                assertEquals("1.2.840.10008.1.2.1", frame.transferSyntaxUid());
            }
        }
        assertEquals(0, Part10Scanner.inflatedBytes() - inflatedBefore, "bytes inflated for 18 frame requests");
        assertEquals(1, Part10Scanner.scans() - scansBefore, "scans for 18 frame requests of one instance");
    }

    @Test
    void frameRequestsOfTheSyntheticCtScanEachSliceOnce() throws Exception {
        List<Path> slices = SyntheticCtHead.write(dir.resolve("ct"), new SyntheticCtHead.Options(4, 64, 5));
        assertEquals(4, library.importer().importDirectory(dir.resolve("ct")).imported());
        long scansBefore = Part10Scanner.scans();
        for (int round = 0; round < 3; round++) {
            for (Path slice : slices) {
                DicomInstance d = DicomFiles.readHeader(slice);
                StudySource.Frame frame =
                        library.source().frame(d.studyInstanceUid(), d.seriesInstanceUid(), d.sopInstanceUid(), 1);
                assertEquals(64 * 64 * 2, frame.bytes().length);
            }
        }
        assertEquals(4, Part10Scanner.scans() - scansBefore, "scans for 12 frame requests of 4 slices");
    }

    @Test
    void deflatedFileStoredBeforeThisVersionIsInflatedOnceThenServedFromOffsets() throws Exception {
        Path deflated = dir.resolve("legacy.dcm");
        Files.write(deflated, DeflatedFiles.noise(128, 128, 3, 23));
        DicomInstance d = DicomFiles.readHeader(deflated);
        long oneInflation = Part10Scanner.inflatedBytes();
        byte[] second = DicomFiles.frame(deflated, 2).bytes();
        oneInflation = Part10Scanner.inflatedBytes() - oneInflation;
        // What an import of an earlier version left: the deflated file as uploaded, indexed.
        Path stored = store.resolve(d.studyInstanceUid())
                .resolve(d.seriesInstanceUid())
                .resolve(d.sopInstanceUid() + ".dcm");
        Files.createDirectories(stored.getParent());
        Files.copy(deflated, stored);
        new StudyIndex(database.dataSource())
                .add(
                        List.of(new StudyIndex.Entry(
                                d, stored, Files.size(stored), InstanceStore.sha256Of(stored), null)),
                        imported -> {});

        long inflatedBefore = Part10Scanner.inflatedBytes();
        for (int round = 0; round < 4; round++) {
            assertArrayEquals(
                    second,
                    library.source()
                            .frame(d.studyInstanceUid(), d.seriesInstanceUid(), d.sopInstanceUid(), 2)
                            .bytes());
        }
        assertEquals(oneInflation, Part10Scanner.inflatedBytes() - inflatedBefore, "one inflation for 4 requests");
        assertEquals("1.2.840.10008.1.2.1", DicomFiles.readHeader(stored).transferSyntaxUid());
        assertEquals(d.sopInstanceUid(), DicomFiles.readHeader(stored).sopInstanceUid());
    }

    private static List<Path> storedFiles() throws Exception {
        if (!Files.isDirectory(store)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(store)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}
