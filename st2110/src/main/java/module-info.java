/**
 * SMPTE ST 2110 for DICOM-RTV video: RFC 4175 / ST 2110-20 payloading and depacketizing
 * ({@code video}), the ST 2110-10 TAI media clock and RTP timestamps ({@code timing}), and
 * ST 2110-21 sender pacing and its conformance measurement ({@code pacing}).
 */
// The trailing digits are the standard's number (SMPTE ST 2110), which is what readers look for.
@SuppressWarnings("module")
module org.medsync.st2110 {
    requires transitive org.medsync.rtp;

    exports org.medsync.st2110.video;
    exports org.medsync.st2110.timing;
    exports org.medsync.st2110.pacing;
}
