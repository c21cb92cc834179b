package org.medsync.archive.retention;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.medsync.archive.vault.Vault;

/**
 * Keeps a recording's objects locked in the object store (S3 Object Lock) until its retention end: when the end moved
 * past the lock (a new visit, objects stored after ingest such as renditions) the lock is extended, never shortened.
 * Nothing happens where the store does not lock objects; the archive's own deletion path enforces retention alone.
 */
public final class ObjectLocks {
    private final DataSource db;
    private final Vault vault;

    public ObjectLocks(DataSource db, Vault vault) {
        this.db = db;
        this.vault = vault;
    }

    public boolean active() {
        return vault.locksObjects();
    }

    /**
     * Locks the objects of a recording (with its copies) until its term's end when the recorded lock is shorter or
     * missing; true when it locked. A term without end is locked a century ahead and extended later.
     */
    public boolean extend(Retention.Term term, Instant now) throws SQLException, IOException {
        if (!active()) {
            return false;
        }
        Instant until = term.end() != null ? term.end() : now.plusSeconds(100L * 366 * 86400);
        if (!until.isAfter(now)) {
            return false;
        }
        Instant locked = lockedUntil(term.governedBy());
        if (locked != null && !locked.isBefore(until)) {
            return false;
        }
        for (String sha : objects(term.governedBy())) {
            vault.retain(sha, until);
        }
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("insert into archive_retention_lock (recording_id,"
                        + " locked_until) values (?, ?) on conflict (recording_id) do update set locked_until ="
                        + " excluded.locked_until, locked_at = now()")) {
            s.setString(1, term.governedBy());
            s.setTimestamp(2, Timestamp.from(until));
            s.executeUpdate();
        }
        return true;
    }

    private Instant lockedUntil(String recordingId) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s =
                        c.prepareStatement("select locked_until from archive_retention_lock where recording_id = ?")) {
            s.setString(1, recordingId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getTimestamp(1).toInstant() : null;
            }
        }
    }

    private List<String> objects(String originalId) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("with family as (select id, source_object from"
                        + " archive_recording where id = ? or derived_from = ?) select source_object from family where"
                        + " source_object is not null union select f.sha256 from archive_rendition_file f join family"
                        + " on f.recording_id = family.id")) {
            s.setString(1, originalId);
            s.setString(2, originalId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
        }
        return out;
    }
}
