package org.medsync.bench.archive;

import com.sun.management.OperatingSystemMXBean;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.medsync.archive.catalog.Devices;
import org.medsync.archive.catalog.Hospital;
import org.medsync.archive.catalog.Hospitals;
import org.medsync.archive.catalog.Recordings;
import org.medsync.archive.keys.LocalKeyFile;
import org.medsync.archive.store.FileObjectStore;
import org.medsync.archive.upload.TusResponse;
import org.medsync.archive.upload.TusUploads;
import org.medsync.archive.upload.Uploader;
import org.medsync.archive.vault.Vault;
import org.medsync.library.database.Database;

/**
 * The archive's upload path for the ingest benchmark: {@link TusUploads} as a node opens it (staging directory and
 * object store side by side in one directory, as under {@code <data.dir>/archive}), driven through the same calls
 * the server's tus routes make, a recorder device's credential already checked.
 */
final class IngestPath implements AutoCloseable {
    private final String name;
    private final Vault vault;
    private final TusUploads tus;
    private final Uploader uploader;
    private final Path staging;

    private IngestPath(String name, Vault vault, TusUploads tus, Uploader uploader, Path staging) {
        this.name = name;
        this.staging = staging;
        this.vault = vault;
        this.tus = tus;
        this.uploader = uploader;
    }

    static IngestPath open(Database db, Path dir, boolean encrypted) throws IOException {
        String name = encrypted ? "sealed" : "clear";
        Hospitals hospitals = new Hospitals(db.dataSource());
        String hospital = "bench-" + name;
        try {
            hospitals.save(new Hospital(hospital, "Bench " + name, Hospital.MasterPolicy.KEEP, 45, List.of()));
            var device = new Devices(db.dataSource())
                    .issue(hospital + "-or", hospital, "OR 1", "ingest benchmark", "bench")
                    .device();
            FileObjectStore store = new FileObjectStore(dir.resolve("objects"));
            Vault vault = encrypted
                    ? new Vault(
                            db.dataSource(),
                            store,
                            new LocalKeyFile(dir.resolve("keys").resolve("archive.keys")),
                            dir.resolve("scratch"))
                    : new Vault(db.dataSource(), store);
            TusUploads tus = new TusUploads(
                    new TusUploads.Settings(dir.resolve("uploads"), 1L << 40, Duration.ofHours(1), "/u"),
                    db.dataSource(),
                    hospitals,
                    new Recordings(db.dataSource()),
                    vault,
                    recording -> {},
                    Clock.systemUTC());
            return new IngestPath(name, vault, tus, Uploader.device(device), dir.resolve("uploads"));
        } catch (SQLException e) {
            throw new IOException("the benchmark's hospital could not be set up", e);
        }
    }

    /**
     * Wall and CPU time of one upload: the CPU time of the thread that ran every request, as a server's would, and
     * of the whole process (the request thread and the staged blob's worker and syncs it hands work to).
     */
    record Timing(long nanos, long cpuNanos, long processCpuNanos) {}

    /**
     * Uploads {@code total} bytes ({@code chunk} repeated, its first bytes marking this path and round so no two
     * uploads share content) in PATCHes of one chunk each; returns the time from creation to the recording.
     */
    Timing upload(byte[] chunk, long total, int round) throws Exception {
        byte[] first = chunk.clone();
        byte[] mark = (name + " round " + round + " ").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(mark, 0, first, 0, mark.length);
        MessageDigest sha = sha256();
        for (long at = 0; at < total; at += chunk.length) {
            sha.update(at == 0 ? first : chunk);
        }
        String declared = HexFormat.of().formatHex(sha.digest());
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        OperatingSystemMXBean os = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
        long cpu = mx.getCurrentThreadCpuTime();
        long processCpu = os.getProcessCpuTime();
        long start = System.nanoTime();
        TusResponse created = tus.create(
                uploader,
                headers(Map.of(
                        "Tus-Resumable",
                        "1.0.0",
                        "Upload-Length",
                        String.valueOf(total),
                        "Upload-Metadata",
                        "sha256 " + b64(declared) + ",startedAt " + b64("2026-12-06T08:00:00Z"))));
        require(created, 201);
        String id = created.headers().get("Location").substring("/u/".length());
        TusResponse last = null;
        for (long at = 0; at < total; at += chunk.length) {
            InputStream body = new ByteArrayInputStream(at == 0 ? first : chunk);
            last = tus.patch(
                    uploader,
                    id,
                    headers(Map.of(
                            "Tus-Resumable",
                            "1.0.0",
                            "Content-Type",
                            "application/offset+octet-stream",
                            "Upload-Offset",
                            String.valueOf(at),
                            "Content-Length",
                            String.valueOf(chunk.length))),
                    body);
            require(last, 204);
        }
        long elapsed = System.nanoTime() - start;
        long cpuElapsed = mx.getCurrentThreadCpuTime() - cpu;
        long processCpuElapsed = os.getProcessCpuTime() - processCpu;
        if (last == null || last.headers().get(TusUploads.RECORDING_HEADER) == null) {
            throw new IllegalStateException("the upload did not become a recording");
        }
        try (Stream<Path> staged = Files.list(staging)) {
            if (staged.findAny().isPresent()) {
                throw new IllegalStateException("staged files are left after the upload completed");
            }
        }
        vault.delete(declared); // only the disk space: the next round uploads other content
        return new Timing(elapsed, cpuElapsed, processCpuElapsed);
    }

    private static void require(TusResponse r, int status) {
        if (r.status() != status) {
            throw new IllegalStateException("tus answered " + r.status() + ": " + r.message());
        }
    }

    private static UnaryOperator<String> headers(Map<String, String> h) {
        Map<String, String> lower = new HashMap<>();
        h.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        return n -> lower.get(n.toLowerCase(Locale.ROOT));
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public void close() throws IOException {
        vault.close();
    }
}
