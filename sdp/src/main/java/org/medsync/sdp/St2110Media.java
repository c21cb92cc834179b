package org.medsync.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * Media sections as a DICOM-RTV sender announces them: an ST 2110-20 video flow and its PS3.22
 * metadata flow, both RTP/AVP, multicast with source filter, PTP reference clock and
 * {@code mediaclk:direct=0}.
 */
public final class St2110Media {

    /** PS3.2 Annex L sample conformance: payload type 96 for video. */
    public static final int VIDEO_PAYLOAD_TYPE = 96;
    /** PS3.22 / PS3.2 Annex L: payload type 104 for the DICOM metadata flow. */
    public static final int METADATA_PAYLOAD_TYPE = 104;

    private St2110Media() {}

    /** Where a flow goes and what clock it follows. */
    public record Route(String group, int port, int ttl, String sourceAddress, TsRefClk refClock) {
        public Route {
            Connection.ip4Multicast(group, ttl); // validates
            SourceFilter.include(group, sourceAddress);
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1..65535");
            }
        }
    }

    /**
     * {@code m=video <port> RTP/AVP 96}, {@code a=rtpmap:96 raw/90000}, {@code a=fmtp:96 <format>}.
     */
    public static MediaDescription rawVideo(Route route, RawVideoFormat format) {
        List<Attribute> a = new ArrayList<>();
        a.add(SourceFilter.include(route.group(), route.sourceAddress()));
        a.add(new RtpMap(VIDEO_PAYLOAD_TYPE, "raw", 90000));
        a.add(format.toFmtp(VIDEO_PAYLOAD_TYPE));
        a.add(route.refClock());
        a.add(MediaClkDirect.zero());
        return MediaDescription.rtp(
                "video",
                route.port(),
                VIDEO_PAYLOAD_TYPE,
                List.of(Connection.ip4Multicast(route.group(), route.ttl())),
                a);
    }

    /**
     * {@code m=application <port> RTP/AVP 104}, {@code a=rtpmap:104 dicom/<clock rate>} (the clock
     * of the flow it describes, 90000 for video), with the NMOS in-stream identity and timing
     * header extensions mapped to ids 1..5.
     */
    public static MediaDescription dicomMetadata(Route route, long clockRate) {
        List<Attribute> a = new ArrayList<>();
        a.add(SourceFilter.include(route.group(), route.sourceAddress()));
        a.add(new RtpMap(METADATA_PAYLOAD_TYPE, "dicom", clockRate));
        a.add(route.refClock());
        a.add(MediaClkDirect.zero());
        a.add(new ExtMap(1, ExtMap.NMOS_SYNC_TIMESTAMP));
        a.add(new ExtMap(2, ExtMap.NMOS_ORIGIN_TIMESTAMP));
        a.add(new ExtMap(3, ExtMap.NMOS_FLOW_ID));
        a.add(new ExtMap(4, ExtMap.NMOS_SOURCE_ID));
        a.add(new ExtMap(5, ExtMap.NMOS_GRAIN_FLAGS));
        return MediaDescription.rtp(
                "application",
                route.port(),
                METADATA_PAYLOAD_TYPE,
                List.of(Connection.ip4Multicast(route.group(), route.ttl())),
                a);
    }

    /** A session with one media section, {@code t=0 0}, no session-level attributes. */
    public static SessionDescription session(Origin origin, String name, MediaDescription media) {
        return SessionDescription.of(origin, name, List.of(), List.of(media));
    }

    /** Whether this media section is a PS3.22 metadata flow ({@code dicom} rtpmap). */
    public static boolean isDicomMetadata(MediaDescription m) {
        return m.attributes(RtpMap.class).stream().anyMatch(r -> r.encoding().equalsIgnoreCase("dicom"));
    }
}
