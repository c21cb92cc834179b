package org.medsync.sdp;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One media section (RFC 8866 section 5.14): {@code m=<media> <port>[/<count>] <proto> <fmt>...}
 * then {@code i=}, {@code c=}*, {@code b=}*, {@code k=}, {@code a=}*.
 */
public record MediaDescription(
        String media,
        int port,
        OptionalInt portCount,
        String protocol,
        List<String> formats,
        Optional<String> information,
        List<Connection> connections,
        List<Bandwidth> bandwidths,
        Optional<String> key,
        List<Attribute> attributes) {

    public MediaDescription {
        Syntax.requireToken(media, "media");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        Objects.requireNonNull(portCount, "portCount");
        if (portCount.isPresent() && portCount.getAsInt() < 1) {
            throw new IllegalArgumentException("port count must be >= 1");
        }
        if (!Syntax.isField(protocol)) {
            throw new IllegalArgumentException("protocol must be a field, was " + protocol);
        }
        formats = List.copyOf(formats);
        if (formats.isEmpty()) {
            throw new IllegalArgumentException("at least one format");
        }
        formats.forEach(f -> Syntax.requireField(f, "format"));
        Objects.requireNonNull(information, "information").ifPresent(i -> Syntax.requireByteString(i, "i="));
        connections = List.copyOf(connections);
        bandwidths = List.copyOf(bandwidths);
        Objects.requireNonNull(key, "key").ifPresent(k -> Syntax.requireByteString(k, "k="));
        attributes = List.copyOf(attributes);
        String bad = SdpParser.checkMedia(protocol, formats, attributes);
        if (bad != null) {
            throw new IllegalArgumentException(bad);
        }
    }

    /** An RTP media section with one payload type and the given attributes. */
    public static MediaDescription rtp(
            String media, int port, int payloadType, List<Connection> connections, List<Attribute> attributes) {
        return new MediaDescription(
                media,
                port,
                OptionalInt.empty(),
                "RTP/AVP",
                List.of(Integer.toString(payloadType)),
                Optional.empty(),
                connections,
                List.of(),
                Optional.empty(),
                attributes);
    }

    public Optional<RtpMap> rtpMap(int payloadType) {
        return attributes(RtpMap.class).stream()
                .filter(r -> r.payloadType() == payloadType)
                .findFirst();
    }

    public Optional<Fmtp> fmtp(String format) {
        return attributes(Fmtp.class).stream()
                .filter(f -> f.format().equals(format))
                .findFirst();
    }

    /** The ST 2110-20 parameters of the first format when its rtpmap says {@code raw}. */
    public Optional<RawVideoFormat> rawVideoFormat() {
        String fmt = formats.getFirst();
        return attributes(RtpMap.class).stream()
                .filter(r -> Integer.toString(r.payloadType()).equals(fmt)
                        && r.encoding().equalsIgnoreCase("raw"))
                .findFirst()
                .flatMap(r -> fmtp(fmt))
                .map(f -> RawVideoFormat.parse(f.parameters()));
    }

    /** Its {@code a=mid} tag (RFC 5888), the name an {@code a=group} line uses for it. */
    public Optional<String> mid() {
        return attributes(Mid.class).stream().map(Mid::tag).findFirst();
    }

    public <T extends Attribute> List<T> attributes(Class<T> type) {
        return attributes.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Values of generic {@code a=name:value} or the name of {@code a=name} lines with this name. */
    public Optional<Attribute> attribute(String name) {
        return attributes.stream().filter(a -> a.name().equals(name)).findFirst();
    }
}
