package org.medsync.rtv.transmitter;

import java.nio.ByteBuffer;
import java.util.Optional;

/** Where a transmitter's frames come from. Called from one producer thread. */
public interface VideoSource extends AutoCloseable {

    /** A short name for status ("test-pattern endoscope", "y4m hand.y4m"). */
    String describe();

    /**
     * Fills {@code frame} (exactly the configured format's frame bytes) with frame {@code index},
     * whose RTP timestamp is {@code rtpTimestamp} and alignment point {@code taiNanos}.
     */
    void fill(long index, long rtpTimestamp, long taiNanos, ByteBuffer frame);

    /** Why the input does not match the configured format, when it does not (an alert). */
    default Optional<String> mismatch() {
        return Optional.empty();
    }

    @Override
    default void close() {}
}
