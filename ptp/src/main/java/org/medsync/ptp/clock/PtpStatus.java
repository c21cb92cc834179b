package org.medsync.ptp.clock;

import java.time.Instant;
import java.util.Optional;
import org.medsync.ptp.management.ClockIdentity;
import org.medsync.ptp.management.PortState;

/**
 * What a device knows about its time at one moment. {@code locked}: the host clock follows a present
 * grandmaster (port SLAVE, or UNCALIBRATED within the offset tolerance when ptp4l runs
 * {@code free_running}), Syncs still arrive, or this host is the grandmaster itself.
 *
 * @param reason why not locked ("" when locked)
 */
public record PtpStatus(
        boolean locked,
        String reason,
        Optional<ClockIdentity> grandmaster,
        int domain,
        Optional<Long> offsetNanos,
        Optional<PortState> portState,
        Instant checked) {

    public static PtpStatus unavailable(String reason, int domain, Instant at) {
        return new PtpStatus(false, reason, Optional.empty(), domain, Optional.empty(), Optional.empty(), at);
    }
}
