package org.medsync.sdp;

import static org.medsync.sdp.SdpException.Reason.BAD_FMTP;
import static org.medsync.sdp.SdpException.Reason.BAD_GROUP;
import static org.medsync.sdp.SdpException.Reason.BAD_LINE;
import static org.medsync.sdp.SdpException.Reason.BAD_MEDIA;
import static org.medsync.sdp.SdpException.Reason.BAD_MID;
import static org.medsync.sdp.SdpException.Reason.BAD_RTPMAP;
import static org.medsync.sdp.SdpException.Reason.MISSING_LINE;
import static org.medsync.sdp.SdpException.Reason.UNEXPECTED_LINE;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Supplier;

/**
 * RFC 8866 section 5/9 parser: one pass over the lines with the field order as a small state
 * machine. Session part: {@code v o s i? u? e* p* c? b* (t r*)+ z? k? a*}; each media part:
 * {@code m i? c* b* k? a*}. Lines end in CRLF or LF.
 */
final class SdpParser {

    private static final String SESSION_ORDER = "vosiuepcbtzka";
    private static final String MEDIA_ORDER = "micbka";
    private static final String REPEATABLE = "epcbtra";

    private final List<String> lines = new ArrayList<>();
    private int next; // index into lines

    SdpParser(String text) {
        String[] raw = text.split("\n", -1);
        for (String l : raw) {
            lines.add(l.endsWith("\r") ? l.substring(0, l.length() - 1) : l);
        }
        if (!lines.isEmpty() && lines.getLast().isEmpty()) {
            lines.removeLast();
        }
    }

    SessionDescription parse() {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).indexOf('\0') >= 0) {
                throw new SdpException(i + 1, BAD_LINE, "text without NUL characters");
            }
        }
        try {
            return parseLines();
        } catch (IllegalArgumentException e) { // a record refused a value no field rule caught first
            throw new SdpException(Math.max(1, next), BAD_LINE, e.getMessage());
        }
    }

    private SessionDescription parseLines() {
        if (lines.isEmpty() || lines.stream().allMatch(String::isBlank)) {
            throw new SdpException(1, SdpException.Reason.EMPTY, "v=0 on the first line, the text is empty");
        }
        String v = require('v', "v=0 on the first line");
        if (!v.equals("0")) {
            throw error(SdpException.Reason.BAD_VERSION, "v=0, got 'v=" + v + "'");
        }
        String o = require('o', "o=<username> <sess-id> <sess-version> <nettype> <addrtype> <address>");
        Origin origin = at(() -> Origin.parse(o));
        String name = require('s', "s=<session name> (a single space when there is none)");
        if (name.isEmpty()) {
            throw error(SdpException.Reason.BAD_SESSION_NAME, "s=<session name>; use 's= ' when there is none");
        }
        Optional<String> info = Optional.empty();
        Optional<String> uri = Optional.empty();
        Optional<String> zone = Optional.empty();
        Optional<String> key = Optional.empty();
        List<String> emails = new ArrayList<>();
        List<String> phones = new ArrayList<>();
        Optional<Connection> connection = Optional.empty();
        List<Bandwidth> bandwidths = new ArrayList<>();
        List<Timing> timings = new ArrayList<>();
        List<Attribute> attributes = new ArrayList<>();
        int rank = SESSION_ORDER.indexOf('s');
        while (next < lines.size() && peekType() != 'm') {
            char t = peekType();
            String value = lines.get(next).substring(2);
            next++;
            if (t == 'r') {
                if (timings.isEmpty() || rank != SESSION_ORDER.indexOf('t')) {
                    throw error(UNEXPECTED_LINE, "r= only right after t= or r=");
                }
                Timing last = timings.removeLast();
                List<String> repeats = new ArrayList<>(last.repeats());
                repeats.add(nonEmpty(value, 'r'));
                timings.add(new Timing(last.start(), last.stop(), repeats));
                continue;
            }
            rank = advance(SESSION_ORDER, rank, t, "session");
            switch (t) {
                case 'i' -> info = Optional.of(nonEmpty(value, t));
                case 'u' -> uri = Optional.of(nonEmpty(value, t));
                case 'e' -> emails.add(nonEmpty(value, t));
                case 'p' -> phones.add(nonEmpty(value, t));
                case 'c' -> connection = Optional.of(at(() -> Connection.parse(value)));
                case 'b' -> bandwidths.add(at(() -> Bandwidth.parse(value)));
                case 't' -> timings.add(at(() -> Timing.parse(value)));
                case 'z' -> zone = Optional.of(nonEmpty(value, t));
                case 'k' -> key = Optional.of(nonEmpty(value, t));
                case 'a' -> {
                    attributes.add(at(() -> Attribute.parse(value)));
                    sessionAttributeLines.add(next);
                }
                default -> throw new IllegalStateException();
            }
        }
        if (timings.isEmpty()) {
            throw new SdpException(
                    next + 1,
                    MISSING_LINE,
                    "t=<start> <stop> (at least one) before " + (next < lines.size() ? "m=" : "the end"));
        }
        List<MediaDescription> media = new ArrayList<>();
        while (next < lines.size()) {
            media.add(media());
        }
        if (connection.isEmpty()) {
            for (int m = 0; m < media.size(); m++) {
                if (media.get(m).connections().isEmpty()) {
                    throw new SdpException(
                            mediaLines.get(m),
                            MISSING_LINE,
                            "c= in this media section (there is none at session level)");
                }
            }
        }
        GroupProblem g = groupProblem(attributes, media);
        if (g != null) {
            int line = g.media() >= 0 ? midLines.get(g.media()) : sessionAttributeLines.get(g.attribute());
            throw new SdpException(line, g.reason(), g.expected());
        }
        return new SessionDescription(
                origin, name, info, uri, emails, phones, connection, bandwidths, timings, zone, key, attributes, media);
    }

    private final List<Integer> mediaLines = new ArrayList<>();
    private final List<Integer> sessionAttributeLines = new ArrayList<>();
    /** Per media section: the line of its a=mid, or of its m= line when it has none. */
    private final List<Integer> midLines = new ArrayList<>();

    private MediaDescription media() {
        int mLine = next + 1;
        mediaLines.add(mLine);
        String mValue = require('m', "m=<media> <port> <proto> <fmt>...");
        String[] f = mValue.split(" ", -1);
        String expected = "m=<media> <port>[/<count>] <proto> <fmt>... separated by single spaces";
        if (f.length < 4) {
            throw error(BAD_MEDIA, expected + ", got 'm=" + mValue + "'");
        }
        for (String field : f) {
            if (!Syntax.isField(field)) {
                throw error(BAD_MEDIA, expected + ", got 'm=" + mValue + "'");
            }
        }
        if (!Syntax.isToken(f[0])) {
            throw error(BAD_MEDIA, expected + ", media '" + f[0] + "' is not a token");
        }
        String[] port = f[1].split("/", -1);
        long p = Syntax.number(port[0], 65535);
        long count = port.length == 2 ? Syntax.number(port[1], 65535) : port.length == 1 ? 1 : -1;
        if (p < 0 || count < 1) {
            throw error(BAD_MEDIA, expected + ", port '" + f[1] + "' is not <0..65535>[/<count>]");
        }
        List<String> formats = List.of(f).subList(3, f.length);
        Optional<String> info = Optional.empty();
        Optional<String> key = Optional.empty();
        List<Connection> connections = new ArrayList<>();
        List<Bandwidth> bandwidths = new ArrayList<>();
        List<Attribute> attributes = new ArrayList<>();
        List<Integer> attributeLines = new ArrayList<>();
        int rank = 0;
        while (next < lines.size() && peekType() != 'm') {
            char t = peekType();
            String value = lines.get(next).substring(2);
            next++;
            rank = advance(MEDIA_ORDER, rank, t, "media");
            switch (t) {
                case 'i' -> info = Optional.of(nonEmpty(value, t));
                case 'c' -> connections.add(at(() -> Connection.parse(value)));
                case 'b' -> bandwidths.add(at(() -> Bandwidth.parse(value)));
                case 'k' -> key = Optional.of(nonEmpty(value, t));
                case 'a' -> {
                    attributes.add(at(() -> Attribute.parse(value)));
                    attributeLines.add(next);
                }
                default -> throw new IllegalStateException();
            }
        }
        int midAt = mLine;
        for (int i = 0; i < attributes.size(); i++) {
            if (attributes.get(i) instanceof Mid) {
                midAt = attributeLines.get(i);
                break;
            }
        }
        midLines.add(midAt);
        Problem problem = problem(f[2], formats, attributes);
        if (problem != null) {
            int line = problem.attribute() < 0 ? mLine : attributeLines.get(problem.attribute());
            throw new SdpException(line, problem.reason(), problem.expected());
        }
        return new MediaDescription(
                f[0],
                (int) p,
                port.length == 2 ? OptionalInt.of((int) count) : OptionalInt.empty(),
                f[2],
                formats,
                info,
                connections,
                bandwidths,
                key,
                attributes);
    }

    /** A problem in a media section: which attribute (-1 for the m= line), why, what was expected. */
    record Problem(int attribute, SdpException.Reason reason, String expected) {}

    /** Cross-line rules of a media section, shared by the parser and the record constructor. */
    static Problem problem(String protocol, List<String> formats, List<Attribute> attributes) {
        boolean rtp = protocol.startsWith("RTP/");
        if (rtp) {
            for (String fmt : formats) {
                if (Syntax.number(fmt, 127) < 0) {
                    return new Problem(-1, BAD_MEDIA, "RTP payload type formats 0..127, got '" + fmt + "'");
                }
            }
        }
        Set<Integer> mapped = new HashSet<>();
        for (int i = 0; i < attributes.size(); i++) {
            if (attributes.get(i) instanceof RtpMap r) {
                if (!formats.contains(Integer.toString(r.payloadType()))) {
                    return new Problem(
                            i,
                            BAD_RTPMAP,
                            "a payload type listed on the m= line " + formats + ", got " + r.payloadType());
                }
                if (!mapped.add(r.payloadType())) {
                    return new Problem(i, BAD_RTPMAP, "one a=rtpmap per payload type, " + r.payloadType() + " twice");
                }
            }
        }
        int mids = 0;
        for (int i = 0; i < attributes.size(); i++) {
            if (attributes.get(i) instanceof Group) {
                return new Problem(i, BAD_GROUP, "a=group only at session level (RFC 5888), not in a media section");
            }
            if (attributes.get(i) instanceof Mid && ++mids > 1) {
                return new Problem(i, BAD_MID, "one a=mid per media section (RFC 5888)");
            }
        }
        Set<String> withFmtp = new HashSet<>();
        for (int i = 0; i < attributes.size(); i++) {
            if (attributes.get(i) instanceof Fmtp fm) {
                if (!formats.contains(fm.format())) {
                    return new Problem(
                            i, BAD_FMTP, "a format listed on the m= line " + formats + ", got '" + fm.format() + "'");
                }
                if (!withFmtp.add(fm.format())) {
                    return new Problem(i, BAD_FMTP, "one a=fmtp per format, '" + fm.format() + "' twice");
                }
                boolean raw = attributes.stream()
                        .anyMatch(a -> a instanceof RtpMap r
                                && Integer.toString(r.payloadType()).equals(fm.format())
                                && r.encoding().equalsIgnoreCase("raw"));
                if (raw) {
                    try {
                        RawVideoFormat.parse(fm.parameters());
                    } catch (SdpException e) {
                        return new Problem(i, BAD_FMTP, "ST 2110-20 raw video parameters: " + e.expected());
                    }
                }
            }
        }
        return null;
    }

    /**
     * A problem with the session's groups: the session attribute ({@code attribute}) or the media section whose
     * a=mid is at fault ({@code media}, -1 when it is the attribute).
     */
    record GroupProblem(int attribute, int media, SdpException.Reason reason, String expected) {}

    /**
     * RFC 5888 / RFC 7104 rules across sections: a=mid only in media sections and unique; each tag of an a=group
     * names a section; a section is in at most one DUP group; the sections of a DUP group carry one stream (same
     * media, protocol, formats, rtpmap and fmtp lines: only addresses, ports and path attributes may differ).
     */
    static GroupProblem groupProblem(List<Attribute> session, List<MediaDescription> media) {
        Map<String, Integer> byMid = new HashMap<>();
        for (int j = 0; j < media.size(); j++) {
            var mid = media.get(j).mid();
            if (mid.isPresent() && byMid.putIfAbsent(mid.get(), j) != null) {
                return new GroupProblem(
                        -1, j, BAD_MID, "each a=mid once per session (RFC 5888), '" + mid.get() + "' twice");
            }
        }
        Set<String> duplicated = new HashSet<>();
        for (int i = 0; i < session.size(); i++) {
            Attribute a = session.get(i);
            if (a instanceof Mid) {
                return new GroupProblem(
                        i, -1, BAD_MID, "a=mid only in a media section (RFC 5888), not at session level");
            }
            if (!(a instanceof Group g)) {
                continue;
            }
            for (String tag : g.tags()) {
                if (!byMid.containsKey(tag)) {
                    return new GroupProblem(
                            i,
                            -1,
                            BAD_GROUP,
                            "a=group:" + g.semantics() + " tag '" + tag + "' names no media section's a=mid "
                                    + byMid.keySet().stream().sorted().toList());
                }
            }
            if (!g.duplication()) {
                continue;
            }
            MediaDescription first = media.get(byMid.get(g.tags().getFirst()));
            for (String tag : g.tags()) {
                if (!duplicated.add(tag)) {
                    return new GroupProblem(
                            i, -1, BAD_GROUP, "a media section in one a=group:DUP only, '" + tag + "' is in two");
                }
                MediaDescription m = media.get(byMid.get(tag));
                String differs = differs(first, m);
                if (differs != null) {
                    return new GroupProblem(
                            i,
                            -1,
                            BAD_GROUP,
                            "a=group:DUP sections carrying one stream (RFC 7104): '" + tag + "' differs from '"
                                    + g.tags().getFirst() + "' in its " + differs);
                }
            }
        }
        return null;
    }

    private static String differs(MediaDescription a, MediaDescription b) {
        if (!a.media().equals(b.media())) {
            return "media type";
        }
        if (!a.protocol().equals(b.protocol()) || !a.formats().equals(b.formats())) {
            return "protocol or formats";
        }
        if (!Objects.equals(a.attributes(RtpMap.class), b.attributes(RtpMap.class))) {
            return "a=rtpmap";
        }
        if (!Objects.equals(a.attributes(Fmtp.class), b.attributes(Fmtp.class))) {
            return "a=fmtp";
        }
        return null;
    }

    static String checkMedia(String protocol, List<String> formats, List<Attribute> attributes) {
        Problem p = problem(protocol, formats, attributes);
        return p == null ? null : p.expected();
    }

    private int advance(String order, int rank, char t, String part) {
        int r = order.indexOf(t);
        if (r < 0 || r < rank || r == rank && REPEATABLE.indexOf(t) < 0) {
            String allowed = r < 0 ? "one of " + listTypes(order) : "the order " + listTypes(order);
            throw error(
                    UNEXPECTED_LINE,
                    "'" + t + "=' is not allowed here in the " + part + " part; expected " + allowed
                            + " (RFC 8866 section 5)");
        }
        return r;
    }

    private static String listTypes(String order) {
        StringBuilder b = new StringBuilder();
        for (char c : order.toCharArray()) {
            b.append(b.isEmpty() ? "" : " ").append(c).append('=');
        }
        return b.toString();
    }

    private char peekType() {
        String l = lines.get(next);
        if (l.length() < 2 || l.charAt(1) != '=' || l.charAt(0) < 'a' || l.charAt(0) > 'z') {
            throw new SdpException(
                    next + 1, BAD_LINE, "<type>=<value> with a lower-case letter type, got '" + abbreviate(l) + "'");
        }
        return l.charAt(0);
    }

    private String require(char type, String expected) {
        if (next >= lines.size()) {
            throw new SdpException(next + 1, MISSING_LINE, expected + ", the text ended");
        }
        char t = peekType();
        if (t != type) {
            throw new SdpException(next + 1, MISSING_LINE, expected + ", got '" + t + "='");
        }
        return lines.get(next++).substring(2);
    }

    private String nonEmpty(String value, char type) {
        if (!Syntax.isByteString(value)) {
            throw error(BAD_LINE, type + "=<text>, the value is empty");
        }
        return value;
    }

    /** Runs a field parser and puts the current line number on its error. */
    private <T> T at(Supplier<T> parse) {
        try {
            return parse.get();
        } catch (SdpException e) {
            throw e.atLine(next);
        }
    }

    private SdpException error(SdpException.Reason reason, String expected) {
        return new SdpException(next, reason, expected);
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
