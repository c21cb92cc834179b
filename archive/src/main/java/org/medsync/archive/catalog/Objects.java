package org.medsync.archive.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/** The stored objects the index knows (table archive_object): every key a row names has a row here. */
public final class Objects {
    private final DataSource dataSource;

    public Objects(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records an object once stored; no change if it is already recorded (the same content has the same key). */
    public void record(String sha256, long size, String mediaType) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            record(c, sha256, size, mediaType);
        }
    }

    static void record(Connection c, String sha256, long size, String mediaType) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("insert into archive_object (sha256, size, media_type)"
                + " values (?, ?, ?) on conflict (sha256) do nothing")) {
            s.setString(1, sha256);
            s.setLong(2, size);
            s.setString(3, mediaType);
            s.executeUpdate();
        }
    }
}
