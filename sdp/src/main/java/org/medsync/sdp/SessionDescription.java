package org.medsync.sdp;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A session description (RFC 8866). {@link #parse} then {@link #generate} and back gives an equal
 * record; generation writes CRLF line ends and the fields in RFC 8866 order.
 *
 * <pre>
 * v=0
 * o=- 1 1 IN IP4 192.168.1.10
 * s=Endoscope 1
 * t=0 0
 * m=video 5004 RTP/AVP 96
 * c=IN IP4 239.100.9.10/32
 * a=source-filter: incl IN IP4 239.100.9.10 192.168.1.10
 * a=rtpmap:96 raw/90000
 * a=fmtp:96 sampling=YCbCr-4:2:2; depth=10; width=1920; height=1080; exactframerate=50; ...
 * a=ts-refclk:ptp=IEEE1588-2008:08-00-11-FF-FE-21-E1-B0:127
 * a=mediaclk:direct=0
 * </pre>
 */
public record SessionDescription(
        Origin origin,
        String sessionName,
        Optional<String> information,
        Optional<String> uri,
        List<String> emails,
        List<String> phones,
        Optional<Connection> connection,
        List<Bandwidth> bandwidths,
        List<Timing> timings,
        Optional<String> timeZones,
        Optional<String> key,
        List<Attribute> attributes,
        List<MediaDescription> media) {

    public SessionDescription {
        Objects.requireNonNull(origin, "origin");
        Syntax.requireByteString(sessionName, "session name");
        for (Optional<String> o : List.of(information, uri, timeZones, key)) {
            o.ifPresent(s -> Syntax.requireByteString(s, "optional line"));
        }
        emails = List.copyOf(emails);
        phones = List.copyOf(phones);
        emails.forEach(e -> Syntax.requireByteString(e, "e="));
        phones.forEach(p -> Syntax.requireByteString(p, "p="));
        Objects.requireNonNull(connection, "connection");
        bandwidths = List.copyOf(bandwidths);
        timings = List.copyOf(timings);
        if (timings.isEmpty()) {
            throw new IllegalArgumentException("at least one t= line");
        }
        attributes = List.copyOf(attributes);
        media = List.copyOf(media);
        if (connection.isEmpty()) {
            for (MediaDescription m : media) {
                if (m.connections().isEmpty()) {
                    throw new IllegalArgumentException("c= needed at session level or in every media section");
                }
            }
        }
        SdpParser.GroupProblem g = SdpParser.groupProblem(attributes, media);
        if (g != null) {
            throw new IllegalArgumentException(g.expected());
        }
    }

    /**
     * The other sections of {@code m}'s {@code a=group:DUP} (RFC 7104, ST 2022-7: the same stream over another
     * path), in the group's order; empty when {@code m} is not duplicated.
     */
    public List<MediaDescription> duplicates(MediaDescription m) {
        var mid = m.mid();
        if (mid.isEmpty()) {
            return List.of();
        }
        for (Attribute a : attributes) {
            if (a instanceof Group g && g.duplication() && g.tags().contains(mid.get())) {
                return g.tags().stream()
                        .filter(t -> !t.equals(mid.get()))
                        .map(t -> media.stream()
                                .filter(o -> o.mid().equals(Optional.of(t)))
                                .findFirst()
                                .orElseThrow())
                        .toList();
            }
        }
        return List.of();
    }

    /** The common shape: origin, name, {@code t=0 0}, session attributes and media sections. */
    public static SessionDescription of(
            Origin origin, String sessionName, List<Attribute> attributes, List<MediaDescription> media) {
        return new SessionDescription(
                origin,
                sessionName,
                Optional.empty(),
                Optional.empty(),
                List.of(),
                List.of(),
                Optional.empty(),
                List.of(),
                List.of(Timing.UNBOUNDED),
                Optional.empty(),
                Optional.empty(),
                attributes,
                media);
    }

    /** @throws SdpException with the 1-based line and what was expected there */
    public static SessionDescription parse(String text) {
        return new SdpParser(text).parse();
    }

    /** The SDP text, CRLF line ends. */
    public String generate() {
        StringBuilder b = new StringBuilder(512);
        line(b, 'v', "0");
        line(b, 'o', origin.text());
        line(b, 's', sessionName);
        information.ifPresent(v -> line(b, 'i', v));
        uri.ifPresent(v -> line(b, 'u', v));
        emails.forEach(v -> line(b, 'e', v));
        phones.forEach(v -> line(b, 'p', v));
        connection.ifPresent(c -> line(b, 'c', c.text()));
        bandwidths.forEach(v -> line(b, 'b', v.text()));
        for (Timing t : timings) {
            line(b, 't', t.text());
            t.repeats().forEach(r -> line(b, 'r', r));
        }
        timeZones.ifPresent(v -> line(b, 'z', v));
        key.ifPresent(v -> line(b, 'k', v));
        attributes.forEach(a -> line(b, 'a', a.text()));
        for (MediaDescription m : media) {
            line(
                    b,
                    'm',
                    m.media() + " " + m.port()
                            + (m.portCount().isPresent() ? "/" + m.portCount().getAsInt() : "") + " " + m.protocol()
                            + " "
                            + String.join(" ", m.formats()));
            m.information().ifPresent(v -> line(b, 'i', v));
            m.connections().forEach(c -> line(b, 'c', c.text()));
            m.bandwidths().forEach(v -> line(b, 'b', v.text()));
            m.key().ifPresent(v -> line(b, 'k', v));
            m.attributes().forEach(a -> line(b, 'a', a.text()));
        }
        return b.toString();
    }

    private static void line(StringBuilder b, char type, String value) {
        b.append(type).append('=').append(value).append("\r\n");
    }
}
