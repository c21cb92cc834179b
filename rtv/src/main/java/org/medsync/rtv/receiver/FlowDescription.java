package org.medsync.rtv.receiver;

import java.util.List;
import java.util.Optional;
import org.medsync.rtv.metadata.NmosHeader;
import org.medsync.sdp.Connection;
import org.medsync.sdp.ExtMap;
import org.medsync.sdp.MediaDescription;
import org.medsync.sdp.RawVideoFormat;
import org.medsync.sdp.SessionDescription;
import org.medsync.sdp.St2110Media;
import org.medsync.st2110.timing.FrameRate;
import org.medsync.st2110.video.VideoFormat;

/**
 * What a receiver subscribes to, read from a sender's SDP: the video flow (address, port, payload
 * type, format) and, when present, its DICOM metadata flow with the NMOS extmap ids.
 */
public record FlowDescription(
        String sessionName,
        String videoAddress,
        int videoPort,
        int videoPayloadType,
        VideoFormat format,
        Optional<Metadata> metadata) {

    public record Metadata(String address, int port, int payloadType, NmosHeader.Ids ids) {}

    /**
     * @throws org.medsync.sdp.SdpException for SDP that does not parse
     * @throws IllegalArgumentException for SDP without a video flow we can receive (the message says why)
     */
    public static FlowDescription parse(String sdpText) {
        SessionDescription s = SessionDescription.parse(sdpText);
        MediaDescription video = s.media().stream()
                .filter(m -> m.media().equals("video"))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the SDP has no m=video section"));
        RawVideoFormat raw = video.rawVideoFormat()
                .orElseThrow(() -> new IllegalArgumentException(
                        "the video section is not ST 2110-20 raw video (rtpmap raw/90000 with fmtp)"));
        VideoFormat fmt = VideoFormat.of(
                raw.sampling(),
                raw.depth(),
                raw.width(),
                raw.height(),
                new FrameRate(
                        raw.exactFrameRate().numerator(), raw.exactFrameRate().denominator()),
                raw.colorimetry(),
                raw.interlace());
        Connection vc = connection(s, video);
        Optional<Metadata> meta = s.media().stream()
                .filter(St2110Media::isDicomMetadata)
                .findFirst()
                .map(m -> {
                    int pt = Integer.parseInt(m.formats().getFirst());
                    return new Metadata(connection(s, m).address(), m.port(), pt, ids(m.attributes(ExtMap.class)));
                });
        return new FlowDescription(
                s.sessionName(),
                vc.address(),
                video.port(),
                Integer.parseInt(video.formats().getFirst()),
                fmt,
                meta);
    }

    private static Connection connection(SessionDescription s, MediaDescription m) {
        if (!m.connections().isEmpty()) {
            return m.connections().getFirst();
        }
        return s.connection().orElseThrow(() -> new IllegalArgumentException("no c= line for " + m.media()));
    }

    private static NmosHeader.Ids ids(List<ExtMap> maps) {
        int[] id = new int[5];
        List<String> uris = List.of(
                ExtMap.NMOS_SYNC_TIMESTAMP,
                ExtMap.NMOS_ORIGIN_TIMESTAMP,
                ExtMap.NMOS_FLOW_ID,
                ExtMap.NMOS_SOURCE_ID,
                ExtMap.NMOS_GRAIN_FLAGS);
        for (ExtMap e : maps) {
            int i = uris.indexOf(e.uri());
            if (i >= 0) {
                if (e.id() > 14) {
                    throw new IllegalArgumentException("extmap id " + e.id() + " for " + e.uri()
                            + " does not fit the one-byte header form (1..14)");
                }
                id[i] = e.id();
            }
        }
        return new NmosHeader.Ids(id[0], id[1], id[2], id[3], id[4]);
    }

    public boolean multicast() {
        int first = Integer.parseInt(videoAddress.substring(0, videoAddress.indexOf('.')));
        return first >= 224 && first <= 239;
    }
}
