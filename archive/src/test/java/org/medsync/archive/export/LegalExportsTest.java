package org.medsync.archive.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.archive.ArchiveDatabase;
import org.medsync.archive.access.AccessLog;
import org.medsync.archive.audit.AuditChain;
import org.medsync.archive.audit.AuditEntry;
import org.medsync.archive.catalog.Flags;
import org.medsync.archive.catalog.Hospital;
import org.medsync.archive.catalog.Hospitals;
import org.medsync.archive.catalog.Recording;
import org.medsync.archive.catalog.Recordings;
import org.medsync.archive.catalog.Renditions;
import org.medsync.archive.store.FileObjectStore;
import org.medsync.archive.store.ObjectStore;
import org.medsync.archive.vault.Vault;
import org.w3c.dom.Document;

/**
 * A legal export of real stored objects, checked with the tools a court's expert would use: Debian's openssl verifies
 * the manifest's signature and sha256sum checks every file; one changed byte in a file or in the manifest fails them.
 */
class LegalExportsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ArchiveDatabase db;
    private static Vault vault;
    private static Recording recording;
    private static Recording second;
    private static byte[] source;
    private static byte[] master;

    @BeforeAll
    static void start() throws Exception {
        db = ArchiveDatabase.start("legal-export");
        vault = new Vault(db.dataSource(), new FileObjectStore(db.dir().resolve("objects")));
        db.hospital("north", Hospital.MasterPolicy.H264_422, 45);
        Random random = new Random(14);
        source = new byte[20_000];
        random.nextBytes(source);
        master = new byte[12_000];
        random.nextBytes(master);
        // A name as a recorder may send it: spaces and a path separator must not reach the package as they are.
        Path sourceFile = Files.write(db.dir().resolve("OR 1 (left) clip.mp4"), source);
        recording = db.recording("north", vault, sourceFile);
        Path masterFile = Files.write(db.dir().resolve("master.mkv"), master);
        ObjectStore.StoredObject m = vault.put(masterFile, "north");
        new Renditions(db.dataSource())
                .replace(
                        recording.id(),
                        List.of(new Renditions.Rendition(
                                "master",
                                "master",
                                "h264",
                                "High 4:2:2",
                                "yuv422p10le",
                                320,
                                180,
                                2_000_000L,
                                51.2,
                                0.995,
                                false,
                                List.of(new Renditions.File("master.mkv", m.sha256(), m.size(), "video/x-matroska")))));
        new Flags(db.dataSource()).replace(recording.id(), List.of(new Flags.Flag("black", 1.0, 2.0, "black frames")));
        second = db.recording("north", vault, Files.write(db.dir().resolve("second.mp4"), new byte[] {1, 2, 3}));
        new AccessLog(db.dataSource()).append("dr-a", AccessLog.ActorKind.USER, recording.id(), "view", true, null);
    }

    @AfterAll
    static void stop() throws Exception {
        vault.close();
        db.close();
    }

    private static LegalExports exports(ExportMarker marker) {
        return new LegalExports(
                new Recordings(db.dataSource()),
                new Hospitals(db.dataSource()),
                new Renditions(db.dataSource()),
                new Flags(db.dataSource()),
                vault,
                new AccessLog(db.dataSource()),
                new AuditChain(db.dataSource()),
                new ExportSigningKey(db.dir().resolve("keys/export-signing-key.pem")),
                marker,
                db.dir().resolve("staging/exports"),
                "medsync-archive:test",
                Clock.systemUTC());
    }

    private static LegalExports.Request request(List<String> ids) {
        return new LegalExports.Request(
                ids,
                "District Court Kraków, case I C 123/26",
                "court order of 2026-11-30",
                "admin",
                AccessLog.ActorKind.USER);
    }

    @Test
    void aPackageVerifiesWithOpensslAndSha256sumAndFailsWhenTampered() throws Exception {
        Path zip = db.dir().resolve("export.zip");
        LegalExports.Result result;
        try (OutputStream out = Files.newOutputStream(zip)) {
            result = exports(ExportMarker.NONE).export(request(List.of(recording.id(), second.id())), out);
        }
        Path key = db.dir().resolve("keys/export-signing-key.pem");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        Path dir = unzip(zip, db.dir().resolve("unzipped"));

        String verified = run(
                dir,
                "openssl",
                "dgst",
                "-sha256",
                "-verify",
                "export-key.pem",
                "-signature",
                "manifest.sha256.sig",
                "manifest.sha256");
        assertEquals("Verified OK", verified.strip());
        String checked = run(dir, "sha256sum", "-c", "manifest.sha256");
        assertEquals(
                result.files(), checked.lines().filter(l -> l.endsWith(": OK")).count(), checked);

        // What is in it: the source as uploaded, the master, metadata, the audit entries with this export's own.
        String base = "recordings/" + recording.id() + "/";
        assertArrayEquals(source, Files.readAllBytes(dir.resolve(base + "source/OR_1__left__clip.mp4")));
        assertArrayEquals(master, Files.readAllBytes(dir.resolve(base + "master/master.mkv")));
        JsonNode meta = JSON.readTree(dir.resolve(base + "metadata.json").toFile());
        assertEquals("north", meta.at("/hospital/id").asText());
        assertEquals("Dr Test", meta.at("/operator").asText());
        assertEquals(51.2, meta.at("/renditions/0/psnr").asDouble());
        assertEquals("black", meta.at("/flags/0/kind").asText());
        assertEquals(recording.sourceObject(), meta.at("/source/sha256").asText());
        JsonNode audit = JSON.readTree(dir.resolve(base + "audit.json").toFile());
        List<String> actions = new ArrayList<>();
        audit.get("entries").forEach(e -> actions.add(e.get("action").asText()));
        assertEquals("view", actions.getFirst());
        assertEquals("export", actions.getLast());
        String detail =
                audit.get("entries").get(actions.size() - 1).get("detail").asText();
        assertTrue(detail.contains(result.exportId()), detail);
        assertTrue(detail.contains("District Court Kraków") && detail.contains("court order"), detail);
        Document xml = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(dir.resolve(base + "audit.xml").toFile());
        assertEquals(actions.size(), xml.getElementsByTagName("AuditMessage").getLength());
        JsonNode export = JSON.readTree(dir.resolve("export.json").toFile());
        assertEquals(result.exportId(), export.get("export").asText());
        assertEquals(result.head().hash(), export.at("/auditChainHead/hash").asText());
        JsonNode files = JSON.readTree(dir.resolve("files.json").toFile());
        assertEquals(master.length, size(files, base + "master/master.mkv"));
        assertTrue(Files.exists(dir.resolve("recordings/" + second.id() + "/source/second.mp4")));
        // The export is the newest link of the chain, and the chain is intact.
        AuditChain chain = new AuditChain(db.dataSource());
        AuditEntry last = chain.entries(second.id(), null, null).getLast();
        assertEquals("export", last.action());
        assertTrue(chain.verify().ok());

        // One byte changed in a video: sha256sum names it.
        Path video = dir.resolve(base + "master/master.mkv");
        byte[] bytes = Files.readAllBytes(video);
        bytes[100] ^= 1;
        Files.write(video, bytes);
        Process p = process(dir, "sha256sum", "-c", "manifest.sha256");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertNotEquals(0, p.waitFor());
        assertTrue(out.contains("master/master.mkv: FAILED"), out);

        // The manifest edited to match: its signature fails.
        Path manifest = dir.resolve("manifest.sha256");
        String text = Files.readString(manifest);
        Files.writeString(manifest, text.replace(sha256Line(text, "master/master.mkv"), sha256(bytes)));
        assertEquals("", run(dir, "sha256sum", "--quiet", "-c", "manifest.sha256"));
        Process o = process(
                dir,
                "openssl",
                "dgst",
                "-sha256",
                "-verify",
                "export-key.pem",
                "-signature",
                "manifest.sha256.sig",
                "manifest.sha256");
        String refused = new String(o.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertNotEquals(0, o.waitFor());
        assertTrue(refused.contains("Verification failure"), refused);
    }

    @Test
    void theMarkerSeesEachMasterAndTheSourceStaysAsUploaded() throws Exception {
        List<ExportMarker.Mark> marks = new ArrayList<>();
        ExportMarker appendMark = (video, mark, work) -> {
            marks.add(mark);
            Path marked = work.resolve("marked-" + video.getFileName());
            Files.copy(video, marked);
            Files.write(
                    marked, mark.recipientFingerprint().getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
            return marked;
        };
        Path zip = db.dir().resolve("marked.zip");
        LegalExports.Result result;
        try (OutputStream out = Files.newOutputStream(zip)) {
            result = exports(appendMark).export(request(List.of(recording.id())), out);
        }
        assertEquals(1, marks.size());
        ExportMarker.Mark mark = marks.getFirst();
        assertEquals(recording.id(), mark.recordingId());
        assertEquals("north", mark.hospitalId());
        assertEquals(result.exportId(), mark.exportId());
        assertTrue(mark.recipientFingerprint().matches("[0-9a-f]{16}"), mark.recipientFingerprint());
        Path dir = unzip(zip, db.dir().resolve("unzipped-marked"));
        String base = "recordings/" + recording.id() + "/";
        assertArrayEquals(source, Files.readAllBytes(dir.resolve(base + "source/OR_1__left__clip.mp4")));
        byte[] packaged = Files.readAllBytes(dir.resolve(base + "master/master.mkv"));
        assertEquals(master.length + 16, packaged.length);
        JsonNode meta = JSON.readTree(dir.resolve(base + "metadata.json").toFile());
        JsonNode file = meta.at("/files/1");
        assertTrue(file.get("markedForRecipient").asBoolean());
        assertEquals(sha256(packaged), file.get("packagedSha256").asText());
        assertNotEquals(
                file.get("archiveSha256").asText(), file.get("packagedSha256").asText());
        assertEquals(
                "Verified OK",
                run(
                                dir,
                                "openssl",
                                "dgst",
                                "-sha256",
                                "-verify",
                                "export-key.pem",
                                "-signature",
                                "manifest.sha256.sig",
                                "manifest.sha256")
                        .strip());
        run(dir, "sha256sum", "-c", "manifest.sha256");
        assertFalse(Files.list(db.dir().resolve("staging/exports")).findAny().isPresent(), "work files removed");
    }

    @Test
    void badRequestsAreRefusedBeforeAnythingIsAudited() throws Exception {
        LegalExports e = exports(ExportMarker.NONE);
        long before = new AuditChain(db.dataSource()).head().orElseThrow().seq();
        OutputStream sink = OutputStream.nullOutputStream();
        assertThrows(
                IllegalArgumentException.class,
                () -> e.export(
                        new LegalExports.Request(
                                List.of(recording.id()), " ", "why", "admin", AccessLog.ActorKind.USER),
                        sink));
        assertThrows(
                IllegalArgumentException.class,
                () -> e.export(
                        new LegalExports.Request(
                                List.of(recording.id()), "court", "two\nlines", "admin", AccessLog.ActorKind.USER),
                        sink));
        assertThrows(IllegalArgumentException.class, () -> e.export(request(List.of()), sink));
        NoSuchFileException missing =
                assertThrows(NoSuchFileException.class, () -> e.export(request(List.of("no-such")), sink));
        assertTrue(missing.getMessage().contains("no-such"));
        assertEquals(
                before, new AuditChain(db.dataSource()).head().orElseThrow().seq());
    }

    @Test
    void theKeyIsMadeOnceAndSignaturesVerifyWithItsPublicHalf() throws Exception {
        Path file = db.dir().resolve("keys2/k.pem");
        ExportSigningKey a = new ExportSigningKey(file);
        byte[] sig = a.sign("data".getBytes(StandardCharsets.UTF_8));
        ExportSigningKey b = new ExportSigningKey(file);
        assertEquals(a.fingerprint(), b.fingerprint());
        assertTrue(b.verify("data".getBytes(StandardCharsets.UTF_8), sig));
        assertFalse(b.verify("date".getBytes(StandardCharsets.UTF_8), sig));
        assertTrue(a.publicKeyPem().startsWith("-----BEGIN PUBLIC KEY-----\n"));
        Files.writeString(db.dir().resolve("keys2/bad.pem"), "not a key");
        IOException bad = assertThrows(
                IOException.class, () -> new ExportSigningKey(db.dir().resolve("keys2/bad.pem")).fingerprint());
        assertTrue(bad.getMessage().contains("PEM"), bad.getMessage());
    }

    @Test
    void namesInThePackageAreSafeForUnzipAndSha256sum() {
        assertEquals("OR_1__left__clip.mp4", LegalExports.safe("OR 1 (left) clip.mp4"));
        assertEquals("a/_/b", LegalExports.safe("/a/../b/"));
        assertEquals("_/_/x", LegalExports.safe("./../x"));
        assertEquals("_", LegalExports.safe(""));
        assertEquals("a_b_c", LegalExports.safe("a\nb\\c"));
    }

    private static long size(JsonNode files, String path) {
        for (JsonNode f : files.get("files")) {
            if (f.get("path").asText().equals(path)) {
                return f.get("size").asLong();
            }
        }
        throw new AssertionError(path + " not listed");
    }

    private static String sha256Line(String manifest, String suffix) {
        return manifest.lines()
                .filter(l -> l.endsWith(suffix))
                .findFirst()
                .orElseThrow()
                .substring(0, 64);
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static Path unzip(Path zip, Path to) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                Path out = to.resolve(e.getName()).normalize();
                assertTrue(out.startsWith(to), e.getName());
                Files.createDirectories(out.getParent());
                Files.write(out, in.readAllBytes());
            }
        }
        return to;
    }

    private static Process process(Path dir, String... command) throws IOException {
        return new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
    }

    private static String run(Path dir, String... command) throws Exception {
        Process p = process(dir, command);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
        return out;
    }
}
