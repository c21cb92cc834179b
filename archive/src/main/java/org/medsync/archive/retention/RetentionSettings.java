package org.medsync.archive.retention;

import java.time.LocalTime;
import java.util.Objects;

/**
 * How the retention-expiry job behaves (archive.retention.* keys, docs/configuration.md).
 *
 * @param deleteExpired delete recordings whose retention ended and that no hold covers; false (the default) only
 *     reports them: a deletion cannot be undone, so a hospital turns it on after its records officer has read a few
 *     reports and agrees with what they list
 * @param dailyAt the time of day (UTC) from which a node queues the day's expiry run
 */
public record RetentionSettings(boolean deleteExpired, LocalTime dailyAt) {
    public RetentionSettings {
        Objects.requireNonNull(dailyAt, "dailyAt");
    }

    public static RetentionSettings defaults() {
        return new RetentionSettings(false, LocalTime.of(2, 0));
    }
}
