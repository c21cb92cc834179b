package org.medsync.rtv.transmitter;

import java.util.ArrayDeque;
import java.util.Objects;
import org.medsync.rtv.metadata.Dataset;

/**
 * Gives each video frame the dynamic metadata current at its alignment point: an update posted at
 * TAI time t applies to every frame whose alignment point is at or after t, until replaced. The
 * frame and its metadata grain are then sent with the same RTP timestamp. Thread-safe: the control
 * API posts, the sender reads.
 */
public final class FrameSynchronizer {

    private record Update(long fromTaiNanos, Dataset attributes) {}

    private final ArrayDeque<Update> updates = new ArrayDeque<>();

    public FrameSynchronizer() {
        updates.add(new Update(Long.MIN_VALUE, Dataset.EMPTY));
    }

    public synchronized void post(long fromTaiNanos, Dataset attributes) {
        Objects.requireNonNull(attributes, "attributes");
        updates.addLast(new Update(fromTaiNanos, attributes));
        while (updates.size() > 8) { // frames are asked for in order: old updates only matter briefly
            updates.removeFirst();
        }
    }

    /** The dynamic attributes for the frame whose alignment point is {@code alignmentTaiNanos}. */
    public synchronized Dataset at(long alignmentTaiNanos) {
        Dataset current = Dataset.EMPTY;
        for (Update u : updates) {
            if (u.fromTaiNanos() <= alignmentTaiNanos) {
                current = u.attributes();
            }
        }
        return current;
    }
}
