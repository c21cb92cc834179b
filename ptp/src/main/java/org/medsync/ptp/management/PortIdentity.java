package org.medsync.ptp.management;

/** clockIdentity + portNumber (10 octets on the wire). */
public record PortIdentity(ClockIdentity clock, int port) {

    /** Every clock, every port: the target of a management message meant for whoever receives it. */
    public static final PortIdentity WILDCARD = new PortIdentity(new ClockIdentity(-1L), 0xFFFF);

    @Override
    public String toString() {
        return clock.pmcForm() + "-" + port;
    }
}
