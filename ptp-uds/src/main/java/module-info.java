/** ptp4l's AF_UNIX datagram management socket through the FFM API, as a transport for org.medsync.ptp. */
module org.medsync.ptp.uds {
    requires transitive org.medsync.ptp;

    exports org.medsync.ptp.uds;

    provides org.medsync.ptp.clock.ManagementTransport.Provider with
            org.medsync.ptp.uds.UnixDatagramTransport.Provider;
}
