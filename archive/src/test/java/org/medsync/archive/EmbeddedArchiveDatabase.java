package org.medsync.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.medsync.library.database.Database;

/**
 * An embedded PostgreSQL with every migration (the library's and the archive's) in a fresh directory under /tmp,
 * deleted on close: for one test class. Under /tmp because, when tests run as root, PostgreSQL runs as 'nobody'.
 */
public final class EmbeddedArchiveDatabase implements AutoCloseable {
    private final Path dir;
    private final Database db;

    private EmbeddedArchiveDatabase(Path dir, Database db) {
        this.dir = dir;
        this.db = db;
    }

    public static EmbeddedArchiveDatabase start(String name) throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "medsync-archive-" + name + "-");
        return new EmbeddedArchiveDatabase(dir, Database.start(Database.Settings.embedded(dir.resolve("pg"), 0)));
    }

    public DataSource dataSource() {
        return db.dataSource();
    }

    /** A directory for the test's own files, deleted with the database. */
    public Path dir() {
        return dir;
    }

    @Override
    public void close() throws IOException {
        db.close();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
