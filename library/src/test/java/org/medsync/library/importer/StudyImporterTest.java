package org.medsync.library.importer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.dicom.DicomFiles;
import org.medsync.dicom.DicomInstance;
import org.medsync.dicom.synthetic.SyntheticCtHead;
import org.medsync.library.EmbeddedLibrary;
import org.medsync.library.StudyLibrary;
import org.medsync.library.index.InstanceRow;
import org.medsync.library.index.StudyQuery;
import org.medsync.library.index.StudyRow;
import org.medsync.testsupport.part10.Variants;

/**
 * The importer on real folders of real files into a real PostgreSQL: what it reports for each file, where it puts
 * what it accepts, and that a second import of the same files stores nothing twice. Patient integrity (refused
 * merges, conflicts, crashes) is ImportIntegrityTest's.
 */
class StudyImporterTest {
    private static EmbeddedLibrary embedded;
    private static Path dir;
    private static StudyLibrary library;
    private static Path studies;

    @BeforeAll
    static void start() throws Exception {
        embedded = EmbeddedLibrary.start("importer-test");
        dir = embedded.dir();
        library = embedded.library();
        studies = embedded.studies();
    }

    @AfterAll
    static void stop() throws Exception {
        embedded.close();
    }

    @Test
    void aSeriesLargerThanABatch_isStoredWhole_andASecondImportFindsItAllPresent() throws Exception {
        // 300 slices: two index batches of at most 256, each its own transaction.
        Path series = Files.createDirectories(dir.resolve("synthetic-300"));
        List<Path> slices = SyntheticCtHead.write(series, new SyntheticCtHead.Options(300, 16, 300));
        DicomInstance first = DicomFiles.readHeader(slices.getFirst());

        ImportReport once = library.importer().importDirectory(series);
        assertEquals(300, once.imported(), once.toString());
        assertEquals(0, once.duplicates());
        assertTrue(once.rejected().isEmpty(), once.rejected().toString());

        StudyRow study = library.index()
                .findStudies(new StudyQuery(null, first.studyInstanceUid(), null, null, null, null, null, null, 0, 0))
                .getFirst();
        assertEquals(1, study.numberOfSeries());
        assertEquals(300, study.numberOfInstances());
        List<InstanceRow> instances =
                library.index().findInstances(first.studyInstanceUid(), first.seriesInstanceUid());
        assertEquals(300, instances.size());
        for (InstanceRow i : instances) {
            // <data>/studies/<study>/<series>/<sop>.dcm, as docs/architecture.md says.
            assertEquals(studies.resolve(i.studyUid()).resolve(i.seriesUid()).resolve(i.sopUid() + ".dcm"), i.file());
        }
        InstanceRow stored = library.index()
                .findInstance(first.studyInstanceUid(), first.seriesInstanceUid(), first.sopInstanceUid())
                .orElseThrow();
        assertArrayEquals(Files.readAllBytes(slices.getFirst()), Files.readAllBytes(stored.file()));

        long files = countFiles(studies.resolve(first.studyInstanceUid()));
        ImportReport again = library.importer().importDirectory(series);
        assertEquals(0, again.imported());
        assertEquals(300, again.duplicates());
        assertTrue(again.rejected().isEmpty(), again.rejected().toString());
        assertEquals(files, countFiles(studies.resolve(first.studyInstanceUid())));
    }

    @Test
    void aFolder_isWalkedWhole_eachRefusedFileReportedByItsPath_hiddenFilesLeftAlone() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("mixed"));
        List<Path> slices = SyntheticCtHead.write(folder.resolve("series"), new SyntheticCtHead.Options(3, 16, 3));
        Files.writeString(folder.resolve("notes.txt"), "not an image", StandardCharsets.UTF_8);
        byte[] slice = Files.readAllBytes(slices.getFirst());
        Files.createDirectories(folder.resolve("deep/er"));
        Files.write(folder.resolve("deep/er/half.dcm"), Arrays.copyOf(slice, slice.length / 2));
        Files.write(folder.resolve(".hidden.dcm"), Arrays.copyOf(slice, 10));

        ImportReport r = library.importer().importDirectory(folder);

        assertEquals(3, r.imported(), r.toString());
        assertEquals(2, r.rejected().size(), "the hidden file is neither imported nor reported: " + r);
        assertEquals(
                Map.of("deep/er/half.dcm", "truncated", "notes.txt", "not-dicom"),
                r.rejected().stream()
                        .collect(Collectors.toMap(ImportReport.Rejection::file, ImportReport.Rejection::reason)));
        for (ImportReport.Rejection rejection : r.rejected()) {
            assertFalse(rejection.message().isBlank(), rejection.toString());
            // The report names the user's file; the store's staged copy means nothing to them.
            assertFalse(rejection.message().contains(".part"), rejection.toString());
        }
    }

    @Test
    void aUidThatIsNotDicom_isRefused_andNothingIsStored() throws Exception {
        Path file = Variants.of(
                Variants.CT_SMALL,
                dir.resolve("bad-uid.dcm"),
                Map.of(TagFromName.SOPInstanceUID, "1.2.826.0.1.3680043.10.1337.x9"));
        long before = library.index().countInstances();

        ImportReport r = library.importer().importFiles(List.of(new StudyImporter.Candidate(file, "bad-uid.dcm")));

        assertEquals(0, r.imported());
        assertEquals("invalid-uid", r.rejected().getFirst().reason(), r.toString());
        assertEquals(before, library.index().countInstances());
    }

    @Test
    void aFileInsteadOfAFolder_isAnError_notAnEmptyImport() {
        IOException e = assertThrows(IOException.class, () -> library.importer().importDirectory(Variants.CT_SMALL));
        assertTrue(e.getMessage().startsWith("not a directory"), e.getMessage());
    }

    private static long countFiles(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).count();
        }
    }
}
