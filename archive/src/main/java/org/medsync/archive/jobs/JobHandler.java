package org.medsync.archive.jobs;

/**
 * Does one kind of job ({@code transcode}, {@code anonymize}, {@code send-to-pacs}). A worker claims a job, calls the
 * handler of its kind, and renews the job's lease while the handler runs. A handler must be safe to run again from
 * the start for the same job: a worker killed part-way leaves the job to another worker, which starts it over, so a
 * handler writes its results (objects, rows) so that a second run replaces or reuses what a first run left.
 */
public interface JobHandler {
    /** The job kind this handler does, as stored in archive_job.kind. */
    String kind();

    /**
     * Does the job. Returning normally marks it done. {@link JobFailure} fails it for good with its message (bad
     * input, a quality floor not met: running again would not help); any other exception counts as one failed
     * attempt, retried until the job's max_attempts.
     */
    void run(Job job, Progress progress) throws Exception;

    /**
     * Called once when the job has failed for good (a {@link JobFailure}, its last attempt failed, or its worker died
     * on the last attempt), so the handler can say so where users look (the recording's status). Default: nothing.
     */
    default void gaveUp(Job job, String message) throws Exception {}

    /** A claimed job: its row, as the handler needs it. {@code params} is the job's JSON parameters. */
    record Job(long id, String recordingId, String kind, String params, int attempt) {}

    /** What the handler reports while it works, shown in the UI. */
    interface Progress {
        /** {@code fraction} 0..1 of the whole job; {@code stage} names what is being done ("encoding master"). */
        void report(double fraction, String stage);
    }

    /** A failure that running the job again would not cure; its message is shown to the user as it is. */
    final class JobFailure extends Exception {
        public JobFailure(String message) {
            super(message);
        }

        public JobFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
