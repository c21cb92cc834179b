package org.medsync.archive.pacs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.archive.EmbeddedArchiveDatabase;
import org.medsync.archive.catalog.Hospital;
import org.medsync.archive.catalog.Hospitals;
import org.medsync.dicom.video.VideoInstance;

/** A hospital's procedure-to-region mapping, and the default when it has none. */
class AnatomicRegionsTest {
    private static final VideoInstance.Code GALLBLADDER =
            new VideoInstance.Code("28231008", "SCT", "Gallbladder structure");
    private static final VideoInstance.Code ABDOMEN = new VideoInstance.Code("818983003", "SCT", "Abdomen");
    private static final VideoInstance.Code KNEE = new VideoInstance.Code("72696002", "SCT", "Knee region structure");

    private static EmbeddedArchiveDatabase db;
    private static AnatomicRegions regions;

    @BeforeAll
    static void start() throws Exception {
        db = EmbeddedArchiveDatabase.start("regions");
        Hospitals hospitals = new Hospitals(db.dataSource());
        hospitals.save(new Hospital("north", "North", Hospital.MasterPolicy.KEEP, 45, List.of()));
        hospitals.save(new Hospital("south", "South", Hospital.MasterPolicy.KEEP, 45, List.of()));
        regions = new AnatomicRegions(db.dataSource());
        regions.put(new AnatomicRegions.Mapping("north", "Laparoscopic", ABDOMEN));
        regions.put(new AnatomicRegions.Mapping("north", "laparoscopic cholecystectomy", GALLBLADDER));
        regions.put(new AnatomicRegions.Mapping("north", "47.0", ABDOMEN));
        regions.put(new AnatomicRegions.Mapping("north", "arthroscopy", KNEE));
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
    }

    @Test
    void theLongestWholeWordMatchWins_caseInsensitive() throws Exception {
        assertEquals(GALLBLADDER, regions.regionOf("north", "LAPAROSCOPIC Cholecystectomy, elective"));
        assertEquals(ABDOMEN, regions.regionOf("north", "Laparoscopic appendectomy"));
        assertEquals(ABDOMEN, regions.regionOf("north", "47.0"));
        assertEquals(KNEE, regions.regionOf("north", "Knee arthroscopy (right)"));
    }

    @Test
    void withoutAMatchOrAMappingTheVideoSaysEntireBody() throws Exception {
        // "arthroscopy" inside another word is no match; neither is the code as part of a longer number.
        assertEquals(VideoInstance.UNSPECIFIED_REGION, regions.regionOf("north", "Nonarthroscopy review"));
        assertEquals(VideoInstance.UNSPECIFIED_REGION, regions.regionOf("north", "147.01"));
        assertEquals(VideoInstance.UNSPECIFIED_REGION, regions.regionOf("north", null));
        assertEquals(VideoInstance.UNSPECIFIED_REGION, regions.regionOf("south", "Laparoscopic cholecystectomy"));
    }

    @Test
    void replacingAndRemovingAMapping() throws Exception {
        regions.put(new AnatomicRegions.Mapping("south", "tonsillectomy", ABDOMEN));
        regions.put(new AnatomicRegions.Mapping("south", "TONSILLECTOMY", KNEE));
        assertEquals(List.of(new AnatomicRegions.Mapping("south", "tonsillectomy", KNEE)), regions.of("south"));
        assertTrue(regions.remove("south", "Tonsillectomy"));
        assertEquals(VideoInstance.UNSPECIFIED_REGION, regions.regionOf("south", "Tonsillectomy"));
    }

    @Test
    void rejectsMappingsDicomCannotCarry() {
        assertThrows(IllegalArgumentException.class, () -> new AnatomicRegions.Mapping("north", " ", KNEE));
        assertThrows(
                IllegalArgumentException.class,
                () -> new AnatomicRegions.Mapping("north", "x", new VideoInstance.Code("1 2", "SCT", "x")));
        assertThrows(
                IllegalArgumentException.class,
                () -> new AnatomicRegions.Mapping("north", "x", new VideoInstance.Code("1", "sct", "x")));
        assertThrows(
                IllegalArgumentException.class,
                () -> new AnatomicRegions.Mapping("north", "x", new VideoInstance.Code("1", "SCT", "m".repeat(65))));
    }
}
