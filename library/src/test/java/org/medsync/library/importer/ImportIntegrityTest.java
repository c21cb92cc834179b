package org.medsync.library.importer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medsync.dicom.DicomFiles;
import org.medsync.library.EmbeddedLibrary;
import org.medsync.library.StudyLibrary;
import org.medsync.library.index.StudyIndex;
import org.medsync.library.store.InstanceStore;
import org.medsync.library.store.StoreException;
import org.medsync.testsupport.part10.Variants;

/**
 * Patient integrity of the importer against a real PostgreSQL: an instance never joins another patient's study
 * or series, a stored SOP Instance UID never gets other bytes, whatever the order or concurrency of imports,
 * and a refused file changes neither the index nor the store.
 */
class ImportIntegrityTest {
    private static EmbeddedLibrary embedded;
    private static Path dir;
    private static StudyLibrary library;
    private static Path work;
    private static int counter;

    @BeforeAll
    static void start() throws Exception {
        embedded = EmbeddedLibrary.start("import-test");
        dir = embedded.dir();
        library = embedded.library();
        work = Files.createDirectories(dir.resolve("work"));
    }

    @AfterAll
    static void stop() throws Exception {
        embedded.close();
    }

    @BeforeEach
    void storeTheOriginal() throws Exception {
        ImportReport r = importOne(Variants.CT_SMALL);
        assertTrue(r.rejected().isEmpty(), r.toString());
    }

    @Test
    void uploadCannotMergeAnotherPatientIntoExistingStudy() throws Exception {
        String before = snapshot();
        // The same study and series UIDs, a new instance, and one identifying attribute different each time.
        for (Map<com.pixelmed.dicom.AttributeTag, String> other : List.of(
                Map.of(TagFromName.PatientName, "Other^Patient"),
                Map.of(TagFromName.PatientID, "OTHER-ID"),
                Map.of(TagFromName.PatientBirthDate, "19010101"))) {
            Map<com.pixelmed.dicom.AttributeTag, String> changes = new HashMap<>(other);
            changes.put(TagFromName.SOPInstanceUID, newUid());
            ImportReport r = importOne(variant(changes));
            assertEquals(0, r.imported(), other.toString());
            assertEquals("patient-mismatch", r.rejected().getFirst().reason(), other.toString());
            assertFalse(
                    r.rejected().getFirst().message().contains("CompressedSamples"),
                    "the message names the stored patient");
        }
        // A new study whose series UID is the stored patient's series: still the stored patient's data.
        ImportReport r = importOne(variant(Map.of(
                TagFromName.StudyInstanceUID,
                newUid(),
                TagFromName.SOPInstanceUID,
                newUid(),
                TagFromName.PatientName,
                "Other^Patient")));
        assertEquals("patient-mismatch", r.rejected().getFirst().reason());
        assertEquals(before, snapshot(), "a refused file changed the index or the store");
    }

    @Test
    void seriesOfAnotherStudyIsRefused_evenForTheSamePatient() throws Exception {
        String before = snapshot();
        ImportReport r = importOne(
                variant(Map.of(TagFromName.StudyInstanceUID, newUid(), TagFromName.SOPInstanceUID, newUid())));
        assertEquals("series-conflict", r.rejected().getFirst().reason());
        assertEquals(before, snapshot());
    }

    @Test
    void sameSopInstanceUidWithDifferentContentIsRefused() throws Exception {
        String before = snapshot();
        ImportReport r = importOne(variant(Map.of(TagFromName.InstanceNumber, "99")));
        assertEquals(0, r.imported());
        assertEquals("instance-conflict", r.rejected().getFirst().reason());
        assertEquals(before, snapshot());
        // The identical file again is a duplicate, not a conflict, and changes nothing either.
        ImportReport again = importOne(Variants.CT_SMALL);
        assertEquals(1, again.duplicates(), again.toString());
        assertTrue(again.rejected().isEmpty());
        assertEquals(before, snapshot());
    }

    @Test
    void instanceStoredBeforeHashesWereKept_isComparedByItsStoredFile() throws Exception {
        String sop = "'" + DicomFiles.readHeader(Variants.CT_SMALL).sopInstanceUid() + "'";
        execute("update instance set content_sha256 = null where sop_uid = " + sop);
        assertEquals(1, importOne(Variants.CT_SMALL).duplicates());
        execute("update instance set content_sha256 = null where sop_uid = " + sop);
        assertEquals(
                "instance-conflict",
                importOne(variant(Map.of(TagFromName.InstanceNumber, "98")))
                        .rejected()
                        .getFirst()
                        .reason());
        assertEquals(1, count("select count(*) from instance where content_sha256 is not null and sop_uid = " + sop));
        assertStoredFilesMatchTheirRows();
    }

    @Test
    void importDirectory_reportsEachFile_andGoesOn() throws Exception {
        Path folder = Files.createDirectories(work.resolve("folder-" + (++counter)));
        Variants.of(
                Variants.CT_SMALL,
                folder.resolve("a-other-patient.dcm"),
                Map.of(TagFromName.SOPInstanceUID, newUid(), TagFromName.PatientName, "Other^Patient"));
        Variants.of(
                Variants.CT_SMALL, folder.resolve("b-new-instance.dcm"), Map.of(TagFromName.SOPInstanceUID, newUid()));
        Files.writeString(folder.resolve("c-notes.txt"), "not an image");
        ImportReport r = library.importer().importDirectory(folder);
        assertEquals(1, r.imported(), r.toString());
        assertEquals(
                List.of("a-other-patient.dcm:patient-mismatch", "c-notes.txt:not-dicom"),
                r.rejected().stream()
                        .map(x -> x.file() + ":" + x.reason())
                        .sorted()
                        .toList());
    }

    /**
     * Two imports race for a study UID nobody has yet, each for another patient; two others race with different
     * bytes for one SOP Instance UID. However they interleave, one wins and the other is refused.
     */
    @Test
    void concurrentConflictingImports_neverMergeTwoPatients() throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            for (int round = 0; round < 12; round++) {
                String study = newUid();
                String sop = newUid();
                Path first = variant(Map.of(
                        TagFromName.StudyInstanceUID,
                        study,
                        TagFromName.SeriesInstanceUID,
                        newUid(),
                        TagFromName.SOPInstanceUID,
                        newUid(),
                        TagFromName.PatientName,
                        "First^Patient"));
                Path second = variant(Map.of(
                        TagFromName.StudyInstanceUID,
                        study,
                        TagFromName.SeriesInstanceUID,
                        newUid(),
                        TagFromName.SOPInstanceUID,
                        newUid(),
                        TagFromName.PatientName,
                        "Second^Patient"));
                List<ImportReport> studyRace = race(pool, first, second);
                assertEquals(
                        1, studyRace.stream().mapToInt(ImportReport::imported).sum(), studyRace.toString());
                assertEquals(List.of("patient-mismatch"), reasons(studyRace));
                assertEquals(
                        1,
                        count("select count(distinct p.id) from study s join patient p on p.id = s.patient "
                                + "where s.study_uid = '" + study + "'"));

                String series = newUid();
                Path one = variant(Map.of(
                        TagFromName.StudyInstanceUID,
                        study + ".1",
                        TagFromName.SeriesInstanceUID,
                        series,
                        TagFromName.SOPInstanceUID,
                        sop,
                        TagFromName.InstanceNumber,
                        "1"));
                Path two = variant(Map.of(
                        TagFromName.StudyInstanceUID,
                        study + ".1",
                        TagFromName.SeriesInstanceUID,
                        series,
                        TagFromName.SOPInstanceUID,
                        sop,
                        TagFromName.InstanceNumber,
                        "2"));
                List<ImportReport> sopRace = race(pool, one, two);
                assertEquals(
                        1, sopRace.stream().mapToInt(ImportReport::imported).sum(), sopRace.toString());
                assertEquals(List.of("instance-conflict"), reasons(sopRace));
                assertStoredFilesMatchTheirRows();
            }
        }
    }

    @Test
    void stagingFilesOfADeadProcessAreDeletedOnStart_aLiveOnesAreKept() throws Exception {
        Path root = Files.createDirectories(work.resolve("store-" + (++counter)));
        try (InstanceStore live = new InstanceStore(root)) {
            InstanceStore.Staged kept = live.stage(Variants.CT_SMALL);
            // What a killed process leaves: its lock file (nobody holds the lock any more) and a partial file.
            Path incoming = root.resolve(".incoming");
            Files.createFile(incoming.resolve("dead.lock"));
            Path partial = Files.write(
                    Files.createDirectories(incoming.resolve("dead")).resolve("instance-1.part"), new byte[100]);
            new InstanceStore(root).close();
            assertFalse(Files.exists(partial), "a dead process's partial file survived a start");
            assertFalse(Files.exists(incoming.resolve("dead.lock")));
            assertTrue(Files.exists(kept.file()), "a live process's staged file was deleted");
            assertArrayEquals(Files.readAllBytes(Variants.CT_SMALL), Files.readAllBytes(kept.file()));
        }
    }

    /**
     * The last moment of an import: the file is in place and synced, the row not yet committed, and the process
     * dies (here: the commit never happens). No row points anywhere; importing the same file again completes it.
     */
    @Test
    void crashBetweenPlacingTheFileAndCommitting_leavesNoRow_andAReimportCompletesIt() throws Exception {
        Path file = variant(Map.of(TagFromName.SOPInstanceUID, newUid()));
        String sop = DicomFiles.readHeader(file).sopInstanceUid();
        // A second process on the library's own store, as a second node would be.
        try (InstanceStore store = new InstanceStore(dir.resolve("studies"))) {
            InstanceStore.Staged staged = store.stage(file);
            store.sync(List.of(staged));
            var d = DicomFiles.readHeader(file);
            Path target = store.pathOf(d.studyInstanceUid(), d.seriesInstanceUid(), d.sopInstanceUid());
            var entry = new StudyIndex.Entry(d, target, staged.size(), staged.sha256(), null);
            assertThrows(
                    IOException.class,
                    () -> library.index().add(List.of(entry), placed -> {
                        store.place(staged, target);
                        store.syncDirectories(List.of(target));
                        throw new IOException("killed");
                    }));
            assertTrue(Files.exists(target), "the file was placed");
            assertEquals(0, count("select count(*) from instance where sop_uid = '" + sop + "'"));
        }
        assertEquals(1, importOne(file).imported());
        assertStoredFilesMatchTheirRows();
    }

    /**
     * The store cannot stage (its staging directory is gone, as a full or remounted disk would refuse it; root
     * ignores a read-only mode): the import fails as the server's fault, with a StoreException naming the step
     * and no path, and does not report the uploaded files as unreadable. Nothing is stored or indexed.
     */
    @Test
    void storeFailureIsAServerErrorNotTheUploadsFault() throws Exception {
        Path root = Files.createDirectories(work.resolve("store-" + (++counter)));
        Path a = variant(Map.of(TagFromName.SOPInstanceUID, newUid()));
        Path b = variant(Map.of(TagFromName.SOPInstanceUID, newUid()));
        String before = snapshot();
        try (InstanceStore store = new InstanceStore(root)) {
            try (Stream<Path> staging = Files.list(root.resolve(".incoming"))) {
                for (Path d : staging.filter(Files::isDirectory).toList()) {
                    Files.delete(d);
                }
            }
            StudyImporter importer = new StudyImporter(store, library.index());
            StoreException e = assertThrows(
                    StoreException.class,
                    () -> importer.importFiles(
                            List.of(new StudyImporter.Candidate(a, "a.dcm"), new StudyImporter.Candidate(b, "b.dcm"))));
            assertTrue(e.getMessage().startsWith("the instance store cannot create a staging file"), e.getMessage());
            assertFalse(e.getMessage().contains(root.toString()), "the message names a path: " + e.getMessage());
        }
        assertEquals(before, snapshot(), "a failed store changed the index");
        try (Stream<Path> files = Files.walk(root)) {
            assertEquals(
                    List.of(),
                    files.filter(Files::isRegularFile)
                            .filter(f -> f.toString().endsWith(".dcm"))
                            .toList());
        }
    }

    /**
     * The store fails while moving a batch into place (the second study's directory cannot be made): the import
     * fails as the server's fault and the batch leaves nothing, not the first file placed without its row.
     */
    @Test
    void storeFailureWhilePlacing_leavesNeitherRowNorFile() throws Exception {
        Path root = Files.createDirectories(work.resolve("store-" + (++counter)));
        String studyA = newUid();
        String studyB = newUid();
        Path a = variant(Map.of(
                TagFromName.StudyInstanceUID,
                studyA,
                TagFromName.SeriesInstanceUID,
                newUid(),
                TagFromName.SOPInstanceUID,
                newUid()));
        Path b = variant(Map.of(
                TagFromName.StudyInstanceUID,
                studyB,
                TagFromName.SeriesInstanceUID,
                newUid(),
                TagFromName.SOPInstanceUID,
                newUid()));
        String before = snapshot();
        try (InstanceStore store = new InstanceStore(root)) {
            Files.createFile(root.resolve(studyB)); // where the second study's directory must go
            StudyImporter importer = new StudyImporter(store, library.index());
            StoreException e = assertThrows(
                    StoreException.class,
                    () -> importer.importFiles(
                            List.of(new StudyImporter.Candidate(a, "a.dcm"), new StudyImporter.Candidate(b, "b.dcm"))));
            assertTrue(
                    e.getMessage().startsWith("the instance store cannot move a staged file into place"),
                    e.getMessage());
            assertFalse(e.getMessage().contains(studyB), "the message names a study: " + e.getMessage());
        }
        assertEquals(before, snapshot(), "a failed store changed the index");
        assertEquals(0, count("select count(*) from study where study_uid in ('" + studyA + "', '" + studyB + "')"));
        try (Stream<Path> files = Files.walk(root)) {
            assertEquals(
                    List.of(),
                    files.filter(f -> f.toString().endsWith(".dcm")).toList(),
                    "a file stayed without its row");
        }
    }

    private static List<ImportReport> race(ExecutorService pool, Path a, Path b) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        List<Future<ImportReport>> f = new ArrayList<>();
        for (Path p : List.of(a, b)) {
            f.add(pool.submit(() -> {
                start.await();
                return importOne(p);
            }));
        }
        return List.of(f.get(0).get(), f.get(1).get());
    }

    private static List<String> reasons(List<ImportReport> reports) {
        return reports.stream()
                .flatMap(r -> r.rejected().stream())
                .map(ImportReport.Rejection::reason)
                .toList();
    }

    private static void assertStoredFilesMatchTheirRows() throws Exception {
        try (Connection c = embedded.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select file_path, content_sha256 from instance")) {
            while (rs.next()) {
                assertArrayEquals(rs.getBytes(2), InstanceStore.sha256Of(Path.of(rs.getString(1))), rs.getString(1));
            }
        }
    }

    private static ImportReport importOne(Path file) throws Exception {
        return library.importer()
                .importFiles(List.of(
                        new StudyImporter.Candidate(file, file.getFileName().toString())));
    }

    private static Path variant(Map<com.pixelmed.dicom.AttributeTag, String> changes) throws Exception {
        return Variants.of(Variants.CT_SMALL, work.resolve("variant-" + (++counter) + ".dcm"), changes);
    }

    private static String newUid() {
        return "2.25." + (System.nanoTime() & Long.MAX_VALUE) + (++counter);
    }

    /** Every row of the index and the bytes of every stored file, as one comparable text. */
    private static String snapshot() throws Exception {
        StringBuilder sb = new StringBuilder();
        try (Connection c = embedded.dataSource().getConnection();
                Statement s = c.createStatement()) {
            for (String table : List.of(
                    "patient order by id",
                    "study order by study_uid",
                    "series order by series_uid",
                    "instance order by sop_uid")) {
                try (ResultSet rs = s.executeQuery("select * from " + table)) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            sb.append(rs.getString(i)).append('|');
                        }
                        sb.append('\n');
                    }
                }
            }
        }
        try (Stream<Path> files = Files.walk(dir.resolve("studies"))) {
            for (Path f : files.filter(Files::isRegularFile)
                    .filter(p -> !p.toString().contains("/.incoming/"))
                    .sorted()
                    .toList()) {
                sb.append(f)
                        .append(' ')
                        .append(HexFormat.of().formatHex(InstanceStore.sha256Of(f)))
                        .append('\n');
            }
        }
        return sb.toString();
    }

    private static void execute(String sql) throws Exception {
        try (Connection c = embedded.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long count(String sql) throws Exception {
        try (Connection c = embedded.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
