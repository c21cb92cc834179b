package org.medsync.relay;

import java.util.concurrent.atomic.LongAdder;

/** The relay's counters ({@link RelayStats}), counted by its readouts on any thread without blocking. */
final class RelayCounters {
    enum Counter {
        RECEIVED,
        STALE,
        NOT_DRIVER,
        MALFORMED,
        OVERSIZED,
        BATCHES,
        SENDS,
        SEND_FAILURES
    }

    private final LongAdder[] counters = new LongAdder[Counter.values().length];

    RelayCounters() {
        for (int i = 0; i < counters.length; i++) {
            counters[i] = new LongAdder();
        }
    }

    void count(Counter c) {
        counters[c.ordinal()].increment();
    }

    RelayStats stats() {
        return new RelayStats(
                get(Counter.RECEIVED),
                get(Counter.STALE),
                get(Counter.NOT_DRIVER),
                get(Counter.MALFORMED),
                get(Counter.OVERSIZED),
                get(Counter.BATCHES),
                get(Counter.SENDS),
                get(Counter.SEND_FAILURES));
    }

    private long get(Counter c) {
        return counters[c.ordinal()].sum();
    }
}
