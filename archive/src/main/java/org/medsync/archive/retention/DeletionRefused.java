package org.medsync.archive.retention;

import java.time.Instant;
import java.util.List;

/**
 * A deletion the archive refused: the recording's retention has not ended ({@code retainedUntil}, null when it is
 * kept without end) or legal holds stand ({@code holds}). The message says why and until when, for the person who
 * asked.
 */
public final class DeletionRefused extends Exception {
    private final transient Instant retainedUntil;
    private final transient List<Holds.Hold> holds;
    private final boolean retention;

    DeletionRefused(String message, boolean retention, Instant retainedUntil, List<Holds.Hold> holds) {
        super(message);
        this.retention = retention;
        this.retainedUntil = retainedUntil;
        this.holds = List.copyOf(holds);
    }

    /** True when the retention had not ended (perhaps besides holds). */
    public boolean underRetention() {
        return retention;
    }

    public Instant retainedUntil() {
        return retainedUntil;
    }

    public List<Holds.Hold> holds() {
        return holds;
    }
}
