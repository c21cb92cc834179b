package org.medsync.archive.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.archive.catalog.Hospital;
import org.medsync.archive.catalog.Hospitals;
import org.medsync.archive.catalog.Recording;
import org.medsync.archive.catalog.Recordings;
import org.medsync.library.database.Database;

/** Who sees which recording, on a real PostgreSQL: the rules of docs/archive-api.md "Access". */
class PrivilegesTest {
    private static final String SHA = "a".repeat(64);
    private static Path dir;
    private static Database db;
    private static Recordings recordings;
    private static MutableClock clock;
    private static Privileges privileges;
    private static Grants grants;
    private static ShareLinks links;
    private static Recording original;
    private static Recording copy;
    private static Recording otherHospital;

    private static final Viewer OWNER = new Viewer("dr-owner", false, true, false, Set.of("north"));
    private static final Viewer COLLEAGUE = new Viewer("dr-colleague", false, true, false, Set.of("north"));
    private static final Viewer STRANGER = new Viewer("dr-stranger", false, true, false, Set.of("south"));
    private static final Viewer ADMIN = new Viewer("admin", true, true, false, Set.of());
    private static final Viewer STUDENT = new Viewer("student", false, false, true, Set.of("north"));
    private static final Viewer SOUTH_STUDENT = new Viewer("student2", false, false, true, Set.of("south"));

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory(Path.of("/tmp"), "medsync-privileges-");
        db = Database.start(Database.Settings.embedded(dir.resolve("postgres"), 0));
        Hospitals hospitals = new Hospitals(db.dataSource());
        hospitals.save(new Hospital("north", "North", Hospital.MasterPolicy.KEEP, 45, List.of()));
        hospitals.save(new Hospital("south", "South", Hospital.MasterPolicy.KEEP, 45, List.of()));
        recordings = new Recordings(db.dataSource());
        clock = new MutableClock(Instant.parse("2026-06-01T10:00:00Z"));
        privileges = new Privileges(db.dataSource(), clock);
        grants = new Grants(db.dataSource(), clock);
        links = new ShareLinks(db.dataSource(), clock);
        original = recordings.create(declared("north", "dr-owner", "Doe^Jane", "OR 3"), SHA, 10, "video/mp4");
        copy = recordings.createAnonymizedCopy(original, "Anonymized copy");
        otherHospital = recordings.create(declared("south", "dr-south", "Roe^Rick", "OR 1"), SHA, 10, "video/mp4");
    }

    private static Recording.Declared declared(String hospital, String owner, String patient, String room) {
        return new Recording.Declared(
                hospital,
                room,
                null,
                "Dr Cutter",
                owner,
                "Cholecystectomy",
                "ACC-" + patient.hashCode(),
                "1.2.3." + Math.abs(patient.hashCode()),
                "PID-" + Math.abs(patient.hashCode()),
                patient,
                Instant.parse("2026-05-20T08:00:00Z"),
                patient + " cholecystectomy",
                "or3.mp4");
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void ownerHospitalCliniciansAndAdminSeeTheOriginalOthersDoNot() throws Exception {
        assertTrue(privileges.visible(OWNER, original.id()).isPresent());
        assertTrue(privileges.visible(COLLEAGUE, original.id()).isPresent());
        assertTrue(privileges.visible(ADMIN, original.id()).isPresent());
        assertTrue(privileges.visible(STRANGER, original.id()).isEmpty());
        // The owner keeps their recording after leaving the hospital.
        assertTrue(privileges
                .visible(new Viewer("dr-owner", false, true, false, Set.of()), original.id())
                .isPresent());
        // A non-clinician member (no role in the archive) does not see the hospital's originals.
        assertTrue(privileges
                .visible(new Viewer("clerk", false, false, false, Set.of("north")), original.id())
                .isEmpty());
        assertTrue(privileges.visible(OWNER, "no-such-id").isEmpty());
    }

    @Test
    void studentsSeeOnlyAnonymizedCopiesOfTheirHospitalsWithoutIdentifiers() throws Exception {
        assertTrue(privileges.visible(STUDENT, original.id()).isEmpty());
        assertTrue(privileges.visible(STUDENT, copy.id()).isPresent());
        assertTrue(privileges.visible(SOUTH_STUDENT, copy.id()).isEmpty());
        assertTrue(privileges.visible(SOUTH_STUDENT, otherHospital.id()).isEmpty());
        List<Recording> all = privileges.search(STUDENT, RecordingSearch.ALL);
        assertEquals(List.of(copy.id()), all.stream().map(Recording::id).toList());
        Recording shown = privileges.shown(STUDENT, all.getFirst());
        assertNull(shown.derivedFrom());
        assertNull(shown.patientName());
        assertNull(shown.studyUid());
        assertFalse(privileges.mayDownloadMaster(STUDENT, copy));
        assertFalse(privileges.mayFetch(STUDENT, copy, "master"));
        assertTrue(privileges.mayFetch(STUDENT, copy, "hls"));
        assertFalse(privileges.mayShare(STUDENT, copy));
    }

    @Test
    void identifyingSearchKeysAreRefusedForStudentsAndMatchForClinicians() throws Exception {
        var byPatient = RecordingSearch.parse(Map.of("patient", List.of("doe")));
        assertThrows(Privileges.IdentifyingKey.class, () -> privileges.search(STUDENT, byPatient));
        assertThrows(
                Privileges.IdentifyingKey.class,
                () -> privileges.search(STUDENT, RecordingSearch.parse(Map.of("study", List.of(original.studyUid())))));
        assertEquals(
                List.of(original.id()),
                privileges.search(OWNER, byPatient).stream().map(Recording::id).toList());
        // A LIKE wildcard in a key is a literal character, not "anything".
        assertTrue(privileges
                .search(OWNER, RecordingSearch.parse(Map.of("patient", List.of("%"))))
                .isEmpty());
        // Allowed keys on a student's search still read anonymized rows only.
        List<Recording> byRoom = privileges.search(STUDENT, RecordingSearch.parse(Map.of("room", List.of("or 3"))));
        assertEquals(List.of(copy.id()), byRoom.stream().map(Recording::id).toList());
        assertEquals(
                1,
                privileges
                        .search(
                                ADMIN,
                                RecordingSearch.parse(Map.of("from", List.of("2026-05-20"), "room", List.of("3"))))
                        .stream()
                        .filter(r -> !r.anonymized())
                        .count());
    }

    @Test
    void searchParserRefusesGarbageWithPreciseMessages() {
        var e = assertThrows(
                IllegalArgumentException.class, () -> RecordingSearch.parse(Map.of("from", List.of("yesterday"))));
        assertTrue(e.getMessage().startsWith("from is a date"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RecordingSearch.parse(Map.of("limit", List.of("0"))));
        assertThrows(IllegalArgumentException.class, () -> RecordingSearch.parse(Map.of("color", List.of("red"))));
        assertThrows(IllegalArgumentException.class, () -> RecordingSearch.parse(Map.of("room", List.of("a", "b"))));
        assertThrows(IllegalArgumentException.class, () -> RecordingSearch.parse(Map.of("status", List.of("gone"))));
    }

    @Test
    void grantsGiveAccessUntilTheyExpireOrAreRevoked() throws Exception {
        Recording r = recordings.create(declared("north", "dr-owner", "Poe^Ed", "OR 2"), SHA, 10, "video/mp4");
        assertTrue(privileges.visible(STRANGER, r.id()).isEmpty());
        var grant = grants.create(
                r.id(), STRANGER.username(), OWNER.username(), clock.instant().plusSeconds(3600));
        assertTrue(privileges.visible(STRANGER, r.id()).isPresent());
        assertFalse(privileges.mayShare(STRANGER, r), "a grantee cannot pass the recording on");
        clock.advance(Duration.ofHours(2));
        assertTrue(privileges.visible(STRANGER, r.id()).isEmpty(), "expired");
        var second = grants.create(
                r.id(), STRANGER.username(), OWNER.username(), clock.instant().plusSeconds(3600));
        assertTrue(privileges.visible(STRANGER, r.id()).isPresent());
        assertTrue(grants.revoke(second.id(), OWNER.username()));
        assertFalse(grants.revoke(second.id(), OWNER.username()), "revoked once");
        assertTrue(privileges.visible(STRANGER, r.id()).isEmpty(), "revoked");
        assertFalse(grants.find(grant.id()).orElseThrow().activeAt(clock.instant()));
        assertThrows(
                IllegalArgumentException.class,
                () -> grants.create(
                        r.id(), "x", OWNER.username(), clock.instant().minusSeconds(1)));
    }

    @Test
    void aStudentGrantedAnOriginalSeesOnlyItsAnonymizedCopy() throws Exception {
        Recording r = recordings.create(declared("south", "dr-south", "Moe^Al", "OR 9"), SHA, 10, "video/mp4");
        Recording c = recordings.createAnonymizedCopy(r, "Teaching copy");
        grants.create(r.id(), STUDENT.username(), "dr-south", clock.instant().plusSeconds(3600));
        assertTrue(privileges.visible(STUDENT, r.id()).isEmpty());
        assertTrue(privileges.visible(STUDENT, c.id()).isPresent());
    }

    @Test
    void linksResolveUntilExpiredOrRevokedAndAnonymizedLinksNeverServeTheOriginal() throws Exception {
        var plain = links.create(
                original.id(), false, OWNER.username(), clock.instant().plusSeconds(600));
        assertEquals(43, plain.token().length());
        var resolved = links.resolve(plain.token());
        assertEquals(plain.link().id(), resolved.link().orElseThrow().id());
        assertEquals(
                original.id(),
                privileges.servedBy(resolved.link().orElseThrow()).orElseThrow().id());

        var anonymized = links.create(
                original.id(), true, OWNER.username(), clock.instant().plusSeconds(600));
        Recording served = privileges
                .servedBy(links.resolve(anonymized.token()).link().orElseThrow())
                .orElseThrow();
        assertEquals(copy.id(), served.id());
        assertTrue(served.anonymized());

        assertEquals(ShareLinks.Refusal.MALFORMED, links.resolve("short").refusal());
        assertEquals(ShareLinks.Refusal.UNKNOWN, links.resolve("A".repeat(43)).refusal());
        assertTrue(links.revoke(plain.link().id(), OWNER.username()));
        assertEquals(ShareLinks.Refusal.REVOKED, links.resolve(plain.token()).refusal());
        clock.advance(Duration.ofMinutes(11));
        assertEquals(
                ShareLinks.Refusal.EXPIRED, links.resolve(anonymized.token()).refusal());
    }

    @Test
    void anAnonymizedLinkToARecordingWithoutCopyServesNothing() throws Exception {
        Recording r = recordings.create(declared("north", "dr-owner", "Loe^Bo", "OR 4"), SHA, 10, "video/mp4");
        var link = links.create(r.id(), true, OWNER.username(), clock.instant().plusSeconds(600));
        assertTrue(privileges
                .servedBy(links.resolve(link.token()).link().orElseThrow())
                .isEmpty());
    }

    @Test
    void theAccessLogKeepsEveryAttempt() throws Exception {
        AccessLog log = new AccessLog(db.dataSource());
        log.user(STUDENT, original.id(), "view", false, "not visible");
        log.append("link:abc", AccessLog.ActorKind.LINK, original.id(), "link-use", true, "playlist");
        List<AccessLog.Entry> entries = log.of(original.id());
        assertEquals(
                List.of("view", "link-use"),
                entries.stream().map(AccessLog.Entry::action).toList());
        assertFalse(entries.getFirst().allowed());
        assertEquals("link", entries.get(1).actorKind());
    }
}
