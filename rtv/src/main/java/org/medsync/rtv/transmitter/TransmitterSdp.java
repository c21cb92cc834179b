package org.medsync.rtv.transmitter;

import java.util.ArrayList;
import java.util.List;
import org.medsync.sdp.Attribute;
import org.medsync.sdp.Connection;
import org.medsync.sdp.ExactFrameRate;
import org.medsync.sdp.ExtMap;
import org.medsync.sdp.MediaClkDirect;
import org.medsync.sdp.MediaDescription;
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
 * the grandmaster while PTP-locked, else the sender's MAC (docs/rtv.md "Time").
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
        List<Attribute> va = new ArrayList<>();
        filter(c.videoDestination(), sourceAddress, va);
        va.add(new RtpMap(St2110Media.VIDEO_PAYLOAD_TYPE, "raw", 90000));
        va.add(fmt.toFmtp(St2110Media.VIDEO_PAYLOAD_TYPE));
        va.add(clock);
        va.add(MediaClkDirect.zero());
        MediaDescription video = MediaDescription.rtp(
                "video",
                c.videoDestination().port(),
                St2110Media.VIDEO_PAYLOAD_TYPE,
                List.of(connection(c.videoDestination(), c.ttl())),
                va);
        List<Attribute> ma = new ArrayList<>();
        filter(c.metadataDestination(), sourceAddress, ma);
        ma.add(new RtpMap(St2110Media.METADATA_PAYLOAD_TYPE, "dicom", 90000));
        ma.add(clock);
        ma.add(MediaClkDirect.zero());
        ma.add(new ExtMap(1, ExtMap.NMOS_SYNC_TIMESTAMP));
        ma.add(new ExtMap(2, ExtMap.NMOS_ORIGIN_TIMESTAMP));
        ma.add(new ExtMap(3, ExtMap.NMOS_FLOW_ID));
        ma.add(new ExtMap(4, ExtMap.NMOS_SOURCE_ID));
        ma.add(new ExtMap(5, ExtMap.NMOS_GRAIN_FLAGS));
        MediaDescription meta = MediaDescription.rtp(
                "application",
                c.metadataDestination().port(),
                St2110Media.METADATA_PAYLOAD_TYPE,
                List.of(connection(c.metadataDestination(), c.ttl())),
                ma);
        return SessionDescription.of(
                Origin.of("-", sessionId, version, sourceAddress), name, List.of(), List.of(video, meta));
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
