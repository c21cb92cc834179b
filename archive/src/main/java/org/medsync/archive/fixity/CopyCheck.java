package org.medsync.archive.fixity;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.medsync.archive.access.AccessLog;
import org.medsync.archive.store.ObjectStore;
import org.medsync.archive.store.ReplicatedObjectStore.Location;
import org.medsync.library.files.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks every copy of one blob by re-reading it and hashing it against its name, and rewrites each bad copy from a
 * copy that verifies. What it finds goes to the fixity table, the access log (fixity-damaged, fixity-repaired) and,
 * for anything bad, the log at ERROR, by blob name and location only: a blob name says nothing about a patient.
 */
final class CopyCheck {
    private static final Logger log = LoggerFactory.getLogger(CopyCheck.class);
    static final String ACTOR = "fixity";

    private final List<Location> locations;
    private final FixityRecords records;
    private final AccessLog accessLog;
    private final Path staging;

    CopyCheck(List<Location> locations, FixityRecords records, AccessLog accessLog, Path staging) {
        this.locations = locations;
        this.records = records;
        this.accessLog = accessLog;
        this.staging = staging;
    }

    /** What one read of a copy found: its state ("ok", "missing", "damaged"), why, and the bytes read. */
    record Finding(String state, String detail, long bytes) {
        boolean ok() {
            return state.equals("ok");
        }
    }

    /**
     * Checks and repairs every copy of {@code blob}, adding what it found to {@code tally}. A blob the archive no
     * longer names (deleted since its batch was queued) is skipped: a deleted blob is not a missing one.
     */
    void check(FixityRecords.Blob blob, Fixity.Tally.Builder tally) throws IOException, SQLException {
        Map<Location, Finding> found = new LinkedHashMap<>();
        for (Location l : locations) {
            Finding f = read(l.store(), blob.name(), blob.size());
            tally.read(f.bytes());
            found.put(l, f);
        }
        if (found.values().stream().allMatch(Finding::ok)) {
            for (Location l : locations) {
                records.record(blob.name(), l.name(), "ok", null);
            }
            records.checked(blob.name());
            tally.checked();
            return;
        }
        if (records.blobSize(blob.name()).isEmpty()) {
            return; // deleted while we read it
        }
        List<Location> good = new ArrayList<>();
        for (Map.Entry<Location, Finding> e : found.entrySet()) {
            if (e.getValue().ok()) {
                good.add(e.getKey());
                records.record(blob.name(), e.getKey().name(), "ok", null);
            }
        }
        String recording = records.recordingOf(blob.name());
        Path source = good.isEmpty() ? null : stage(good.getFirst(), blob);
        try {
            for (Map.Entry<Location, Finding> e : found.entrySet()) {
                Finding f = e.getValue();
                if (f.ok()) {
                    continue;
                }
                String where = e.getKey().name();
                if (f.state().equals("damaged")) {
                    tally.damaged();
                } else {
                    tally.missing();
                }
                if (source == null) {
                    tally.lost();
                    String detail = f.state() + ": " + f.detail() + "; no copy verifies: the object is LOST";
                    log.error(
                            "FIXITY: blob {} at location {} is {}; no copy of it verifies: the object is LOST",
                            blob.name(),
                            where,
                            f.state().toUpperCase(Locale.ROOT));
                    records.record(blob.name(), where, "lost", detail);
                    accessLog.append(
                            ACTOR,
                            AccessLog.ActorKind.SYSTEM,
                            recording,
                            "fixity-damaged",
                            true,
                            detail(blob, where, detail));
                    continue;
                }
                log.error(
                        "FIXITY: blob {} at location {} is {} ({}); repairing it from location {}",
                        blob.name(),
                        where,
                        f.state().toUpperCase(Locale.ROOT),
                        f.detail(),
                        good.getFirst().name());
                records.record(blob.name(), where, f.state(), f.detail());
                accessLog.append(
                        ACTOR,
                        AccessLog.ActorKind.SYSTEM,
                        recording,
                        "fixity-damaged",
                        true,
                        detail(blob, where, f.state() + ": " + f.detail()));
                repair(e.getKey(), f, blob, source, good.getFirst(), recording, tally);
            }
        } finally {
            if (source != null) {
                Files.deleteIfExists(source);
            }
        }
        records.checked(blob.name());
        tally.checked();
    }

    private void repair(
            Location target,
            Finding bad,
            FixityRecords.Blob blob,
            Path source,
            Location from,
            String recording,
            Fixity.Tally.Builder tally)
            throws IOException, SQLException {
        String where = target.name();
        try {
            if (records.blobSize(blob.name()).isEmpty()) {
                return; // deleted meanwhile: writing it back would undo the deletion
            }
            // A store keeps an existing key as it is (S3 skips a put of the same size), so the bad copy goes first.
            target.store().delete(blob.name());
            ObjectStore.StoredObject written = target.store().put(source);
            if (!written.sha256().equals(blob.name())) {
                throw new IOException("the rewritten copy was stored as " + written.sha256());
            }
            Finding after = read(target.store(), blob.name(), blob.size());
            tally.read(after.bytes());
            if (!after.ok()) {
                throw new IOException("the rewritten copy does not verify: " + after.detail());
            }
        } catch (IOException e) {
            log.error("FIXITY: blob {} at location {} could not be repaired: {}", blob.name(), where, e.getMessage());
            records.record(blob.name(), where, bad.state(), bad.detail() + "; repair failed: " + e.getMessage());
            return;
        }
        String detail = "was " + bad.state() + " (" + bad.detail() + "); rewritten from " + from.name();
        log.warn("FIXITY: blob {} at location {} repaired from location {}", blob.name(), where, from.name());
        records.record(blob.name(), where, "repaired", detail);
        accessLog.append(
                ACTOR, AccessLog.ActorKind.SYSTEM, recording, "fixity-repaired", true, detail(blob, where, detail));
        tally.repaired();
    }

    /** A verified local copy of the blob, to write to the locations that lost theirs. */
    private Path stage(Location from, FixityRecords.Blob blob) throws IOException {
        PrivateFiles.directories(staging);
        Path file = Files.createTempFile(staging, "fixity-" + blob.name().substring(0, 16) + "-", ".blob");
        MessageDigest sha256 = sha256();
        try (InputStream in = from.store().open(blob.name(), 0, -1);
                OutputStream out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha256.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        if (!HexFormat.of().formatHex(sha256.digest()).equals(blob.name())) {
            Files.deleteIfExists(file);
            throw new IOException("the copy at " + from.name() + " of blob " + blob.name()
                    + " changed between its check and its copy; the next check decides");
        }
        return file;
    }

    /** Reads a whole copy and hashes it: the copy is good only if it hashes to its name and has the recorded size. */
    static Finding read(ObjectStore store, String blob, long expectedSize) throws IOException {
        MessageDigest sha256 = sha256();
        long size = 0;
        try (InputStream in = store.open(blob, 0, -1)) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha256.update(buffer, 0, n);
                size += n;
                if (Thread.interrupted()) {
                    throw new InterruptedIOException("fixity check interrupted");
                }
            }
        } catch (NoSuchFileException e) {
            return new Finding("missing", "absent", size);
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            return new Finding("missing", "unreadable: " + e.getMessage(), size);
        }
        String actual = HexFormat.of().formatHex(sha256.digest());
        if (!actual.equals(blob)) {
            return new Finding("damaged", "reads as sha256 " + actual + ", " + size + " bytes", size);
        }
        if (size != expectedSize) {
            return new Finding("damaged", size + " bytes, recorded " + expectedSize, size);
        }
        return new Finding("ok", null, size);
    }

    private static String detail(FixityRecords.Blob blob, String location, String what) {
        return "blob " + blob.name() + " at " + location + ": " + what;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
