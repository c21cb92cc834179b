package org.medsync.archive.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.archive.EmbeddedArchiveDatabase;

class RecordingsTest {
    private static final String SHA_A = "a".repeat(64);
    private static final String SHA_B = "b".repeat(64);
    private static EmbeddedArchiveDatabase db;
    private static Recordings recordings;
    private static Objects objects;

    @BeforeAll
    static void start() throws Exception {
        db = EmbeddedArchiveDatabase.start("recordings");
        recordings = new Recordings(db.dataSource());
        objects = new Objects(db.dataSource());
        new Hospitals(db.dataSource())
                .save(new Hospital("general", "General", Hospital.MasterPolicy.KEEP, 45, List.of()));
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
    }

    static Recording.Declared declared(String studyUid, Instant startedAt) {
        return new Recording.Declared(
                "general",
                "OR 4",
                null,
                "Dr Grey",
                "grey",
                "Laparoscopic cholecystectomy",
                "ACC-1",
                studyUid,
                "PID-7",
                "Doe^Jane",
                startedAt,
                "Chole",
                "chole.mp4");
    }

    @Test
    void create_storesEveryDeclaredField_andTheSourceObject() throws Exception {
        Instant started = Instant.parse("2026-03-01T08:15:30Z");
        Recording r = recordings.create(declared("1.2.3.4", started), SHA_A, 1234, "video/mp4");
        assertEquals(Optional.of(r), recordings.find(r.id()));
        assertEquals("general", r.hospitalId());
        assertEquals("OR 4", r.operatingRoom());
        assertEquals("Dr Grey", r.operator());
        assertEquals("grey", r.owner());
        assertEquals("ACC-1", r.accession());
        assertEquals("Doe^Jane", r.patientName());
        assertEquals(started, r.startedAt());
        assertEquals(SHA_A, r.sourceObject());
        assertEquals("chole.mp4", r.sourceName());
        assertEquals(Recording.Status.UPLOADED, r.status());
        assertNull(r.durationSeconds());
        assertFalse(r.anonymized());
        assertEquals(1234L, sizeOf(SHA_A));
    }

    @Test
    void create_sameSourceTwice_sharesOneObject() throws Exception {
        Recording a = recordings.create(declared("1.2.3.5", Instant.now()), SHA_B, 99, "video/mp4");
        Recording b = recordings.create(declared("1.2.3.5", Instant.now()), SHA_B, 99, "video/mp4");
        assertEquals(a.sourceObject(), b.sourceObject());
        objects.record(SHA_B, 99, "video/mp4");
        assertEquals(99L, sizeOf(SHA_B));
    }

    @Test
    void create_unknownHospital_failsAndLeavesNoObjectRow() {
        Recording.Declared d = declared("1.2.9", Instant.now());
        Recording.Declared elsewhere = new Recording.Declared(
                "nowhere",
                d.operatingRoom(),
                null,
                d.operator(),
                d.owner(),
                d.procedure(),
                d.accession(),
                d.studyUid(),
                d.patientId(),
                d.patientName(),
                d.startedAt(),
                d.title(),
                d.sourceName());
        String sha = "c".repeat(64);
        assertThrows(SQLException.class, () -> recordings.create(elsewhere, sha, 5, "video/mp4"));
        assertThrows(IllegalStateException.class, () -> sizeOf(sha), "the transaction rolled back");
    }

    @Test
    void objects_refuseAKeyThatIsNotASha256() {
        assertThrows(SQLException.class, () -> objects.record("not-a-hash", 1, "video/mp4"));
    }

    @Test
    void status_andDuration_areUpdated() throws Exception {
        Recording r = recordings.create(declared("1.2.3.6", Instant.now()), SHA_A, 1234, "video/mp4");
        recordings.setStatus(r.id(), Recording.Status.FAILED, "master PSNR 31.2 dB is below 45 dB");
        recordings.setDuration(r.id(), 12.5);
        Recording after = recordings.find(r.id()).orElseThrow();
        assertEquals(Recording.Status.FAILED, after.status());
        assertEquals("master PSNR 31.2 dB is below 45 dB", after.statusMessage());
        assertEquals(12.5, after.durationSeconds());
        recordings.setStatus(r.id(), Recording.Status.READY, null);
        assertNull(recordings.find(r.id()).orElseThrow().statusMessage());
    }

    @Test
    void anonymizedCopy_hasNoPatientOrProcedureIdentifiers_andNamesItsOriginal() throws Exception {
        Recording original = recordings.create(declared("1.2.3.7", Instant.now()), SHA_A, 1234, "video/mp4");
        recordings.setDuration(original.id(), 20);
        Recording copy =
                recordings.createAnonymizedCopy(recordings.find(original.id()).orElseThrow(), "Teaching");
        assertTrue(copy.anonymized());
        assertEquals(original.id(), copy.derivedFrom());
        assertNull(copy.patientId());
        assertNull(copy.patientName());
        assertNull(copy.accession());
        assertNull(copy.studyUid());
        assertNull(copy.operator());
        assertNull(copy.sourceObject());
        assertEquals(20.0, copy.durationSeconds());
        assertEquals(Recording.Status.PROCESSING, copy.status());
        Recording newer = recordings.createAnonymizedCopy(original, "Teaching 2");
        assertEquals(
                List.of(newer.id(), copy.id()),
                recordings.anonymizedCopiesOf(original.id()).stream()
                        .map(Recording::id)
                        .toList());
    }

    @Test
    void ofStudy_oldestFirst_onlyThatStudy() throws Exception {
        Recording later =
                recordings.create(declared("9.9.9", Instant.parse("2026-01-01T10:00:00Z")), SHA_A, 1234, "video/mp4");
        Recording earlier =
                recordings.create(declared("9.9.9", Instant.parse("2026-01-01T09:00:00Z")), SHA_A, 1234, "video/mp4");
        recordings.create(declared("9.9.8", Instant.now()), SHA_A, 1234, "video/mp4");
        assertEquals(
                List.of(earlier.id(), later.id()),
                recordings.ofStudy("9.9.9").stream().map(Recording::id).toList());
        assertEquals(List.of(), recordings.ofStudy("0.0"));
    }

    private static long sizeOf(String sha) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement s = c.prepareStatement("select size from archive_object where sha256 = ?")) {
            s.setString(1, sha);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new IllegalStateException("no object row " + sha);
                }
                return r.getLong(1);
            }
        }
    }
}
