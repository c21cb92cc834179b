package org.medsync.archive.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.xml.stream.XMLStreamException;
import org.medsync.archive.access.AccessLog;
import org.medsync.archive.audit.AtnaXml;
import org.medsync.archive.audit.AuditChain;
import org.medsync.archive.audit.AuditEntry;
import org.medsync.archive.catalog.Flags;
import org.medsync.archive.catalog.Hospital;
import org.medsync.archive.catalog.Hospitals;
import org.medsync.archive.catalog.Recording;
import org.medsync.archive.catalog.Recordings;
import org.medsync.archive.catalog.Renditions;
import org.medsync.archive.vault.Vault;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A package for a court or an insurer (docs/archive-evidence.md "Legal export"): for each recording its file as
 * uploaded, its master, its metadata and the audit entries concerning it (ATNA XML and JSON); a manifest of every
 * file's SHA-256 and size in sha256sum format, signed with the archive's export key (a detached signature openssl
 * verifies); as one zip. The export is itself appended to the audit trail, with its recipient and reason, before the
 * package is made, so the package carries its own record.
 */
public final class LegalExports {
    private static final Logger log = LoggerFactory.getLogger(LegalExports.class);
    /** Recipients and reasons are free text for the audit trail: one line, bounded. */
    public static final int MAX_TEXT = 500;
    /** How many recordings one package may hold. */
    public static final int MAX_RECORDINGS = 100;

    public static final String MANIFEST = "manifest.sha256";
    public static final String SIGNATURE = "manifest.sha256.sig";
    public static final String PUBLIC_KEY = "export-key.pem";
    /** Size and SHA-256 of every file before it; itself listed in the manifest. */
    public static final String FILES = "files.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Recordings recordings;
    private final Hospitals hospitals;
    private final Renditions renditions;
    private final Flags flags;
    private final Vault vault;
    private final AccessLog accessLog;
    private final AuditChain audit;
    private final ExportSigningKey key;
    private final ExportMarker marker;
    private final Path workRoot;
    private final String source;
    private final Clock clock;

    /**
     * @param source the audit source named in the package (AuditSourceID)
     * @param workRoot where a master is copied while the marker works on it
     */
    public LegalExports(
            Recordings recordings,
            Hospitals hospitals,
            Renditions renditions,
            Flags flags,
            Vault vault,
            AccessLog accessLog,
            AuditChain audit,
            ExportSigningKey key,
            ExportMarker marker,
            Path workRoot,
            String source,
            Clock clock) {
        this.recordings = recordings;
        this.hospitals = hospitals;
        this.renditions = renditions;
        this.flags = flags;
        this.vault = vault;
        this.accessLog = accessLog;
        this.audit = audit;
        this.key = key;
        this.marker = marker;
        this.workRoot = workRoot;
        this.source = source;
        this.clock = clock;
    }

    /**
     * What to export, to whom and why.
     *
     * @param actor who asks (a username, or "cli:..."), written to the audit trail
     */
    public record Request(
            List<String> recordingIds, String recipient, String reason, String actor, AccessLog.ActorKind actorKind) {}

    /** What was exported: the export's id, the files packaged (beside manifest, signature, key) and the chain head. */
    public record Result(String exportId, int files, String manifestSha256, AuditChain.Head head) {}

    /** The signing key's public half and fingerprint, for recipients. */
    public ExportSigningKey key() {
        return key;
    }

    /**
     * Checks a request; throws IllegalArgumentException with a message for the caller (no recordings, too many,
     * recipient or reason missing, too long or not one line) and NoSuchFileException for an unknown recording.
     */
    public List<Recording> check(Request r) throws SQLException, NoSuchFileException {
        text("recipient", r.recipient());
        text("reason", r.reason());
        if (r.recordingIds() == null || r.recordingIds().isEmpty()) {
            throw new IllegalArgumentException("name at least one recording to export");
        }
        if (r.recordingIds().size() > MAX_RECORDINGS) {
            throw new IllegalArgumentException("at most " + MAX_RECORDINGS + " recordings in one export");
        }
        List<Recording> out = new ArrayList<>();
        for (String id : new LinkedHashSet<>(r.recordingIds())) {
            out.add(recordings.find(id).orElseThrow(() -> new NoSuchFileException("no recording " + id)));
        }
        return out;
    }

    private static void text(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("say the " + name + " of the export");
        }
        if (value.length() > MAX_TEXT || value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("the " + name + " is one line of at most " + MAX_TEXT + " characters");
        }
    }

    /** Writes the package (a zip) to {@code out}; the export is appended to the audit trail first. */
    public Result export(Request request, OutputStream out) throws IOException, SQLException {
        List<Recording> recs = check(request);
        String exportId = "exp-" + UUID.randomUUID();
        Instant at = clock.instant();
        for (Recording r : recs) {
            accessLog.append(
                    request.actor(),
                    request.actorKind(),
                    r.id(),
                    "export",
                    true,
                    "export " + exportId + " for " + request.recipient().strip() + "; reason: "
                            + request.reason().strip());
        }
        AuditChain.Head head = audit.head().orElseThrow();
        Path work = workRoot.resolve(exportId);
        try {
            Files.createDirectories(work);
            Result result = write(request, recs, exportId, at, head, work, out);
            // No recipient, reason or patient field in the log: the audit trail holds those.
            log.info("Legal export {}: {} recordings, {} files", exportId, recs.size(), result.files());
            return result;
        } catch (IOException | SQLException | RuntimeException e) {
            for (Recording r : recs) {
                accessLog.append(
                        request.actor(),
                        request.actorKind(),
                        r.id(),
                        "export",
                        false,
                        "export " + exportId + " failed: " + e.getClass().getSimpleName());
            }
            throw e;
        } finally {
            deleteTree(work);
        }
    }

    private Result write(
            Request request,
            List<Recording> recs,
            String exportId,
            Instant at,
            AuditChain.Head head,
            Path work,
            OutputStream out)
            throws IOException, SQLException {
        Zip zip = new Zip(out);
        String fingerprint = fingerprint(request.recipient().strip(), exportId);
        Map<String, Object> export = new LinkedHashMap<>();
        export.put("export", exportId);
        export.put("createdAt", at.toString());
        export.put("recipient", request.recipient().strip());
        export.put("reason", request.reason().strip());
        export.put("exportedBy", request.actor());
        export.put("recipientFingerprint", fingerprint);
        export.put("recordings", recs.stream().map(Recording::id).toList());
        export.put("auditChainHead", Map.of("seq", head.seq(), "hash", head.hash()));
        export.put("signingKeySha256", key.fingerprint());
        export.put("auditSource", source);
        zip.add("README.txt", readme(exportId).getBytes(StandardCharsets.UTF_8));
        zip.add("export.json", JSON.writeValueAsBytes(export));
        for (Recording r : recs) {
            recording(zip, r, exportId, fingerprint, work);
        }
        String keyPem = key.publicKeyPem();
        zip.add(PUBLIC_KEY, keyPem.getBytes(StandardCharsets.US_ASCII));
        zip.add(FILES, JSON.writeValueAsBytes(Map.of("export", exportId, "files", zip.listed())));
        byte[] manifest = zip.manifest();
        zip.put(MANIFEST, manifest, true);
        zip.put(SIGNATURE, key.sign(manifest), true);
        zip.finish();
        return new Result(exportId, zip.files, hex(sha256(manifest)), head);
    }

    private void recording(Zip zip, Recording r, String exportId, String fingerprint, Path work)
            throws IOException, SQLException {
        String dir = "recordings/" + safe(r.id()) + "/";
        List<Map<String, Object>> files = new ArrayList<>();
        if (r.sourceObject() != null) {
            String path = dir + "source/" + safe(r.sourceName() == null ? "source" : r.sourceName());
            try (InputStream in = vault.open(r.sourceObject(), 0, -1)) {
                zip.add(path, in, r.sourceObject());
            }
            files.add(file(path, "source", r.sourceObject(), r.sourceObject(), false));
        }
        List<Renditions.Rendition> rs = renditions.of(r.id());
        for (Renditions.Rendition rendition : rs) {
            if (!rendition.kind().equals("master")) {
                continue;
            }
            for (Renditions.File f : rendition.files()) {
                if (f.sha256().equals(r.sourceObject())) {
                    // The source kept as the master: packaged once, as uploaded.
                    files.add(file(
                            dir + "source/" + safe(r.sourceName() == null ? "source" : r.sourceName()),
                            "master",
                            f.sha256(),
                            f.sha256(),
                            false));
                    continue;
                }
                Path copy = work.resolve(safe(r.id()) + "-" + safe(f.path()));
                try (InputStream in = vault.open(f.sha256(), 0, -1)) {
                    copyChecked(in, copy, f.sha256());
                }
                Path marked =
                        marker.mark(copy, new ExportMarker.Mark(r.id(), r.hospitalId(), exportId, fingerprint), work);
                String path = dir + "master/" + safe(f.path());
                String packaged;
                try (InputStream in = Files.newInputStream(marked)) {
                    packaged = zip.add(path, in, marked.equals(copy) ? f.sha256() : null);
                }
                files.add(file(path, "master", f.sha256(), packaged, !marked.equals(copy)));
            }
        }
        zip.add(dir + "metadata.json", JSON.writeValueAsBytes(metadata(r, rs, files)));
        List<AuditEntry> entries = audit.entries(r.id(), null, null);
        ByteArrayOutputStream xml = new ByteArrayOutputStream();
        try {
            AtnaXml.write(entries, source, Map.of(r.id(), r.hospitalId()), xml);
        } catch (XMLStreamException e) {
            throw new IOException("the audit entries of " + r.id() + " could not be written as XML", e);
        }
        zip.add(dir + "audit.xml", xml.toByteArray());
        zip.add(
                dir + "audit.json",
                JSON.writeValueAsBytes(Map.of(
                        "recording",
                        r.id(),
                        "entries",
                        entries.stream().map(LegalExports::entry).toList())));
    }

    private static Map<String, Object> file(
            String path, String role, String archiveSha256, String packagedSha256, boolean marked) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", path);
        m.put("role", role);
        m.put("archiveSha256", archiveSha256);
        m.put("packagedSha256", packagedSha256);
        m.put("markedForRecipient", marked);
        return m;
    }

    private Map<String, Object> metadata(Recording r, List<Renditions.Rendition> rs, List<Map<String, Object>> files)
            throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        Hospital h = hospitals.find(r.hospitalId()).orElse(null);
        m.put("hospital", h == null ? Map.of("id", r.hospitalId()) : Map.of("id", h.id(), "name", h.name()));
        m.put("operatingRoom", r.operatingRoom());
        m.put("device", r.deviceId());
        m.put("operator", r.operator());
        m.put("owner", r.owner());
        m.put("procedure", r.procedure());
        m.put("title", r.title());
        // A court's package identifies the patient: the recipient is entitled to it, unlike logs and auditors.
        Map<String, Object> patient = new LinkedHashMap<>();
        patient.put("id", r.patientId());
        patient.put("name", r.patientName());
        patient.put("accession", r.accession());
        patient.put("studyUid", r.studyUid());
        m.put("patient", patient);
        m.put("startedAt", text(r.startedAt()));
        m.put("durationSeconds", r.durationSeconds());
        m.put("createdAt", text(r.createdAt()));
        m.put("status", r.status().code());
        m.put("derivedFrom", r.derivedFrom());
        m.put("anonymized", r.anonymized());
        Map<String, Object> src = new LinkedHashMap<>();
        src.put("name", r.sourceName());
        src.put("sha256", r.sourceObject());
        m.put("source", src);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Renditions.Rendition x : rs) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("name", x.name());
            v.put("kind", x.kind());
            v.put("codec", x.codec());
            v.put("profile", x.profile());
            v.put("pixelFormat", x.pixelFormat());
            v.put("width", x.width());
            v.put("height", x.height());
            v.put("bitrate", x.bitrate());
            v.put("psnr", x.psnr());
            v.put("ssim", x.ssim());
            v.put("copiedFromSource", x.copied());
            v.put(
                    "files",
                    x.files().stream()
                            .map(f -> Map.of("path", f.path(), "sha256", f.sha256(), "size", f.size()))
                            .toList());
            out.add(v);
        }
        m.put("renditions", out);
        m.put(
                "flags",
                flags.of(r.id()).stream()
                        .map(f -> {
                            Map<String, Object> v = new LinkedHashMap<>();
                            v.put("kind", f.kind());
                            v.put("start", f.start());
                            v.put("end", f.end());
                            v.put("detail", f.detail());
                            return v;
                        })
                        .toList());
        m.put("files", files);
        return m;
    }

    /** An audit entry as JSON: the fields the chain hashes, named as in archive_access. */
    public static Map<String, Object> entry(AuditEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", e.seq());
        m.put("id", e.id());
        m.put("at", AuditEntry.time(e.at()));
        m.put("actor", e.actor());
        m.put("actorKind", e.actorKind());
        m.put("recordingId", e.recordingId());
        m.put("action", e.action());
        m.put("allowed", e.allowed());
        m.put("detail", e.detail());
        m.put("prevHash", e.prevHash());
        m.put("hash", e.hash());
        return m;
    }

    private String readme(String exportId) throws IOException {
        return "MedSync legal export " + exportId + "\n\n"
                + "Every file of this package is listed with its SHA-256 in " + MANIFEST + ", which is signed by the\n"
                + "archive's export key (ECDSA P-256, SHA-256; public key in " + PUBLIC_KEY + ", SHA-256 of its DER\n"
                + "encoding " + key.fingerprint() + ").\n\n"
                + "Verify, in the directory this package was unzipped to:\n\n"
                + "  openssl dgst -sha256 -verify " + PUBLIC_KEY + " -signature " + SIGNATURE + " " + MANIFEST + "\n"
                + "  sha256sum -c " + MANIFEST + "\n\n"
                + "The first prints 'Verified OK', the second 'OK' for every file. Check that the key is the\n"
                + "archive's by its fingerprint, obtained from the archive over another channel:\n\n"
                + "  openssl pkey -pubin -in " + PUBLIC_KEY + " -outform DER | sha256sum\n\n"
                + "recordings/<id>/metadata.json describes each recording; audit.xml (IHE ATNA / DICOM PS3.15 A.5)\n"
                + "and audit.json are the audit entries concerning it, from the archive's hash chain.\n";
    }

    /** The recipient's fingerprint hidden in marked video: 64 bits of SHA-256 over recipient and export id. */
    static String fingerprint(String recipient, String exportId) {
        return hex(sha256((recipient + "\n" + exportId).getBytes(StandardCharsets.UTF_8)))
                .substring(0, 16);
    }

    /** A name sha256sum and every unzip take as it is: letters, digits, '.', '-', '_' and '/'. */
    static String safe(String name) {
        String s = name.replaceAll("[^A-Za-z0-9._/-]", "_").replaceAll("/+", "/");
        s = s.replaceAll("(^|/)\\.\\.?(?=/|$)", "$1_");
        s = s.replaceAll("^/+|/+$", "");
        return s.isEmpty() ? "_" : s;
    }

    private static void copyChecked(InputStream in, Path to, String expectedSha256) throws IOException {
        MessageDigest sha = sha256();
        try (DigestInputStream d = new DigestInputStream(in, sha)) {
            Files.copy(d, to);
        }
        String actual = hex(sha.digest());
        if (!actual.equals(expectedSha256)) {
            throw new IOException("object " + expectedSha256 + " reads back as " + actual + ": not exported");
        }
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static byte[] sha256(byte[] data) {
        return sha256().digest(data);
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("Could not remove the export's work directory {}: {}", dir, e.toString());
        }
    }

    /** The zip being written, and the manifest of what went into it. */
    private static final class Zip {
        private final ZipOutputStream zip;
        private final StringBuilder manifest = new StringBuilder();
        private final List<Map<String, Object>> listed = new ArrayList<>();
        private int files;

        Zip(OutputStream out) {
            this.zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
        }

        void add(String path, byte[] bytes) throws IOException {
            put(path, bytes, true);
            listed(path, bytes.length, hex(sha256(bytes)));
        }

        /** Streams a file in, checking it against {@code expected} (null: not checked); returns its SHA-256. */
        String add(String path, InputStream in, String expected) throws IOException {
            // Video does not compress: store it without spending the CPU.
            zip.setLevel(Deflater.NO_COMPRESSION);
            zip.putNextEntry(new ZipEntry(path));
            MessageDigest sha = sha256();
            long size;
            try (DigestInputStream d = new DigestInputStream(in, sha)) {
                size = d.transferTo(zip);
            }
            zip.closeEntry();
            zip.setLevel(Deflater.DEFAULT_COMPRESSION);
            String actual = hex(sha.digest());
            if (expected != null && !actual.equals(expected)) {
                throw new IOException("object " + expected + " reads back as " + actual + ": not exported");
            }
            listed(path, size, actual);
            return actual;
        }

        private void listed(String path, long size, String sha256) {
            manifest.append(sha256).append("  ").append(path).append('\n');
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", path);
            m.put("size", size);
            m.put("sha256", sha256);
            listed.add(m);
            files++;
        }

        /** Every file so far with its size and SHA-256 (sha256sum's format has no sizes). */
        List<Map<String, Object>> listed() {
            return List.copyOf(listed);
        }

        void put(String path, byte[] bytes, boolean compress) throws IOException {
            zip.setLevel(compress ? Deflater.DEFAULT_COMPRESSION : Deflater.NO_COMPRESSION);
            zip.putNextEntry(new ZipEntry(path));
            zip.write(bytes);
            zip.closeEntry();
        }

        byte[] manifest() {
            return manifest.toString().getBytes(StandardCharsets.UTF_8);
        }

        void finish() throws IOException {
            zip.finish();
            zip.flush();
        }
    }
}
