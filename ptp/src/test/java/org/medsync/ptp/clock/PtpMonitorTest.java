package org.medsync.ptp.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.medsync.ptp.management.ClockIdentity;
import org.medsync.ptp.management.DataSet;
import org.medsync.ptp.management.PortIdentity;
import org.medsync.ptp.management.PortState;

/** The lock verdict from data sets (the real-ptp4l cases are in ptp-uds and rtv). */
class PtpMonitorTest {

    static final ClockIdentity ME = ClockIdentity.parse("86e1d4.fffe.66d9d7");
    static final ClockIdentity GM = ClockIdentity.parse("de909b.fffe.e0a53d");
    static final DataSet.ClockQuality Q = new DataSet.ClockQuality(248, 0xfe, 0xffff);
    static final DataSet.Default DEF = new DataSet.Default(true, true, 1, 128, Q, 128, ME, 127);
    static final DataSet.Parent PARENT =
            new DataSet.Parent(new PortIdentity(GM, 1), false, 0xffff, 0x7fffffff, 100, Q, 128, GM);

    static DataSet.Port port(PortState s) {
        return new DataSet.Port(new PortIdentity(ME, 1), s, -3, 0, -2, 3, -3, 1, 0, 2);
    }

    static DataSet.TimeStatus time(long offset, long ingress, boolean present) {
        return new DataSet.TimeStatus(offset, ingress, 0, 0, 0, new byte[12], present, GM);
    }

    final PtpMonitor m = new PtpMonitor(
            PtpMonitor.Settings.of(Path.of("/nonexistent"), 127),
            p -> {
                throw new IOException("unused");
            },
            s -> {});

    @Test
    void lockedWhileSyncsArriveWithinTolerance_thenStaleAfterHalfASecond() {
        Instant t = Instant.EPOCH;
        PtpStatus s = m.judge(DEF, PARENT, port(PortState.UNCALIBRATED), time(400, 1, true), 0, t);
        assertTrue(s.locked(), s.reason());
        assertEquals(Optional.of(GM), s.grandmaster());
        assertEquals(Optional.of(400L), s.offsetNanos());
        assertTrue(m.judge(DEF, PARENT, port(PortState.SLAVE), time(-300, 2, true), 400_000_000L, t)
                .locked());
        // the same Sync still the last one 501 ms later: the grandmaster fell silent
        PtpStatus stale = m.judge(DEF, PARENT, port(PortState.SLAVE), time(-300, 2, true), 901_000_000L, t);
        assertFalse(stale.locked());
        assertTrue(stale.reason().contains("no Sync"), stale.reason());
        assertTrue(m.judge(DEF, PARENT, port(PortState.SLAVE), time(10, 3, true), 950_000_000L, t)
                .locked());
    }

    @Test
    void unlockedForEachReason() {
        Instant t = Instant.EPOCH;
        assertTrue(m.judge(DEF, PARENT, port(PortState.LISTENING), time(0, 1, true), 0, t)
                .reason()
                .contains("LISTENING"));
        assertTrue(m.judge(DEF, PARENT, port(PortState.SLAVE), time(0, 2, false), 0, t)
                .reason()
                .contains("no grandmaster"));
        assertTrue(m.judge(DEF, PARENT, port(PortState.SLAVE), time(1_000_001, 3, true), 0, t)
                .reason()
                .contains("exceeds"));
    }

    @Test
    void theGrandmasterItselfIsLocked() {
        DataSet.Parent self = new DataSet.Parent(new PortIdentity(ME, 0), false, 0xffff, 0x7fffffff, 128, Q, 128, ME);
        assertTrue(m.judge(DEF, self, port(PortState.MASTER), time(0, 0, false), 0, Instant.EPOCH)
                .locked());
    }

    @Test
    void noPtp4l_isUnlockedWithTheReason() {
        PtpStatus s = m.poll();
        assertFalse(s.locked());
        assertEquals("unused", s.reason());
    }
}
