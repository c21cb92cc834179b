package org.medsync.rtv.receiver;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.medsync.rtv.metadata.NmosHeader;
import org.medsync.sdp.Attribute;
import org.medsync.sdp.Connection;
import org.medsync.sdp.ExtMap;
import org.medsync.sdp.MediaClkDirect;
import org.medsync.sdp.MediaDescription;
import org.medsync.sdp.RawVideoFormat;
import org.medsync.sdp.SessionDescription;
import org.medsync.sdp.SourceFilter;
import org.medsync.sdp.St2110Media;
import org.medsync.sdp.TsRefClk;
import org.medsync.st2110.timing.FrameRate;
import org.medsync.st2110.video.VideoFormat;

/**
 * What a receiver subscribes to, read from a sender's SDP: the video flow (address, port, payload
 * type, format, the sources an {@code a=source-filter: incl} allows, how its RTP clock relates to
 * PTP time) and, when present, its DICOM metadata flow with the NMOS extmap ids.
 *
 * @param videoSources IPv4 sources the multicast group is joined for (RFC 4570 {@code incl}); empty:
 *     any source
 * @param secondaryVideo the video's second path when the SDP groups two sections with {@code a=group:DUP}
 *     (RFC 7104, SMPTE ST 2022-7): the receiver joins both and merges them by sequence number
 */
public record FlowDescription(
        String sessionName,
        String videoAddress,
        int videoPort,
        int videoPayloadType,
        VideoFormat format,
        Optional<Metadata> metadata,
        Clocking clocking,
        List<String> videoSources,
        Optional<Leg> secondaryVideo) {

    /** One path of a redundant (ST 2022-7) flow: where its copy arrives and the sources it is joined for. */
    public record Leg(String address, int port, List<String> sources) {
        public Leg {
            sources = List.copyOf(sources);
        }
    }

    public record Metadata(
            String address,
            int port,
            int payloadType,
            NmosHeader.Ids ids,
            List<String> sources,
            Optional<Leg> secondary) {
        public Metadata {
            sources = List.copyOf(sources);
        }

        public Metadata(String address, int port, int payloadType, NmosHeader.Ids ids, List<String> sources) {
            this(address, port, payloadType, ids, sources, Optional.empty());
        }

        public Metadata(String address, int port, int payloadType, NmosHeader.Ids ids) {
            this(address, port, payloadType, ids, List.of());
        }
    }

    /**
     * What the SDP says about the video's RTP clock (RFC 7273, ST 2110-10).
     *
     * @param directOffset {@code a=mediaclk:direct=<offset>}: RTP timestamp = offset + reference time x 90 kHz;
     *     empty when the SDP does not say (GStreamer's rtpvrawpay, most non-ST 2110 senders)
     * @param ptp {@code a=ts-refclk:ptp=...}: the reference is PTP (otherwise a free-running local clock or none)
     */
    public record Clocking(OptionalLong directOffset, boolean ptp) {
        /** Our own senders without PTP: direct=0 against the host clock. */
        public static final Clocking DIRECT_ZERO = new Clocking(OptionalLong.of(0), false);
    }

    public FlowDescription {
        videoSources = List.copyOf(videoSources);
    }

    public FlowDescription(
            String sessionName,
            String videoAddress,
            int videoPort,
            int videoPayloadType,
            VideoFormat format,
            Optional<Metadata> metadata,
            Clocking clocking,
            List<String> videoSources) {
        this(
                sessionName,
                videoAddress,
                videoPort,
                videoPayloadType,
                format,
                metadata,
                clocking,
                videoSources,
                Optional.empty());
    }

    public FlowDescription(
            String sessionName,
            String videoAddress,
            int videoPort,
            int videoPayloadType,
            VideoFormat format,
            Optional<Metadata> metadata) {
        this(sessionName, videoAddress, videoPort, videoPayloadType, format, metadata, Clocking.DIRECT_ZERO, List.of());
    }

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
                    Connection mc = connection(s, m);
                    return new Metadata(
                            mc.address(),
                            m.port(),
                            pt,
                            ids(m.attributes(ExtMap.class)),
                            sources(s, m, mc.address()),
                            secondary(s, m, mc.address()));
                });
        return new FlowDescription(
                s.sessionName(),
                vc.address(),
                video.port(),
                Integer.parseInt(video.formats().getFirst()),
                fmt,
                meta,
                clocking(s, video),
                sources(s, video, vc.address()),
                secondary(s, video, vc.address()));
    }

    /**
     * The second path of a section in an {@code a=group:DUP} (the sdp module has checked that both carry one stream).
     * Only two paths: ST 2022-7 receivers merge two; a third section is refused rather than silently not joined.
     */
    private static Optional<Leg> secondary(SessionDescription s, MediaDescription m, String primaryAddress) {
        List<MediaDescription> dup = s.duplicates(m);
        if (dup.isEmpty()) {
            return Optional.empty();
        }
        if (dup.size() > 1) {
            throw new IllegalArgumentException("a=group:DUP of " + (dup.size() + 1) + " sections for " + m.media()
                    + "; this receiver merges two paths (SMPTE ST 2022-7)");
        }
        MediaDescription d = dup.getFirst();
        Connection c = connection(s, d);
        ipv4(c.address(), "the second path's c= address");
        if (c.address().equals(primaryAddress) && d.port() == m.port()) {
            throw new IllegalArgumentException("both paths of the a=group:DUP " + m.media() + " flow are " + c.address()
                    + ":" + m.port() + "; duplication needs two destinations");
        }
        return Optional.of(new Leg(c.address(), d.port(), sources(s, d, c.address())));
    }

    /** Media-level attributes override session-level ones (RFC 7273 section 4.8, RFC 4570 section 3). */
    private static Clocking clocking(SessionDescription s, MediaDescription video) {
        List<MediaClkDirect> direct = video.attributes(MediaClkDirect.class);
        if (direct.isEmpty()) {
            direct = only(s.attributes(), MediaClkDirect.class);
        }
        List<TsRefClk> ref = video.attributes(TsRefClk.class);
        if (ref.isEmpty()) {
            ref = only(s.attributes(), TsRefClk.class);
        }
        if (direct.size() > 1) {
            throw new IllegalArgumentException("the video section has " + direct.size() + " a=mediaclk lines; one");
        }
        return new Clocking(
                direct.isEmpty()
                        ? OptionalLong.empty()
                        : OptionalLong.of(direct.getFirst().offset()),
                !ref.isEmpty() && ref.stream().allMatch(r -> r instanceof TsRefClk.Ptp));
    }

    /**
     * The IPv4 sources an {@code incl} filter for this group allows; empty for unicast or no filter. {@code excl}
     * filters and IPv6 are refused rather than ignored: joining without the filter would receive what the sender
     * meant to exclude.
     */
    private static List<String> sources(SessionDescription s, MediaDescription m, String group) {
        List<SourceFilter> filters = m.attributes(SourceFilter.class);
        if (filters.isEmpty()) {
            filters = only(s.attributes(), SourceFilter.class);
        }
        List<String> out = new ArrayList<>();
        for (SourceFilter f : filters) {
            if (!f.destination().equals(group) && !f.destination().equals("*")) {
                continue;
            }
            if (!f.mode().equals("incl")) {
                throw new IllegalArgumentException("a=source-filter: " + f.mode()
                        + " is not supported; only incl (a receiver joins source-specifically)");
            }
            if (!f.netType().equals("IN")
                    || !f.addressType().equals("IP4") && !f.addressType().equals("*")) {
                throw new IllegalArgumentException(
                        "a=source-filter for " + group + " must be IN IP4, was " + f.netType() + " " + f.addressType());
            }
            for (String src : f.sources()) {
                out.add(ipv4(src, "a=source-filter source"));
            }
        }
        if (!out.isEmpty() && !multicast(group)) {
            throw new IllegalArgumentException("a=source-filter for " + group + ", which is not a multicast group");
        }
        return out.stream().distinct().toList();
    }

    private static <T extends Attribute> List<T> only(List<Attribute> attributes, Class<T> type) {
        return attributes.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Strictly dotted IPv4, checked by hand: InetAddress.getByName would ask DNS for anything else. */
    private static String ipv4(String text, String what) {
        boolean ok = text.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        if (ok) {
            for (String octet : text.split("\\.")) {
                ok &= Integer.parseInt(octet) <= 255 && (octet.length() == 1 || octet.charAt(0) != '0');
            }
        }
        if (!ok) {
            throw new IllegalArgumentException(what + " must be a dotted IPv4 address, was '" + text + "'");
        }
        return text;
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
        return multicast(videoAddress);
    }

    static boolean multicast(String address) {
        int dot = address.indexOf('.');
        if (dot < 1 || !address.substring(0, dot).matches("\\d{1,3}")) {
            return false;
        }
        int first = Integer.parseInt(address.substring(0, dot));
        return first >= 224 && first <= 239;
    }
}
