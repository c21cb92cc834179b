package org.medsync.archive.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.archive.EmbeddedArchiveDatabase;

class HospitalsTest {
    private static EmbeddedArchiveDatabase db;
    private static Hospitals hospitals;

    @BeforeAll
    static void start() throws Exception {
        db = EmbeddedArchiveDatabase.start("hospitals");
        hospitals = new Hospitals(db.dataSource());
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
    }

    @Test
    void save_thenFind_keepsPolicyAndRegions() throws Exception {
        Hospital h = new Hospital(
                "st-mary",
                "St Mary's",
                Hospital.MasterPolicy.HEVC_422,
                47.5,
                List.of(new Hospital.Region(0, 0, 1, 0.08), new Hospital.Region(0.7, 0.9, 0.3, 0.1)));
        hospitals.save(h);
        assertEquals(Optional.of(h), hospitals.find("st-mary"));
    }

    @Test
    void save_existingId_updatesIt() throws Exception {
        hospitals.save(new Hospital("renamed", "Old", Hospital.MasterPolicy.KEEP, 45, List.of()));
        Hospital updated = new Hospital("renamed", "New", Hospital.MasterPolicy.H264_422, 40, List.of());
        hospitals.save(updated);
        assertEquals(Optional.of(updated), hospitals.find("renamed"));
        assertEquals(
                1,
                hospitals.all().stream().filter(x -> x.id().equals("renamed")).count());
    }

    @Test
    void badId_isRefusedByTheSchema() {
        assertThrows(
                SQLException.class,
                () -> hospitals.save(new Hospital("Bad Id", "x", Hospital.MasterPolicy.KEEP, 45, List.of())));
    }

    @Test
    void members_addRemove_andHospitalsOfAUser() throws Exception {
        hospitals.save(new Hospital("east", "East", Hospital.MasterPolicy.KEEP, 45, List.of()));
        hospitals.save(new Hospital("west", "West", Hospital.MasterPolicy.KEEP, 45, List.of()));
        hospitals.addMember("east", "dr-house");
        hospitals.addMember("west", "dr-house");
        hospitals.addMember("west", "dr-house");
        assertEquals(Set.of("east", "west"), hospitals.of("dr-house"));
        hospitals.addMember("west", "dr-cuddy");
        assertEquals(List.of("dr-cuddy", "dr-house"), hospitals.members("west"));
        hospitals.removeMember("east", "dr-house");
        assertEquals(Set.of("west"), hospitals.of("dr-house"));
        assertEquals(Set.of(), hospitals.of("nobody"));
    }

    @Test
    void unknownPolicy_andRegionOutsideTheFrame_areRefused() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Hospital.MasterPolicy.of("av1"));
        assertTrue(e.getMessage().contains("keep"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Hospital.Region(0.5, 0, 0.6, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new Hospital.Region(0, 0, 0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new Hospital.Region(Double.NaN, 0, 0.1, 0.1));
    }
}
