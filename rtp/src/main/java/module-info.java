/**
 * RTP (RFC 3550) packets with RFC 8285 header extensions, extended sequence numbers and loss
 * counting, and RFC 4571 stream framing. Depends on the JDK alone.
 */
module org.medsync.rtp {
    exports org.medsync.rtp;
}
