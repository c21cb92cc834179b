package org.medsync.ptp.management;

/** The managementId values we ask for (IEEE 1588-2008 Table 40; TIME_STATUS_NP is linuxptp's). */
public enum ManagementId {
    DEFAULT_DATA_SET(0x2000, 20),
    CURRENT_DATA_SET(0x2001, 18),
    PARENT_DATA_SET(0x2002, 32),
    PORT_DATA_SET(0x2004, 26),
    TIME_STATUS_NP(0xC000, 50);

    /** On the wire. */
    public final int code;
    /** Octets of the data set after the managementId. */
    final int dataLength;

    ManagementId(int code, int dataLength) {
        this.code = code;
        this.dataLength = dataLength;
    }

    static ManagementId of(int code) {
        for (ManagementId id : values()) {
            if (id.code == code) {
                return id;
            }
        }
        return null;
    }
}
