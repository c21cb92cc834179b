package org.medsync.archive.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.archive.ArchiveDatabase;
import org.medsync.archive.access.AccessLog;
import org.medsync.archive.catalog.Hospital;
import org.medsync.archive.catalog.Objects;
import org.medsync.archive.catalog.Recording;
import org.medsync.archive.catalog.Recordings;
import org.medsync.archive.jobs.JobQueue;
import org.medsync.archive.retention.RetentionPolicies.Anchor;
import org.medsync.archive.store.FileObjectStore;
import org.medsync.archive.store.ObjectStore;
import org.medsync.archive.vault.Vault;

/**
 * Retention arithmetic (the paper's 20 years after the last visit, leap days), visits that move it, policies as
 * data, legal holds, the one deletion path (refused and logged, then allowed: objects gone, shared ones kept) and
 * the expiry job's report, on a real PostgreSQL and a real object store.
 */
class RetentionTest {
    private static ArchiveDatabase db;
    private static Vault vault;
    private static ObjectStore store;
    private static Recordings recordings;
    private static Retention retention;
    private static AccessLog log;

    @BeforeAll
    static void start() throws Exception {
        db = ArchiveDatabase.start("retention");
        store = new FileObjectStore(db.dir().resolve("objects"));
        vault = new Vault(db.dataSource(), store);
        recordings = new Recordings(db.dataSource());
        retention = new Retention(db.dataSource());
        log = new AccessLog(db.dataSource());
        for (String h : List.of("north", "south", "east", "west")) {
            db.hospital(h, Hospital.MasterPolicy.KEEP, 45);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        vault.close();
        db.close();
    }

    @Test
    void end_isTheDayAfterTheAnniversary_andA29FebruaryAnchorEndsAfter28FebruaryInCommonYears() {
        assertEquals(Instant.parse("2046-05-21T00:00:00Z"), Retention.end(LocalDate.of(2026, 5, 20), 20));
        // 2044 is a leap year: 29 February exists, and is the last day kept.
        assertEquals(Instant.parse("2044-03-01T00:00:00Z"), Retention.end(LocalDate.of(2024, 2, 29), 20));
        // 2045 is not: the period's last day is 28 February (art. 112 k.c.), deletion from 1 March.
        assertEquals(Instant.parse("2045-03-01T00:00:00Z"), Retention.end(LocalDate.of(2024, 2, 29), 21));
        assertEquals(Instant.parse("2045-03-01T00:00:00Z"), Retention.end(LocalDate.of(2024, 2, 28), 21));
        assertEquals(Instant.parse("2026-05-21T00:00:00Z"), Retention.end(LocalDate.of(2026, 5, 20), 0));
        // The paper's example: surgery in 2019 of a 20-year-old who lives to 80 and keeps visiting: last visit in
        // 2079, kept until 2099.
        assertEquals(Instant.parse("2099-06-02T00:00:00Z"), Retention.end(LocalDate.of(2079, 6, 1), 20));
    }

    @Test
    void theDefault_keepsARecording20YearsAfterThePatientsLastVisit_andAVisitExtendsIt() throws Exception {
        String patient = patient();
        Recording r = recording("north", patient, "2026-12-01T23:30:00Z", "Cholecystectomy");
        Retention.Term t = retention.of(r.id()).orElseThrow();
        assertEquals(LocalDate.of(2026, 12, 1), t.anchorDate());
        assertEquals(Instant.parse("2046-12-02T00:00:00Z"), t.end());
        assertTrue(t.explanation().contains("20 years after the patient's last visit (2026-12-01"), t.explanation());
        assertFalse(t.explanation().contains(patient), "no patient id in the explanation: " + t.explanation());

        // A later recording of the same patient at the same hospital is a visit.
        recording("north", patient, "2031-03-10T10:00:00Z", "Follow-up");
        assertEquals(
                Instant.parse("2051-03-11T00:00:00Z"),
                retention.of(r.id()).orElseThrow().end());
        // ... one at another hospital is not (its records are its own).
        recording("south", patient, "2035-01-01T10:00:00Z", "Other");
        assertEquals(
                Instant.parse("2051-03-11T00:00:00Z"),
                retention.of(r.id()).orElseThrow().end());

        // A visit told to the archive moves it on.
        Instant now = Instant.parse("2033-01-01T00:00:00Z");
        List<String> affected = retention.recordVisit("north", patient, LocalDate.of(2032, 2, 29), "test", now);
        assertEquals(2, affected.size());
        Retention.Term later = retention.of(r.id()).orElseThrow();
        assertEquals(Instant.parse("2052-03-01T00:00:00Z"), later.end());
        assertTrue(later.explanation().contains("a visit recorded for the patient"), later.explanation());
        // An earlier visit changes nothing; a future one, an unknown hospital, a blank patient are refused.
        retention.recordVisit("north", patient, LocalDate.of(2028, 1, 1), "test", now);
        assertEquals(later.end(), retention.of(r.id()).orElseThrow().end());
        assertThrows(
                IllegalArgumentException.class,
                () -> retention.recordVisit("north", patient, LocalDate.of(2040, 1, 1), "test", now));
        assertThrows(
                IllegalArgumentException.class,
                () -> retention.recordVisit("nowhere", patient, LocalDate.of(2030, 1, 1), "test", now));
        assertThrows(
                IllegalArgumentException.class,
                () -> retention.recordVisit("north", " ", LocalDate.of(2030, 1, 1), "test", now));
    }

    @Test
    void aHospitalsPolicy_andAProcedureOverride_replaceTheDefault_whichCannotBeRemoved() throws Exception {
        RetentionPolicies policies = retention.policies();
        policies.set("east", null, 10, Anchor.RECORDING, "ten years from the recording", "test");
        RetentionPolicies.Policy override = policies.set("east", "Biopsy", 30, Anchor.LAST_VISIT, null, "test");
        Recording plain = recording("east", patient(), "2026-06-15T08:00:00Z", "Appendectomy");
        Recording biopsy = recording("east", patient(), "2026-06-15T08:00:00Z", "biopsy");
        Recording anonymous = recording("east", null, "2026-06-15T08:00:00Z", "Biopsy");
        assertEquals(
                Instant.parse("2036-06-16T00:00:00Z"),
                retention.of(plain.id()).orElseThrow().end());
        assertEquals(
                Instant.parse("2056-06-16T00:00:00Z"),
                retention.of(biopsy.id()).orElseThrow().end());
        Retention.Term noPatient = retention.of(anonymous.id()).orElseThrow();
        assertTrue(noPatient.explanation().contains("names no patient"), noPatient.explanation());
        // A copy is kept as long as its original.
        Recording copy = recordings.createAnonymizedCopy(biopsy, "copy");
        Retention.Term copyTerm = retention.of(copy.id()).orElseThrow();
        assertEquals(Instant.parse("2056-06-16T00:00:00Z"), copyTerm.end());
        assertEquals(biopsy.id(), copyTerm.governedBy());

        assertTrue(policies.remove(override.id()));
        assertEquals(
                Instant.parse("2036-06-16T00:00:00Z"),
                retention.of(biopsy.id()).orElseThrow().end());
        long defaultId = policies.all().getFirst().id();
        assertNull(policies.all().getFirst().hospitalId());
        assertFalse(policies.remove(defaultId), "the default stays");
        assertThrows(
                IllegalArgumentException.class, () -> policies.set("east", null, 201, Anchor.RECORDING, null, "t"));
    }

    @Test
    void deletion_isRefusedBeforeTheEndAndUnderAHold_andEveryAttemptIsLogged_thenRemovesOnlyUnsharedObjects()
            throws Exception {
        Path dir = Files.createDirectories(db.dir().resolve("deletion"));
        Path shared = Files.writeString(dir.resolve("shared.bin"), "bytes two recordings share " + UUID.randomUUID());
        Path own = Files.writeString(dir.resolve("own.bin"), "bytes of one rendition " + UUID.randomUUID());
        String patient = patient();
        Recording r = recording("west", patient, "2026-12-01T08:00:00Z", "Hernia", shared);
        Recording other = recording("west", patient(), "2026-12-01T09:00:00Z", "Hernia", shared);
        var ownObject = vault.put(own, "west");
        rendition(r.id(), ownObject.sha256(), ownObject.size());
        Recording copy = recordings.createAnonymizedCopy(r, "teaching copy");
        String sharedSha = r.sourceObject();

        Instant before = Instant.parse("2046-12-01T12:00:00Z");
        Instant after = Instant.parse("2046-12-02T00:00:00Z");
        DeletionRefused early = assertThrows(
                DeletionRefused.class,
                () -> deletions(before).delete(r.id(), "patient asked", AccessLog.ActorKind.USER, "admin"));
        assertTrue(early.underRetention());
        assertEquals(after, early.retainedUntil());
        assertTrue(early.getMessage().contains("retention runs until 2046-12-02T00:00:00Z"), early.getMessage());
        assertTrue(recordings.find(r.id()).isPresent());

        Holds holds = new Holds(db.dataSource(), log, Clock.fixed(before, ZoneOffset.UTC));
        assertThrows(
                IllegalArgumentException.class,
                () -> holds.place(Holds.Scope.PATIENT, "west", patient, " ", AccessLog.ActorKind.USER, "lawyer"));
        Holds.Hold hold = holds.place(
                Holds.Scope.PATIENT, "west", patient, "lawsuit 12/2046", AccessLog.ActorKind.USER, "lawyer");
        assertEquals(List.of(r.id(), copy.id()).stream().sorted().toList(), holds.covered(hold));
        // Deleting the copy alone is refused too: its original's patient is under hold.
        DeletionRefused held = assertThrows(
                DeletionRefused.class,
                () -> deletions(after).delete(copy.id(), "cleanup", AccessLog.ActorKind.USER, "admin"));
        assertFalse(held.underRetention());
        assertEquals(
                List.of(hold.id()), held.holds().stream().map(Holds.Hold::id).toList());
        assertTrue(held.getMessage().contains("legal hold " + hold.id()), held.getMessage());

        assertThrows(
                IllegalArgumentException.class, () -> holds.lift(hold.id(), "", AccessLog.ActorKind.USER, "lawyer"));
        Holds.Hold lifted = holds.lift(hold.id(), "case settled", AccessLog.ActorKind.USER, "lawyer");
        assertFalse(lifted.active());
        assertEquals("case settled", lifted.liftReason());
        assertThrows(
                IllegalStateException.class, () -> holds.lift(hold.id(), "again", AccessLog.ActorKind.USER, "lawyer"));

        Deletions.Deleted done = deletions(after)
                .delete(r.id(), "retention over", AccessLog.ActorKind.USER, "admin")
                .orElseThrow();
        assertTrue(done.complete());
        assertEquals(List.of(r.id(), copy.id()), done.recordings());
        assertEquals(List.of(ownObject.sha256()), done.removed());
        assertEquals(List.of(sharedSha), done.kept());
        assertTrue(recordings.find(r.id()).isEmpty());
        assertTrue(recordings.find(copy.id()).isEmpty());
        assertEquals(Optional.empty(), store.size(ownObject.sha256()), "the rendition's object left the store");
        assertTrue(vault.find(ownObject.sha256()).isEmpty());
        assertTrue(store.size(sharedSha).isPresent(), "the object another recording uses stays");
        assertTrue(recordings.find(other.id()).isPresent());

        List<String> actions =
                log.of(r.id()).stream().map(e -> e.action() + ":" + e.allowed()).toList();
        assertEquals(List.of("delete-refused:false", "hold:true", "hold-lift:true", "delete:true"), actions);
        assertEquals(
                List.of("hold:true", "delete-refused:false", "hold-lift:true", "delete:true"),
                log.of(copy.id()).stream()
                        .map(e -> e.action() + ":" + e.allowed())
                        .toList());
        for (var e : log.latest(50)) {
            assertFalse(String.valueOf(e.detail()).contains(patient), "no patient id in the log: " + e.detail());
        }
        assertTrue(deletions(after)
                .delete(r.id(), "again", AccessLog.ActorKind.USER, "admin")
                .isEmpty());
    }

    @Test
    void theExpiryJob_reportsExpiredRecordings_deletesOnlyWhenConfigured_andNeverUnderAHold() throws Exception {
        db.hospital("expiry", Hospital.MasterPolicy.KEEP, 45);
        retention.policies().set("expiry", null, 1, Anchor.RECORDING, null, "test");
        Recording old = recording("expiry", patient(), "2020-01-10T08:00:00Z", "A");
        Recording heldOne = recording("expiry", patient(), "2020-01-11T08:00:00Z", "B");
        Recording young = recording("expiry", patient(), "2026-11-30T08:00:00Z", "C");
        Instant now = Instant.parse("2026-12-01T03:00:00Z");
        Holds holds = new Holds(db.dataSource(), log, Clock.fixed(now, ZoneOffset.UTC));
        Holds.Hold hold = holds.place(
                Holds.Scope.RECORDING, null, heldOne.id(), "insurer's claim", AccessLog.ActorKind.USER, "lawyer");

        RetentionExpiry.Run report = expiry(now, false).runOnce(null, (f, s) -> {});
        List<RetentionExpiry.Item> items = expiry(now, false).items(report.id()).stream()
                .filter(i -> i.hospitalId().equals("expiry"))
                .toList();
        assertEquals(
                List.of(old.id() + ":reported", heldOne.id() + ":held"),
                items.stream().map(i -> i.recordingId() + ":" + i.outcome()).toList());
        assertEquals(Instant.parse("2021-01-11T00:00:00Z"), items.getFirst().retentionEnd());
        assertTrue(items.get(1).detail().contains(hold.id()));
        assertEquals(0, report.deleted());
        assertTrue(recordings.find(old.id()).isPresent(), "report only by default");

        RetentionExpiry.Run deleting = expiry(now, true).runOnce(7L, (f, s) -> {});
        assertEquals(Long.valueOf(7), deleting.jobId());
        assertTrue(deleting.deleted() >= 1);
        assertTrue(recordings.find(old.id()).isEmpty());
        assertTrue(recordings.find(heldOne.id()).isPresent());
        assertTrue(recordings.find(young.id()).isPresent());
        // Appended once, at the first run that found it expired.
        assertEquals(
                1,
                log.of(old.id()).stream()
                        .filter(e -> e.action().equals("retention-expired"))
                        .count());
        List<String> heldActions =
                log.of(heldOne.id()).stream().map(AccessLog.Entry::action).toList();
        assertEquals(List.of("hold", "retention-expired"), heldActions);
        assertTrue(log.of(heldOne.id()).stream().noneMatch(e -> e.action().equals("delete")));
    }

    @Test
    void theDailyRun_isQueuedOnceADay_fromItsTime() throws Exception {
        JobQueue jobs = new JobQueue(db.dataSource(), Duration.ofSeconds(60));
        // Job rows are stamped by the database's clock: the test works on today's real date.
        Instant now = Instant.now();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        RetentionSettings lateInTheDay = new RetentionSettings(false, LocalTime.of(23, 59, 59));
        Instant beforeItsTime = today.atTime(23, 0).toInstant(ZoneOffset.UTC);
        assertTrue(RetentionExpiry.enqueueDaily(db.dataSource(), jobs, lateInTheDay, beforeItsTime)
                .isEmpty());
        RetentionSettings midnight = new RetentionSettings(false, LocalTime.MIDNIGHT);
        Optional<Long> first = RetentionExpiry.enqueueDaily(db.dataSource(), jobs, midnight, now);
        Optional<Long> second = RetentionExpiry.enqueueDaily(db.dataSource(), jobs, midnight, now.plusSeconds(60));
        assertTrue(first.isPresent(), "due since midnight");
        assertTrue(second.isEmpty(), "one run a day, whichever node asks");
        var job = jobs.find(first.get()).orElseThrow();
        assertEquals(RetentionExpiry.KIND, job.kind());
        assertNull(job.recordingId());
    }

    private static Deletions deletions(Instant now) {
        return new Deletions(db.dataSource(), vault, retention, log, Clock.fixed(now, ZoneOffset.UTC));
    }

    private static RetentionExpiry expiry(Instant now, boolean delete) {
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        return new RetentionExpiry(
                db.dataSource(),
                retention,
                new Holds(db.dataSource(), log, clock),
                deletions(now),
                new ObjectLocks(db.dataSource(), vault),
                log,
                new RetentionSettings(delete, LocalTime.of(2, 0)),
                clock);
    }

    private static String patient() {
        return "PID-" + UUID.randomUUID();
    }

    private static Recording recording(String hospital, String patient, String startedAt, String procedure)
            throws Exception {
        Path file = Files.writeString(
                Files.createDirectories(db.dir().resolve("src")).resolve(UUID.randomUUID() + ".bin"),
                "source " + UUID.randomUUID());
        return recording(hospital, patient, startedAt, procedure, file);
    }

    private static Recording recording(String hospital, String patient, String startedAt, String procedure, Path file)
            throws Exception {
        var o = vault.put(file, hospital);
        return recordings.create(
                new Recording.Declared(
                        hospital,
                        "OR 1",
                        null,
                        "Dr Test",
                        "surgeon",
                        procedure,
                        "ACC-" + UUID.randomUUID(),
                        null,
                        patient,
                        patient == null ? null : "Doe^Jane",
                        Instant.parse(startedAt),
                        "a recording",
                        "or1.mp4"),
                o.sha256(),
                o.size(),
                "video/mp4");
    }

    private static void rendition(String recordingId, String sha256, long size) throws Exception {
        new Objects(db.dataSource()).record(sha256, size, "video/mp4");
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement r = c.prepareStatement(
                        "insert into archive_rendition (recording_id, name, kind) values (?, 'master', 'master')");
                PreparedStatement f = c.prepareStatement("insert into archive_rendition_file (recording_id,"
                        + " rendition, path, sha256, media_type) values (?, 'master', 'master.mp4', ?, 'video/mp4')")) {
            r.setString(1, recordingId);
            r.executeUpdate();
            f.setString(1, recordingId);
            f.setString(2, sha256);
            f.executeUpdate();
        }
    }
}
