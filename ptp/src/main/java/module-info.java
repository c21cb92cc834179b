/**
 * IEEE 1588-2008 management messages ({@code management}) and a PTP lock monitor over any transport
 * ({@code clock}). Depends on the JDK alone; the AF_UNIX transport to ptp4l is a service provided by
 * org.medsync.ptp.uds.
 */
module org.medsync.ptp {
    exports org.medsync.ptp.management;
    exports org.medsync.ptp.clock;

    uses org.medsync.ptp.clock.ManagementTransport.Provider;
}
