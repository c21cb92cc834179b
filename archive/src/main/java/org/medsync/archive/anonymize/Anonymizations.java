package org.medsync.archive.anonymize;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import javax.sql.DataSource;
import org.medsync.archive.catalog.Recording;
import org.medsync.archive.catalog.Recordings;

/** Starts an anonymization: the derived copy's row, and the job that fills it. */
public final class Anonymizations {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    /** The copy (status processing until its job is done) and its job's id. */
    public record Started(Recording copy, long jobId) {}

    private final DataSource dataSource;
    private final Recordings recordings;

    public Anonymizations(DataSource dataSource) {
        this.dataSource = dataSource;
        this.recordings = new Recordings(dataSource);
    }

    /**
     * Adds the copy and queues its job. The copy's title is made anew: the original's is free text a recorder or a
     * user wrote, and may name the patient.
     */
    public Started start(Recording original) throws SQLException {
        if (original.anonymized()) {
            throw new IllegalArgumentException("recording " + original.id() + " is anonymized already");
        }
        String room = original.operatingRoom() == null ? "" : ", " + original.operatingRoom();
        Recording copy = recordings.createAnonymizedCopy(
                original, "Anonymized recording of " + DAY.format(original.startedAt()) + room);
        return new Started(copy, enqueue(original.id(), AnonymizeHandler.params(copy.id())));
    }

    /**
     * Queues the job. MERGE NOTE: plain SQL on archive_job (V151) because jobs.JobQueue (H2) is on another branch;
     * switch to {@code JobQueue.enqueue(recordingId, "anonymize", params)} at merge.
     */
    private long enqueue(String recordingId, String params) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("insert into archive_job (recording_id, kind, params)"
                        + " values (?, ?, ?::jsonb) returning id")) {
            s.setString(1, recordingId);
            s.setString(2, AnonymizeHandler.KIND);
            s.setString(3, params);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
