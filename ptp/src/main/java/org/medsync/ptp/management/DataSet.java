package org.medsync.ptp.management;

/**
 * The body of a management response: one of the data sets we ask for, or the error status a clock
 * answers instead (IEEE 1588-2008 15.5.4). Time intervals are IEEE 1588 TimeInterval (ns x 2^16).
 */
public sealed interface DataSet {

    /** 15.5.3.3.1: who this clock is. */
    record Default(
            boolean twoStep,
            boolean slaveOnly,
            int numberPorts,
            int priority1,
            ClockQuality quality,
            int priority2,
            ClockIdentity clockIdentity,
            int domainNumber)
            implements DataSet {}

    /** 15.5.3.4.1: distance from and offset to the master. */
    record Current(int stepsRemoved, long offsetFromMasterScaled, long meanPathDelayScaled) implements DataSet {
        public double offsetFromMasterNanos() {
            return offsetFromMasterScaled / 65536.0;
        }

        public double meanPathDelayNanos() {
            return meanPathDelayScaled / 65536.0;
        }
    }

    /** 15.5.3.5.1: the parent and the grandmaster this clock follows. */
    record Parent(
            PortIdentity parentPort,
            boolean parentStats,
            int observedParentOffsetScaledLogVariance,
            int observedParentClockPhaseChangeRate,
            int grandmasterPriority1,
            ClockQuality grandmasterQuality,
            int grandmasterPriority2,
            ClockIdentity grandmasterIdentity)
            implements DataSet {}

    /** 15.5.3.7.1: one port's state and message intervals (log2 seconds). */
    record Port(
            PortIdentity portIdentity,
            PortState portState,
            int logMinDelayReqInterval,
            long peerMeanPathDelayScaled,
            int logAnnounceInterval,
            int announceReceiptTimeout,
            int logSyncInterval,
            int delayMechanism,
            int logMinPdelayReqInterval,
            int versionNumber)
            implements DataSet {}

    /**
     * linuxptp's TIME_STATUS_NP (struct time_status_np): the servo's view. {@code ingressTimeNanos} is
     * when the last Sync arrived, in the timescale of ptp4l's clock; it stops changing when Syncs stop.
     */
    record TimeStatus(
            long masterOffsetNanos,
            long ingressTimeNanos,
            int cumulativeScaledRateOffset,
            int scaledLastGmPhaseChange,
            int gmTimeBaseIndicator,
            byte[] lastGmPhaseChange,
            boolean gmPresent,
            ClockIdentity gmIdentity)
            implements DataSet {}

    /** 15.5.4.1.4 MANAGEMENT_ERROR_STATUS: the clock could not answer (e.g. 0x0002 NO_SUCH_ID). */
    record Error(int errorId, int managementId, String displayData) implements DataSet {}

    /** A GET: the data set asked for, no data. */
    record Request(ManagementId id) implements DataSet {}

    /** clockClass, clockAccuracy, offsetScaledLogVariance. */
    record ClockQuality(int clockClass, int clockAccuracy, int offsetScaledLogVariance) {}
}
