package org.medsync.archive.anonymize;

import java.sql.SQLException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.medsync.archive.catalog.Recording;
import org.medsync.archive.catalog.Recordings;
import org.medsync.archive.jobs.JobQueue;

/** Starts an anonymization: the derived copy's row, and the job that fills it. */
public final class Anonymizations {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    /** The copy (status processing until its job is done) and its job's id. */
    public record Started(Recording copy, long jobId) {}

    private final Recordings recordings;
    private final JobQueue jobs;

    public Anonymizations(Recordings recordings, JobQueue jobs) {
        this.recordings = recordings;
        this.jobs = jobs;
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
        return new Started(
                copy, jobs.enqueue(original.id(), AnonymizeHandler.KIND, AnonymizeHandler.params(copy.id())));
    }
}
