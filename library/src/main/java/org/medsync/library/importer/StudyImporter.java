package org.medsync.library.importer;

import org.medsync.dicom.DicomFiles;
import org.medsync.dicom.DicomFormatException;
import org.medsync.dicom.DicomInstance;
import org.medsync.library.index.StudyIndex;
import org.medsync.library.source.LocalSource;
import org.medsync.library.store.InstanceStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Imports DICOM files into the library: each file is read whole and checked before anything is stored, so a
 * truncated or foreign file is refused and changes nothing. Reading runs in parallel; indexing is batched.
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

    public ImportReport importFiles(List<Candidate> candidates) throws IOException {
        long start = System.nanoTime();
        List<ImportReport.Rejection> rejected = Collections.synchronizedList(new ArrayList<>());
        int imported = 0;
        int duplicates = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(parallelism, Thread.ofPlatform().name("import-", 0).factory())) {
            for (int from = 0; from < candidates.size(); from += BATCH) {
                List<Candidate> chunk = candidates.subList(from, Math.min(candidates.size(), from + BATCH));
                List<Future<StudyIndex.Entry>> futures = new ArrayList<>(chunk.size());
                for (Candidate c : chunk) {
                    futures.add(pool.submit(() -> readAndStore(c, rejected)));
                }
                List<StudyIndex.Entry> entries = new ArrayList<>(chunk.size());
                for (Future<StudyIndex.Entry> f : futures) {
                    StudyIndex.Entry e = join(f);
                    if (e != null) {
                        entries.add(e);
                    }
                }
                Set<String> added = index.add(entries);
                imported += added.size();
                duplicates += entries.size() - added.size();
            }
        } catch (SQLException e) {
            throw new IOException("the study index refused the import: " + e.getMessage(), e);
        }
        ImportReport report = new ImportReport(imported, duplicates, List.copyOf(rejected), System.nanoTime() - start);
        log.info("Import: {} new, {} already present, {} refused, {} instances/s", report.imported(), report.duplicates(),
                report.rejected().size(), String.format(Locale.ROOT, "%.0f", report.instancesPerSecond()));
        return report;
    }

    private StudyIndex.Entry readAndStore(Candidate c, List<ImportReport.Rejection> rejected) {
        DicomFiles.Inspection inspection = null;
        try {
            inspection = DicomFiles.inspect(c.file(), LocalSource.PIXEL_DATA_PLACEHOLDER);
            DicomInstance d = inspection.instance();
            for (String uid : new String[] {d.studyInstanceUid(), d.seriesInstanceUid(), d.sopInstanceUid()}) {
                if (!InstanceStore.isValidUid(uid)) {
                    rejected.add(new ImportReport.Rejection(c.displayName(), "invalid-uid",
                            "a UID is not valid DICOM (digits and dots, at most 64 characters)"));
                    return null;
                }
            }
            Path stored = store.pathOf(d.studyInstanceUid(), d.seriesInstanceUid(), d.sopInstanceUid());
            if (!Files.exists(stored)) {
                // A deflated instance is stored inflated (same data set) so that frames never inflate it again.
                Path source = inspection.inflatedCopy() != null ? inspection.inflatedCopy() : c.file();
                stored = store.store(source, d.studyInstanceUid(), d.seriesInstanceUid(), d.sopInstanceUid());
            }
            return new StudyIndex.Entry(d, stored, Files.size(stored), inspection.metadataJson());
        } catch (DicomFormatException e) {
            rejected.add(new ImportReport.Rejection(c.displayName(), e.reason().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    e.getMessage()));
        } catch (IOException | RuntimeException e) {
            rejected.add(new ImportReport.Rejection(c.displayName(), "unreadable", "could not be read: " + e.getMessage()));
        } finally {
            if (inspection != null && inspection.inflatedCopy() != null) {
                deleteQuietly(inspection.inflatedCopy());
            }
        }
        return null;
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            log.warn("Import: cannot delete the temporary file {}: {}", p, e.getMessage());
        }
    }

    private static <T> T join(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("import interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("import failed: " + e.getCause(), e.getCause());
        }
    }
}
