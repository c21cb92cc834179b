package org.medsync.library;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.medsync.library.database.Database;

/**
 * A study library on an embedded PostgreSQL of its own, in a fresh directory deleted on close: for one test class.
 * The store is {@code <dir>/studies}.
 */
public final class EmbeddedLibrary implements AutoCloseable {
    private final Path dir;
    private final Database db;
    private final StudyLibrary library;

    private EmbeddedLibrary(Path dir, Database db, StudyLibrary library) {
        this.dir = dir;
        this.db = db;
        this.library = library;
    }

    public static EmbeddedLibrary start(String name) throws Exception {
        // Under /tmp: when tests run as root the embedded PostgreSQL runs as 'nobody' and must reach it.
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "medsync-" + name + "-");
        Database db = Database.start(Database.Settings.embedded(dir.resolve("postgres"), 0));
        try {
            return new EmbeddedLibrary(dir, db, new StudyLibrary(db.dataSource(), dir.resolve("studies")));
        } catch (IOException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** The directory of the database and the store, for the test's own files too. */
    public Path dir() {
        return dir;
    }

    public Path studies() {
        return dir.resolve("studies");
    }

    public StudyLibrary library() {
        return library;
    }

    public DataSource dataSource() {
        return db.dataSource();
    }

    @Override
    public void close() throws IOException {
        library.close();
        db.close();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
