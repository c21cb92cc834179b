package org.medsync.rtv.transmitter;

import java.util.ArrayList;
import java.util.List;
import org.medsync.sdp.Attribute;
import org.medsync.sdp.Connection;
import org.medsync.sdp.ExactFrameRate;
import org.medsync.sdp.ExtMap;
import org.medsync.sdp.Group;
import org.medsync.sdp.MediaClkDirect;
import org.medsync.sdp.MediaDescription;
import org.medsync.sdp.Mid;
import org.medsync.sdp.Origin;
import org.medsync.sdp.RawVideoFormat;
import org.medsync.sdp.RtpMap;
import org.medsync.sdp.SessionDescription;
import org.medsync.sdp.SourceFilter;
import org.medsync.sdp.St2110Media;
import org.medsync.sdp.TsRefClk;
import org.medsync.st2110.pacing.SenderType;

/**
 * The transmitter's SDP (GET /SDP): one session, the ST 2110-20 video flow (PT 96) and its PS3.22
 * metadata flow (PT 104, NMOS extmap ids 1..5), as docs/rtv-wire.md section 5 shows. Multicast
 * destinations get a TTL and a source filter; unicast ones (tests, loopback) neither. {@code clock} is
 * the grandmaster while PTP-locked, else the sender's MAC (docs/rtv.md "Time"). A redundant (SMPTE ST 2022-7)
 * transmitter describes each flow twice, as ST 2110-10 section 8.3 and RFC 7104 ask: {@code a=group:DUP primary
 * secondary} for the video and {@code a=group:DUP metadata-primary metadata-secondary} for the metadata, each path a
 * media section of its own with its {@code a=mid}, its connection and its source filter.
 */
public final class TransmitterSdp {

    private TransmitterSdp() {}

    public static SessionDescription of(
            TransmitterConfig c, String name, String sourceAddress, long sessionId, long version, TsRefClk clock) {
        return of(c, name, sourceAddress, sessionId, version, clock, SenderType.NARROW_LINEAR);
    }

    /** As above, for a sender of the given ST 2110-21 type (its {@code TP=}). */
    public static SessionDescription of(
            TransmitterConfig c,
            String name,
            String sourceAddress,
            long sessionId,
            long version,
            TsRefClk clock,
            SenderType senderType) {
        RawVideoFormat fmt = RawVideoFormat.of(
                        "YCbCr-4:2:2",
                        c.video().depth(),
                        c.video().width(),
                        c.video().height(),
                        new ExactFrameRate(
                                c.video().rate().numerator(), c.video().rate().denominator()),
                        c.video().colorimetry().name(),
                        senderType.sdpValue())
                .withTcs("SDR")
                .withMaxUdp(1460);
        var red = c.redundancy();
        String source2 =
                red.flatMap(TransmitterConfig.Redundancy::secondarySource).orElse(sourceAddress);
        String source1 =
                red.flatMap(TransmitterConfig.Redundancy::primarySource).orElse(sourceAddress);
        List<MediaDescription> media = new ArrayList<>();
        media.add(video(c, fmt, clock, c.videoDestination(), source1, red.isPresent() ? "primary" : null));
        red.ifPresent(r -> media.add(video(c, fmt, clock, r.video(), source2, "secondary")));
        media.add(metadata(c, clock, c.metadataDestination(), source1, red.isPresent() ? "metadata-primary" : null));
        red.ifPresent(r -> media.add(metadata(c, clock, r.metadata(), source2, "metadata-secondary")));
        List<Attribute> session = red.isPresent()
                ? List.of(
                        Group.duplication("primary", "secondary"),
                        Group.duplication("metadata-primary", "metadata-secondary"))
                : List.of();
        return SessionDescription.of(Origin.of("-", sessionId, version, sourceAddress), name, session, media);
    }

    private static MediaDescription video(
            TransmitterConfig c,
            RawVideoFormat fmt,
            TsRefClk clock,
            TransmitterConfig.Endpoint to,
            String source,
            String mid) {
        List<Attribute> va = new ArrayList<>();
        filter(to, source, va);
        va.add(new RtpMap(St2110Media.VIDEO_PAYLOAD_TYPE, "raw", 90000));
        va.add(fmt.toFmtp(St2110Media.VIDEO_PAYLOAD_TYPE));
        va.add(clock);
        va.add(MediaClkDirect.zero());
        if (mid != null) {
            va.add(new Mid(mid));
        }
        return MediaDescription.rtp(
                "video", to.port(), St2110Media.VIDEO_PAYLOAD_TYPE, List.of(connection(to, c.ttl())), va);
    }

    private static MediaDescription metadata(
            TransmitterConfig c, TsRefClk clock, TransmitterConfig.Endpoint to, String source, String mid) {
        List<Attribute> ma = new ArrayList<>();
        filter(to, source, ma);
        ma.add(new RtpMap(St2110Media.METADATA_PAYLOAD_TYPE, "dicom", 90000));
        ma.add(clock);
        ma.add(MediaClkDirect.zero());
        ma.add(new ExtMap(1, ExtMap.NMOS_SYNC_TIMESTAMP));
        ma.add(new ExtMap(2, ExtMap.NMOS_ORIGIN_TIMESTAMP));
        ma.add(new ExtMap(3, ExtMap.NMOS_FLOW_ID));
        ma.add(new ExtMap(4, ExtMap.NMOS_SOURCE_ID));
        ma.add(new ExtMap(5, ExtMap.NMOS_GRAIN_FLAGS));
        if (mid != null) {
            ma.add(new Mid(mid));
        }
        return MediaDescription.rtp(
                "application", to.port(), St2110Media.METADATA_PAYLOAD_TYPE, List.of(connection(to, c.ttl())), ma);
    }

    private static Connection connection(TransmitterConfig.Endpoint e, int ttl) {
        return e.multicast() ? Connection.ip4Multicast(e.address(), ttl) : Connection.ip4(e.address());
    }

    private static void filter(TransmitterConfig.Endpoint e, String source, List<Attribute> out) {
        if (e.multicast()) {
            out.add(SourceFilter.include(e.address(), source));
        }
    }
}
