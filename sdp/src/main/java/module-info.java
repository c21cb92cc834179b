/**
 * SDP (RFC 8866) parsing and generation, with typed ST 2110 (-10, -20, -21) and DICOM-RTV
 * (PS3.22) attributes. Depends on the JDK alone.
 */
module org.medsync.sdp {
    exports org.medsync.sdp;
}
