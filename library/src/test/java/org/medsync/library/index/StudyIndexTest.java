package org.medsync.library.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.library.EmbeddedLibrary;
import org.medsync.library.StudyLibrary;
import org.medsync.library.importer.ImportReport;
import org.medsync.library.importer.StudyImporter;
import org.medsync.testsupport.part10.Variants;

/**
 * Searching the index (PostgreSQL): the worklist's free text, the QIDO-RS keys with DICOM wildcards, date ranges,
 * modality, paging, and instance look-ups only under the study and series that hold them. Three studies of three
 * patients, imported from real files; no test changes them.
 */
class StudyIndexTest {
    private static EmbeddedLibrary embedded;
    private static StudyLibrary library;
    private static StudyIndex index;

    private record Study(String uid, String seriesUid, String sopUid) {}

    /** Garcia^Ana, CT, 2020-01-01, accession ACC_1, "Head 100% contrast". */
    private static Study ana;
    /** Garcia^Bea, MR, 2021-06-01, accession ACC21, "Knee". */
    private static Study bea;
    /** Lopez^Carl, CT, 2022-03-15, accession ACC3, "Chest". */
    private static Study carl;

    @BeforeAll
    static void start() throws Exception {
        embedded = EmbeddedLibrary.start("index-test");
        library = embedded.library();
        index = library.index();
        ana = study(Variants.CT_SMALL, 1, "Garcia^Ana", "IDX-A", "20200101", "ACC_1", "Head 100% contrast");
        bea = study(Variants.MR_SMALL, 2, "Garcia^Bea", "IDX-B", "20210601", "ACC21", "Knee");
        carl = study(Variants.CT_SMALL, 3, "Lopez^Carl", "IDX-C", "20220315", "ACC3", "Chest");
    }

    @AfterAll
    static void stop() throws Exception {
        embedded.close();
    }

    @Test
    void freeText_findsNameIdAccessionOrDescription_anyCase_newestFirst() throws Exception {
        assertEquals(List.of(bea.uid(), ana.uid()), text("garcia"));
        assertEquals(List.of(carl.uid()), text("idx-C"));
        assertEquals(List.of(bea.uid()), text("acc21"));
        assertEquals(List.of(carl.uid()), text(" CHEST "));
        assertEquals(List.of(carl.uid(), bea.uid(), ana.uid()), text(null));
        assertEquals(List.of(carl.uid(), bea.uid(), ana.uid()), text("  "));
    }

    @Test
    void freeText_percentAndUnderscore_areLiteral_notSqlWildcards() throws Exception {
        assertEquals(List.of(ana.uid()), text("100%"));
        assertEquals(List.of(ana.uid()), text("%"));
        assertEquals(List.of(ana.uid()), text("acc_"));
        assertEquals(List.of(), text("\\"));
    }

    @Test
    void patientName_matchesWholeValue_withDicomWildcards() throws Exception {
        assertEquals(List.of(bea.uid(), ana.uid()), name("GARCIA*"));
        assertEquals(List.of(bea.uid()), name("garcia^?ea"));
        assertEquals(List.of(), name("garcia"), "without a wildcard the whole name must match");
        assertEquals(List.of(), name("garcia^_na"), "an SQL wildcard is a literal character");
        assertEquals(List.of(carl.uid()), name("lopez^carl"));
    }

    @Test
    void studyDates_areAnInclusiveRange_openAtEitherEnd() throws Exception {
        assertEquals(List.of(carl.uid(), bea.uid()), dates("20210101", null));
        assertEquals(List.of(bea.uid(), ana.uid()), dates(null, "20210601"));
        assertEquals(List.of(bea.uid()), dates("20210601", "20210601"));
        assertEquals(List.of(), dates("20230101", null));
    }

    @Test
    void exactKeys_modalityAndPaging() throws Exception {
        assertEquals(List.of(bea.uid()), uids(query(null, null, "IDX-B", null, null, null, "MR", 0, 0)));
        assertEquals(List.of(), uids(query(null, null, "IDX-B", null, null, null, "CT", 0, 0)));
        assertEquals(List.of(ana.uid()), uids(query(null, null, null, "ACC_1", null, null, null, 0, 0)));
        assertEquals(List.of(carl.uid()), uids(query(null, carl.uid(), null, null, null, null, null, 0, 0)));
        assertEquals(List.of(carl.uid(), bea.uid()), uids(query(null, null, null, null, null, null, null, 2, 0)));
        assertEquals(List.of(ana.uid()), uids(query(null, null, null, null, null, null, null, 2, 2)));
    }

    @Test
    void aStudyRow_carriesItsPatientAndCounts() throws Exception {
        StudyRow row = index.findStudies(query(null, bea.uid(), null, null, null, null, null, 0, 0))
                .getFirst();
        assertEquals("IDX-B", row.patientId());
        assertEquals("Garcia^Bea", row.patientName());
        assertEquals("20210601", row.studyDate());
        assertEquals("Knee", row.description());
        assertEquals(List.of("MR"), row.modalities());
        assertEquals(1, row.numberOfSeries());
        assertEquals(1, row.numberOfInstances());
        assertEquals(1, index.findSeries(bea.uid()).getFirst().numberOfInstances());
    }

    @Test
    void anInstanceIsFoundOnlyUnderItsOwnStudyAndSeries() throws Exception {
        assertTrue(index.findInstance(ana.uid(), ana.seriesUid(), ana.sopUid()).isPresent());
        assertTrue(index.findInstance(carl.uid(), ana.seriesUid(), ana.sopUid()).isEmpty());
        assertTrue(index.findInstance(ana.uid(), carl.seriesUid(), ana.sopUid()).isEmpty());
        assertEquals(List.of(), index.findInstances(carl.uid(), ana.seriesUid()));
        assertEquals(List.of(), index.findSeries("1.2.3.4"));
        assertTrue(index.contains(ana.sopUid()));
    }

    @Test
    void limits_areBoundedAndNeverNegative() {
        assertEquals(100, StudyQuery.text(null, 0).limit());
        assertEquals(StudyQuery.MAX_LIMIT, StudyQuery.text(null, 1_000_000).limit());
        assertEquals(0, query(null, null, null, null, null, null, null, 5, -3).offset());
    }

    private static Study study(
            Path sample, int n, String name, String patientId, String date, String accession, String description)
            throws Exception {
        Study s = new Study(
                "1.2.826.0.1.3680043.10.1337.71." + n,
                "1.2.826.0.1.3680043.10.1337.72." + n,
                "1.2.826.0.1.3680043.10.1337.73." + n);
        Map<AttributeTag, String> changes = new HashMap<>();
        changes.put(TagFromName.StudyInstanceUID, s.uid());
        changes.put(TagFromName.SeriesInstanceUID, s.seriesUid());
        changes.put(TagFromName.SOPInstanceUID, s.sopUid());
        changes.put(TagFromName.PatientName, name);
        changes.put(TagFromName.PatientID, patientId);
        changes.put(TagFromName.StudyDate, date);
        changes.put(TagFromName.AccessionNumber, accession);
        changes.put(TagFromName.StudyDescription, description);
        Path file = Variants.of(sample, embedded.dir().resolve(n + ".dcm"), changes);
        ImportReport r = library.importer().importFiles(List.of(new StudyImporter.Candidate(file, n + ".dcm")));
        assertEquals(1, r.imported(), r.toString());
        return s;
    }

    private static StudyQuery query(
            String text,
            String studyUid,
            String patientId,
            String accession,
            String from,
            String to,
            String modality,
            int limit,
            int offset) {
        return new StudyQuery(text, studyUid, patientId, null, accession, from, to, modality, limit, offset);
    }

    private static List<String> text(String text) throws Exception {
        return uids(StudyQuery.text(text, 0));
    }

    private static List<String> name(String pattern) throws Exception {
        return uids(new StudyQuery(null, null, null, pattern, null, null, null, null, 0, 0));
    }

    private static List<String> dates(String from, String to) throws Exception {
        return uids(query(null, null, null, null, from, to, null, 0, 0));
    }

    private static List<String> uids(StudyQuery q) throws Exception {
        return index.findStudies(q).stream().map(StudyRow::studyUid).toList();
    }
}
