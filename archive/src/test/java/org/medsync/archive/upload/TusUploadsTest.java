package org.medsync.archive.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medsync.archive.EmbeddedArchiveDatabase;
import org.medsync.archive.catalog.Device;
import org.medsync.archive.catalog.Devices;
import org.medsync.archive.catalog.Hospital;
import org.medsync.archive.catalog.Hospitals;
import org.medsync.archive.catalog.Recording;
import org.medsync.archive.catalog.Recordings;
import org.medsync.archive.store.FileObjectStore;
import org.medsync.archive.vault.Vault;

/** The tus core on a real database and object store: the protocol, its refusals, restarts, expiry. */
class TusUploadsTest {
    private static EmbeddedArchiveDatabase db;
    private static Hospitals hospitals;
    private static Recordings recordings;
    private static Vault store;
    private static Uploader recorder;
    private static Uploader otherRecorder;

    private final List<Recording> accepted = new ArrayList<>();
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-03-01T10:00:00Z"));
    private TusUploads tus;

    @BeforeAll
    static void start() throws Exception {
        db = EmbeddedArchiveDatabase.start("tus");
        hospitals = new Hospitals(db.dataSource());
        recordings = new Recordings(db.dataSource());
        hospitals.save(new Hospital("north", "North", Hospital.MasterPolicy.KEEP, 45, List.of()));
        hospitals.save(new Hospital("south", "South", Hospital.MasterPolicy.KEEP, 45, List.of()));
        hospitals.addMember("north", "grey");
        Devices devices = new Devices(db.dataSource());
        Device north = devices.issue("north-or-1", "north", "OR 1", "", "admin").device();
        Device south = devices.issue("south-or-1", "south", "OR 9", "", "admin").device();
        recorder = Uploader.device(north);
        otherRecorder = Uploader.device(south);
        store = new Vault(db.dataSource(), new FileObjectStore(db.dir().resolve("objects")));
    }

    @AfterAll
    static void stop() throws Exception {
        store.close();
        db.close();
    }

    @BeforeEach
    void newServer() throws IOException {
        tus = server(accepted::add);
    }

    TusUploads server(UploadListener listener) throws IOException {
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        return new TusUploads(
                new TusUploads.Settings(db.dir().resolve("uploads"), 10_000_000, Duration.ofHours(1), "/u"),
                db.dataSource(),
                hospitals,
                recordings,
                store,
                listener,
                clock);
    }

    /** Request headers, looked up case-insensitively as HTTP does. */
    static UnaryOperator<String> headers(String... pairs) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i].toLowerCase(Locale.ROOT), pairs[i + 1]);
        }
        return name -> m.get(name.toLowerCase(Locale.ROOT));
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static byte[] content(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    static String metadata(String sha, String... more) {
        StringBuilder m = new StringBuilder("sha256 " + b64(sha) + ",startedAt " + b64("2026-03-01T08:15:30Z"));
        for (int i = 0; i < more.length; i += 2) {
            m.append(',').append(more[i]).append(' ').append(b64(more[i + 1]));
        }
        return m.toString();
    }

    String create(Uploader who, byte[] file, String... more) throws Exception {
        TusResponse r = tus.create(
                who,
                headers(
                        "Tus-Resumable",
                        "1.0.0",
                        "Upload-Length",
                        String.valueOf(file.length),
                        "Upload-Metadata",
                        metadata(sha256(file), more)));
        assertEquals(201, r.status(), r.message());
        String location = r.headers().get("Location");
        assertTrue(location.matches("/u/[0-9a-f]{32}"), location);
        assertNotNull(r.headers().get("Upload-Expires"));
        return location.substring(3);
    }

    TusResponse patch(Uploader who, String id, long offset, byte[] body, String... extra) throws Exception {
        List<String> h = new ArrayList<>(List.of(
                "Tus-Resumable",
                "1.0.0",
                "Content-Type",
                "application/offset+octet-stream",
                "Upload-Offset",
                String.valueOf(offset),
                "Content-Length",
                String.valueOf(body.length)));
        h.addAll(List.of(extra));
        return tus.patch(who, id, headers(h.toArray(String[]::new)), new ByteArrayInputStream(body));
    }

    long offset(Uploader who, String id) throws Exception {
        TusResponse r = tus.head(who, id, headers("Tus-Resumable", "1.0.0"));
        assertEquals(200, r.status(), r.message());
        assertEquals("no-store", r.headers().get("Cache-Control"));
        return Long.parseLong(r.headers().get("Upload-Offset"));
    }

    @Test
    void options_namesVersionExtensionsLimitAndChecksum() {
        TusResponse r = tus.options();
        assertEquals(204, r.status());
        assertEquals("1.0.0", r.headers().get("Tus-Version"));
        assertEquals("creation,termination,checksum,expiration", r.headers().get("Tus-Extension"));
        assertEquals("10000000", r.headers().get("Tus-Max-Size"));
        assertEquals("sha256", r.headers().get("Tus-Checksum-Algorithm"));
    }

    @Test
    void uploadInThreePatches_becomesARecordingWithTheDevicesPlace() throws Exception {
        byte[] file = content(300_000);
        String id = create(recorder, file, "filename", "case.mp4", "patientName", "Doe^Jane", "studyUid", "1.2.3");
        assertEquals(0, offset(recorder, id));
        assertEquals(
                204,
                patch(recorder, id, 0, Arrays.copyOfRange(file, 0, 100_000)).status());
        assertEquals(100_000, offset(recorder, id));
        TusResponse second = patch(recorder, id, 100_000, Arrays.copyOfRange(file, 100_000, 200_000));
        assertEquals("200000", second.headers().get("Upload-Offset"));
        assertNull(second.headers().get(TusUploads.RECORDING_HEADER));
        TusResponse last = patch(recorder, id, 200_000, Arrays.copyOfRange(file, 200_000, 300_000));
        assertEquals(204, last.status(), last.message());
        String recordingId = last.headers().get(TusUploads.RECORDING_HEADER);
        Recording r = recordings.find(recordingId).orElseThrow();
        assertEquals(List.of(r), accepted);
        assertEquals("north", r.hospitalId());
        assertEquals("OR 1", r.operatingRoom());
        assertEquals("north-or-1", r.deviceId());
        assertNull(r.owner());
        assertEquals("Doe^Jane", r.patientName());
        assertEquals("case.mp4", r.title());
        assertEquals(sha256(file), r.sourceObject());
        try (InputStream in = store.open(r.sourceObject(), 0, -1)) {
            assertArrayEquals(file, in.readAllBytes());
        }
        assertFalse(Files.exists(tus.part(id)), "the staged file is gone once stored");
        TusResponse head = tus.head(recorder, id, headers("Tus-Resumable", "1.0.0"));
        assertEquals("300000", head.headers().get("Upload-Offset"));
        assertEquals(recordingId, head.headers().get(TusUploads.RECORDING_HEADER));
        // A repeat of the last, already applied PATCH (its answer was lost) is answered, not refused.
        assertEquals(409, patch(recorder, id, 200_000, new byte[10]).status());
        assertEquals(
                recordingId, patch(recorder, id, 300_000, new byte[0]).headers().get(TusUploads.RECORDING_HEADER));
        assertEquals(1, accepted.size());
    }

    @Test
    void aRestartedServer_continuesFromTheFileOnDisk_andFinishes() throws Exception {
        byte[] file = content(50_000);
        String id = create(recorder, file);
        patch(recorder, id, 0, Arrays.copyOfRange(file, 0, 20_000));
        tus = server(accepted::add); // a new process: nothing in memory
        assertEquals(20_000, offset(recorder, id));
        TusResponse last = patch(recorder, id, 20_000, Arrays.copyOfRange(file, 20_000, 50_000));
        assertEquals(204, last.status(), last.message());
        assertEquals(
                sha256(file),
                recordings
                        .find(last.headers().get(TusUploads.RECORDING_HEADER))
                        .orElseThrow()
                        .sourceObject());
    }

    @Test
    void bytesOfAPatchCutShort_areKept_andTheUploadResumesAfterThem() throws Exception {
        byte[] file = content(40_000);
        String id = create(recorder, file);
        InputStream dropsAfter15000 = new InputStream() {
            int pos;

            @Override
            public int read() throws IOException {
                throw new IOException("use the array read");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (pos >= 15_000) {
                    throw new IOException("connection reset");
                }
                int n = Math.min(len, 15_000 - pos);
                System.arraycopy(file, pos, b, off, n);
                pos += n;
                return n;
            }
        };
        assertThrows(
                IOException.class,
                () -> tus.patch(
                        recorder,
                        id,
                        headers(
                                "Tus-Resumable", "1.0.0",
                                "Content-Type", "application/offset+octet-stream",
                                "Upload-Offset", "0",
                                "Content-Length", "40000"),
                        dropsAfter15000));
        assertEquals(15_000, offset(recorder, id));
        TusResponse last = patch(recorder, id, 15_000, Arrays.copyOfRange(file, 15_000, 40_000));
        assertNotNull(last.headers().get(TusUploads.RECORDING_HEADER), last.message());
    }

    @Test
    void wrongWholeFileSha256_isRefusedWith460_andTheUploadDiscarded() throws Exception {
        byte[] file = content(10_000);
        byte[] other = content(10_001);
        TusResponse created = tus.create(
                recorder,
                headers(
                        "Tus-Resumable", "1.0.0",
                        "Upload-Length", "10000",
                        "Upload-Metadata", metadata(sha256(other))));
        String id = created.headers().get("Location").substring(3);
        TusResponse r = patch(recorder, id, 0, file);
        assertEquals(460, r.status());
        assertEquals("file-sha256-mismatch", r.error());
        assertTrue(r.message().contains(sha256(file)) && r.message().contains(sha256(other)), r.message());
        assertFalse(Files.exists(tus.part(id)));
        assertEquals(
                410, tus.head(recorder, id, headers("Tus-Resumable", "1.0.0")).status());
        assertTrue(accepted.isEmpty());
        assertTrue(store.size(sha256(file)).isEmpty(), "nothing stored");
    }

    @Test
    void patchChecksum_mismatchDropsThatPatchOnly() throws Exception {
        byte[] file = content(20_000);
        String id = create(recorder, file);
        byte[] first = Arrays.copyOfRange(file, 0, 10_000);
        String good = Base64.getEncoder()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(first));
        String bad = Base64.getEncoder().encodeToString(new byte[32]);
        TusResponse refused = patch(recorder, id, 0, first, "Upload-Checksum", "sha256 " + bad);
        assertEquals(460, refused.status());
        assertEquals("checksum-mismatch", refused.error());
        assertEquals(0, offset(recorder, id));
        assertEquals(
                204,
                patch(recorder, id, 0, first, "Upload-Checksum", "sha256 " + good)
                        .status());
        assertEquals(10_000, offset(recorder, id));
        TusResponse last = patch(recorder, id, 10_000, Arrays.copyOfRange(file, 10_000, 20_000));
        assertNotNull(last.headers().get(TusUploads.RECORDING_HEADER), last.message());
    }

    @Test
    void offsetMismatch_is409_andSaysWhereTheUploadIs() throws Exception {
        byte[] file = content(1000);
        String id = create(recorder, file);
        patch(recorder, id, 0, Arrays.copyOfRange(file, 0, 400));
        TusResponse r = patch(recorder, id, 300, Arrays.copyOfRange(file, 300, 1000));
        assertEquals(409, r.status());
        assertEquals("offset-mismatch", r.error());
        assertTrue(r.message().contains("400"), r.message());
        assertEquals(400, offset(recorder, id));
    }

    @Test
    void bodyPastTheLength_is413_andNothingOfItIsKept() throws Exception {
        byte[] file = content(1000);
        String id = create(recorder, file);
        assertEquals(413, patch(recorder, id, 0, content(1001)).status());
        // Without a Content-Length (chunked), found while reading.
        TusResponse chunked = tus.patch(
                recorder,
                id,
                headers(
                        "Tus-Resumable", "1.0.0",
                        "Content-Type", "application/offset+octet-stream",
                        "Upload-Offset", "0"),
                new ByteArrayInputStream(content(1500)));
        assertEquals(413, chunked.status());
        assertEquals("body-too-long", chunked.error());
        assertEquals(0, offset(recorder, id));
    }

    @Test
    void refusals_ofCreate_haveTheirStatus() throws Exception {
        String sha = sha256(content(10));
        assertEquals(412, tus.create(recorder, headers("Upload-Length", "10")).status());
        TusResponse version = tus.create(recorder, headers("Tus-Resumable", "0.2.2", "Upload-Length", "10"));
        assertEquals("1.0.0", version.headers().get("Tus-Version"));
        assertEquals(
                413,
                tus.create(
                                recorder,
                                headers(
                                        "Tus-Resumable",
                                        "1.0.0",
                                        "Upload-Length",
                                        "10000001",
                                        "Upload-Metadata",
                                        metadata(sha)))
                        .status());
        assertEquals(
                400,
                tus.create(recorder, headers("Tus-Resumable", "1.0.0", "Upload-Metadata", metadata(sha)))
                        .status());
        TusResponse otherHospital = tus.create(
                recorder,
                headers(
                        "Tus-Resumable",
                        "1.0.0",
                        "Upload-Length",
                        "10",
                        "Upload-Metadata",
                        metadata(sha, "hospital", "south")));
        assertEquals(403, otherHospital.status());
        assertEquals("not-a-member", otherHospital.error());
        TusResponse garbage = tus.create(
                recorder, headers("Tus-Resumable", "1.0.0", "Upload-Length", "10", "Upload-Metadata", "sha256 ***"));
        assertEquals("bad-base64", garbage.error());
        assertEquals(400, garbage.status());
    }

    @Test
    void users_uploadForTheirHospitalsOnly_adminsForAny() throws Exception {
        String sha = sha256(content(10));
        UnaryOperator<String> forSouth = headers(
                "Tus-Resumable", "1.0.0", "Upload-Length", "10", "Upload-Metadata", metadata(sha, "hospital", "south"));
        assertEquals(403, tus.create(Uploader.user("grey", false), forSouth).status());
        assertEquals(201, tus.create(Uploader.user("root", true), forSouth).status());
        UnaryOperator<String> nowhere = headers(
                "Tus-Resumable",
                "1.0.0",
                "Upload-Length",
                "10",
                "Upload-Metadata",
                metadata(sha, "hospital", "nowhere"));
        assertEquals(
                "unknown-hospital",
                tus.create(Uploader.user("root", true), nowhere).error());
        // A member of exactly one hospital need not name it.
        byte[] file = content(10);
        String id = create(Uploader.user("grey", false), file);
        TusResponse last = patch(Uploader.user("grey", false), id, 0, file);
        Recording r =
                recordings.find(last.headers().get(TusUploads.RECORDING_HEADER)).orElseThrow();
        assertEquals("north", r.hospitalId());
        assertEquals("grey", r.owner());
        assertNull(r.deviceId());
    }

    @Test
    void anotherUploadersUpload_isNotFound() throws Exception {
        byte[] file = content(100);
        String id = create(recorder, file);
        assertEquals(
                404,
                tus.head(otherRecorder, id, headers("Tus-Resumable", "1.0.0")).status());
        assertEquals(404, patch(otherRecorder, id, 0, file).status());
        assertEquals(
                404,
                tus.terminate(Uploader.user("grey", false), id, headers("Tus-Resumable", "1.0.0"))
                        .status());
        assertEquals(
                404,
                tus.head(recorder, "../../etc/passwd", headers("Tus-Resumable", "1.0.0"))
                        .status());
        assertEquals(0, offset(recorder, id));
    }

    @Test
    void terminate_discardsTheBytes_andLaterRequestsAreGone() throws Exception {
        byte[] file = content(100);
        String id = create(recorder, file);
        patch(recorder, id, 0, Arrays.copyOfRange(file, 0, 50));
        assertEquals(
                204,
                tus.terminate(recorder, id, headers("Tus-Resumable", "1.0.0")).status());
        assertFalse(Files.exists(tus.part(id)));
        assertEquals(
                410, patch(recorder, id, 50, Arrays.copyOfRange(file, 50, 100)).status());
    }

    @Test
    void expiry_discardsAnIdleUpload_andSweepCleansUp() throws Exception {
        byte[] file = content(100);
        String a = create(recorder, file);
        String b = create(recorder, content(101));
        patch(recorder, a, 0, Arrays.copyOfRange(file, 0, 10));
        now.set(now.get().plus(Duration.ofMinutes(61)));
        TusResponse expired = patch(recorder, a, 10, Arrays.copyOfRange(file, 10, 100));
        assertEquals(410, expired.status());
        assertEquals("expired", expired.error());
        assertEquals(1, tus.sweep(), "b expired too");
        assertFalse(Files.exists(tus.part(b)));
        assertEquals(0, tus.sweep());
    }

    @Test
    void aPatchExtendsTheExpiry() throws Exception {
        byte[] file = content(100);
        String id = create(recorder, file);
        now.set(now.get().plus(Duration.ofMinutes(50)));
        patch(recorder, id, 0, Arrays.copyOfRange(file, 0, 10));
        now.set(now.get().plus(Duration.ofMinutes(50)));
        assertEquals(10, offset(recorder, id));
    }

    @Test
    void storeFailure_onTheLastByte_is503_andHeadFinishesLater() throws Exception {
        tus = server(r -> {
            throw new IOException("queue down");
        });
        byte[] file = content(2000);
        String id = create(recorder, file);
        TusResponse r = patch(recorder, id, 0, file);
        assertEquals(503, r.status());
        assertEquals("unavailable", r.error());
        tus = server(accepted::add);
        TusResponse head = tus.head(recorder, id, headers("Tus-Resumable", "1.0.0"));
        assertEquals("2000", head.headers().get("Upload-Offset"));
        String recordingId = head.headers().get(TusUploads.RECORDING_HEADER);
        assertEquals(recordingId, accepted.getFirst().id(), "the recording written before the failure is the one");
        assertEquals(
                recordingId,
                tus.head(recorder, id, headers("Tus-Resumable", "1.0.0"))
                        .headers()
                        .get(TusUploads.RECORDING_HEADER));
        assertEquals(1, accepted.size());
    }

    @Test
    void anEmptyFile_isARecordingAtOnce() throws Exception {
        TusResponse r = tus.create(
                recorder,
                headers(
                        "Tus-Resumable",
                        "1.0.0",
                        "Upload-Length",
                        "0",
                        "Upload-Metadata",
                        metadata(sha256(new byte[0]))));
        assertEquals(201, r.status());
        assertNotNull(r.headers().get(TusUploads.RECORDING_HEADER));
    }
}
