package org.medsync.ptp.management;

/** IEEE 1588-2008 Table 8 portState values, plus linuxptp's GRAND_MASTER (10). */
public enum PortState {
    INITIALIZING(1),
    FAULTY(2),
    DISABLED(3),
    LISTENING(4),
    PRE_MASTER(5),
    MASTER(6),
    PASSIVE(7),
    UNCALIBRATED(8),
    SLAVE(9),
    GRAND_MASTER(10);

    final int code;

    PortState(int code) {
        this.code = code;
    }

    static PortState of(int code) throws PtpFormatException {
        for (PortState s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new PtpFormatException("portState " + code + " is not 1..10");
    }
}
