package org.medsync.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.medsync.archive.catalog.Hospital;
import org.medsync.archive.catalog.Hospitals;
import org.medsync.archive.catalog.Recording;
import org.medsync.archive.catalog.Recordings;
import org.medsync.archive.store.ObjectStore;
import org.medsync.archive.vault.Vault;
import org.medsync.library.database.Database;

/**
 * An embedded PostgreSQL (every archive migration applied) and a directory for the test's store and files, all
 * deleted on close: for one test class.
 */
public final class ArchiveDatabase implements AutoCloseable {
    private final Path dir;
    private final Database db;

    private ArchiveDatabase(Path dir, Database db) {
        this.dir = dir;
        this.db = db;
    }

    public static ArchiveDatabase start(String name) throws IOException {
        // Under /tmp: when tests run as root the embedded PostgreSQL runs as 'nobody' and must reach it.
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "medsync-archive-" + name + "-");
        return new ArchiveDatabase(dir, Database.start(Database.Settings.embedded(dir.resolve("postgres"), 0)));
    }

    public Path dir() {
        return dir;
    }

    public DataSource dataSource() {
        return db.dataSource();
    }

    /** What another process needs to reach this database: JDBC URL, user, password. */
    public List<String> connection() throws IOException, SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            return List.of(
                    c.getMetaData().getURL(),
                    c.getMetaData().getUserName(),
                    Files.readString(Database.embeddedPasswordFile(dir.resolve("postgres")))
                            .strip());
        }
    }

    /** A hospital with this policy and master floor. */
    public Hospital hospital(String id, Hospital.MasterPolicy policy, double minPsnr) throws SQLException {
        return new Hospitals(dataSource()).save(new Hospital(id, "Hospital " + id, policy, minPsnr, List.of()));
    }

    /** A recording whose source is {@code file}, stored in {@code vault}. */
    public Recording recording(String hospitalId, Vault vault, Path file) throws IOException, SQLException {
        ObjectStore.StoredObject o = vault.put(file, hospitalId);
        return new Recordings(dataSource())
                .create(
                        new Recording.Declared(
                                hospitalId,
                                "OR 1",
                                null,
                                "Dr Test",
                                "surgeon",
                                "test procedure",
                                null,
                                null,
                                null,
                                null,
                                Instant.parse("2026-12-01T08:00:00Z"),
                                "test recording",
                                file.getFileName().toString()),
                        o.sha256(),
                        o.size(),
                        "video/mp4");
    }

    @Override
    public void close() throws IOException {
        db.close();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
