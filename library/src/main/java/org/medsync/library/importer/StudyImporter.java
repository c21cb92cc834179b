package org.medsync.library.importer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.medsync.dicom.DicomFiles;
import org.medsync.dicom.DicomInstance;
import org.medsync.dicom.part10.DicomFormatException;
import org.medsync.library.index.StudyIndex;
import org.medsync.library.source.LocalSource;
import org.medsync.library.store.InstanceStore;
import org.medsync.library.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports DICOM files into the library: each file is copied into the store's staging area, read whole and
 * checked there, so a truncated or foreign file is refused and changes nothing. The index decides whether the
 * instance may join what is stored (same patient, same bytes for the same SOP Instance UID); only then is the
 * file renamed into place and made durable, before its row commits. Reading runs in parallel; indexing is batched.
 */
public final class StudyImporter {
    private static final Logger log = LoggerFactory.getLogger(StudyImporter.class);
    private static final int BATCH = 256;

    private final InstanceStore store;
    private final StudyIndex index;
    private final int parallelism;

    public StudyImporter(InstanceStore store, StudyIndex index) {
        this.store = store;
        this.index = index;
        this.parallelism = Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    /** A file to import and the name to report it by (an upload's original file name, say). */
    public record Candidate(Path file, String displayName) {}

    /** Imports every regular file under {@code directory}, recursively. */
    public ImportReport importDirectory(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new IOException("not a directory: " + directory);
        }
        List<Candidate> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .map(p -> new Candidate(p, directory.relativize(p).toString()))
                    .toList();
        }
        return importFiles(files);
    }

    /**
     * Imports {@code candidates}, each reported on its own: a refused file changes nothing and the others go on.
     * Throws only when the index or the store fails as a whole (a {@link StoreException} for the store: the
     * server's fault, not a file's); the failed batch leaves nothing, what committed before it stays.
     */
    public ImportReport importFiles(List<Candidate> candidates) throws IOException {
        long start = System.nanoTime();
        List<ImportReport.Rejection> rejected = Collections.synchronizedList(new ArrayList<>());
        int imported = 0;
        int duplicates = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(
                parallelism, Thread.ofPlatform().name("import-", 0).factory())) {
            for (int from = 0; from < candidates.size(); from += BATCH) {
                List<Candidate> chunk = candidates.subList(from, Math.min(candidates.size(), from + BATCH));
                List<Future<Prepared>> futures = new ArrayList<>(chunk.size());
                for (Candidate c : chunk) {
                    futures.add(pool.submit(() -> prepare(c, rejected)));
                }
                List<Prepared> prepared = new ArrayList<>(chunk.size());
                StoreException storeFault = null;
                for (Future<Prepared> f : futures) {
                    try {
                        Prepared p = join(f);
                        if (p != null) {
                            prepared.add(p);
                        }
                    } catch (StoreException e) {
                        storeFault = e; // every candidate of the batch is waited for, so none is left staged
                    }
                }
                if (storeFault != null) {
                    prepared.forEach(p -> store.discard(p.staged()));
                    throw storeFault;
                }
                Map<StudyIndex.Entry, InstanceStore.Staged> staged = new IdentityHashMap<>();
                prepared.forEach(p -> staged.put(p.entry(), p.staged()));
                List<StudyIndex.Outcome> outcomes;
                try {
                    outcomes = index.add(
                            prepared.stream().map(Prepared::entry).toList(), entries -> placeDurably(entries, staged));
                } finally {
                    // Placed files have left the staging directory; the rest (refused, or the batch failed) go.
                    prepared.forEach(p -> store.discard(p.staged()));
                }
                for (int i = 0; i < prepared.size(); i++) {
                    StudyIndex.Outcome o = outcomes.get(i);
                    switch (o) {
                        case IMPORTED -> imported++;
                        case DUPLICATE -> duplicates++;
                        default ->
                            rejected.add(new ImportReport.Rejection(
                                    prepared.get(i).candidate().displayName(), o.code(), refusal(o)));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IOException("the study index refused the import: " + e.getMessage(), e);
        } catch (StoreException e) {
            // Our disk, not the upload: logged with the step and the system's reason only (a path holds UIDs).
            log.error("Import failed: {}; {} instances stored before it stay", e.getMessage(), imported);
            throw e;
        }
        ImportReport report = new ImportReport(imported, duplicates, List.copyOf(rejected), System.nanoTime() - start);
        log.info(
                "Import: {} new, {} already present, {} refused, {} instances/s",
                report.imported(),
                report.duplicates(),
                report.rejected().size(),
                String.format(Locale.ROOT, "%.0f", report.instancesPerSecond()));
        return report;
    }

    /** A candidate staged in the store and checked, ready to be indexed. */
    private record Prepared(Candidate candidate, InstanceStore.Staged staged, StudyIndex.Entry entry) {}

    /**
     * Copies the file into the store's staging area first and checks that copy, so what is indexed is exactly
     * what is stored even if the source changes meanwhile. A fault reading or parsing the candidate refuses it;
     * a fault of the store (staging, writing the inflated copy there) is thrown, for the import to fail.
     */
    private Prepared prepare(Candidate c, List<ImportReport.Rejection> rejected) throws StoreException {
        InstanceStore.Staged staged = null;
        try {
            staged = store.stage(c.file());
            DicomFiles.Inspection inspection;
            try {
                inspection = DicomFiles.inspect(
                        staged.file(),
                        LocalSource.PIXEL_DATA_PLACEHOLDER,
                        staged.file().getParent());
            } catch (IOException e) {
                throw new StoreException("write an inflated copy", e);
            }
            if (inspection.inflatedCopy() != null) {
                // A deflated instance is stored inflated (the same data set) so that frames never inflate it again.
                InstanceStore.Staged inflated;
                try {
                    inflated = store.stage(inspection.inflatedCopy());
                } catch (StoreException e) {
                    throw e;
                } catch (IOException e) {
                    throw new StoreException("read back an inflated copy", e); // our own file, not the upload
                } finally {
                    deleteQuietly(inspection.inflatedCopy());
                }
                store.discard(staged);
                staged = inflated;
            }
            DicomInstance d = inspection.instance();
            for (String uid : new String[] {d.studyInstanceUid(), d.seriesInstanceUid(), d.sopInstanceUid()}) {
                if (!InstanceStore.isValidUid(uid)) {
                    rejected.add(new ImportReport.Rejection(
                            c.displayName(),
                            "invalid-uid",
                            "a UID is not valid DICOM (digits and dots, at most 64 characters)"));
                    store.discard(staged);
                    return null;
                }
            }
            Path target = store.pathOf(d.studyInstanceUid(), d.seriesInstanceUid(), d.sopInstanceUid());
            return new Prepared(
                    c,
                    staged,
                    new StudyIndex.Entry(d, target, staged.size(), staged.sha256(), inspection.metadataJson()));
        } catch (DicomFormatException e) {
            rejected.add(new ImportReport.Rejection(
                    c.displayName(), e.reason().code(), withoutStagedName(e.getMessage(), staged)));
        } catch (StoreException e) {
            if (staged != null) {
                store.discard(staged);
            }
            throw e;
        } catch (IOException | RuntimeException e) {
            rejected.add(
                    new ImportReport.Rejection(c.displayName(), "unreadable", "could not be read: " + e.getMessage()));
        }
        if (staged != null) {
            store.discard(staged);
        }
        return null;
    }

    /**
     * The parser names the file it read, which is our staged copy ({@code instance-….part}): meaningless to the
     * user, whose report names the file they sent.
     */
    private static String withoutStagedName(String message, InstanceStore.Staged staged) {
        if (staged == null || message == null) {
            return message;
        }
        String prefix = staged.file().getFileName() + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            log.warn("Import: cannot delete the temporary file {}: {}", p, e.getMessage());
        }
    }

    /**
     * Called by the index before it commits: the new instances' files go to disk, into place, and their
     * directories to disk. Only new instances are synced (a re-import of what is stored costs no fsync).
     */
    private void placeDurably(List<StudyIndex.Entry> imported, Map<StudyIndex.Entry, InstanceStore.Staged> staged)
            throws IOException {
        store.sync(imported.stream().map(staged::get).toList());
        List<Path> placed = new ArrayList<>(imported.size());
        try {
            for (StudyIndex.Entry e : imported) {
                store.place(staged.get(e), e.file());
                placed.add(e.file());
            }
            store.syncDirectories(placed);
        } catch (IOException e) {
            // The rows will not commit: files placed without them go too (they are new, nothing stored had them).
            placed.forEach(store::unplace);
            throw e;
        }
    }

    /** Why a file was refused, without a word about what is stored (it may be another patient's). */
    private static String refusal(StudyIndex.Outcome o) {
        return switch (o) {
            case PATIENT_MISMATCH ->
                "the study or series of this file is already stored for a different patient "
                        + "(patient ID, name or birth date differ); nothing was stored";
            case SERIES_CONFLICT -> "the series of this file is already stored in another study; nothing was stored";
            case INSTANCE_CONFLICT ->
                "an instance with this SOP Instance UID is already stored with different content; "
                        + "nothing was stored";
            case IMPORTED, DUPLICATE -> throw new IllegalArgumentException(o + " is not a refusal");
        };
    }

    private static <T> T join(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("import interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StoreException s) {
                throw s;
            }
            throw new IOException("import failed: " + e.getCause(), e.getCause());
        }
    }
}
