package org.medsync.server.or;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.medsync.rtv.annotation.Stroke;

/**
 * What a remote expert's page sends over its viewing's socket (docs/or-gateway.md "Expert to OR"): a stroke, or a
 * clear. Checked field by field, anything else refused with a precise message ({@link OrException.Reason#BAD_REQUEST});
 * the stroke handed on is rebuilt by us, with the author set by the server (the user's role), never by the page.
 */
final class ExpertMessages {
    /** A stroke of 2000 points is about 40 kB of JSON. */
    static final int MAX_MESSAGE = 64 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern COLOR = Pattern.compile("#[0-9a-fA-F]{6}");

    static {
        JSON.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(8)
                        .maxNumberLength(40)
                        .build());
    }

    private ExpertMessages() {}

    sealed interface Message permits StrokeMessage, ClearMessage {}

    /** A stroke as the page drew it: everything but its author. */
    record StrokeMessage(String id, long rtpTimestamp, int rgb, double width, List<Stroke.Point> points)
            implements Message {
        Stroke by(String author) {
            return new Stroke(id, author, rtpTimestamp, rgb, width, points);
        }
    }

    /** Clear one stroke ({@code id}) or all of the flow's strokes ({@code id} null). */
    record ClearMessage(String id) implements Message {}

    static Message parse(String text) throws OrException {
        if (text == null || text.length() > MAX_MESSAGE) {
            throw bad("a message is a JSON object of at most " + MAX_MESSAGE + " characters");
        }
        JsonNode n;
        try {
            n = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw bad("not JSON: " + e.getOriginalMessage());
        }
        if (!(n instanceof ObjectNode o)) {
            throw bad("a message is a JSON object");
        }
        JsonNode type = o.get("type");
        if (type == null || !type.isTextual()) {
            throw bad("type must be annotation-stroke or annotation-clear");
        }
        return switch (type.asText()) {
            case "annotation-stroke" -> stroke(o);
            case "annotation-clear" -> clear(o);
            default -> throw bad("unknown type '" + clip(type.asText()) + "': annotation-stroke or annotation-clear");
        };
    }

    private static StrokeMessage stroke(ObjectNode o) throws OrException {
        unknownFields(o, Set.of("type", "id", "rtpTimestamp", "color", "width", "points"));
        String id = text(o, "id");
        JsonNode ts = o.get("rtpTimestamp");
        if (ts == null
                || !ts.isIntegralNumber()
                || !ts.canConvertToLong()
                || ts.asLong() < 0
                || ts.asLong() > 0xFFFF_FFFFL) {
            throw bad("rtpTimestamp must be an integer 0..4294967295 (the RTV RTP timestamp of the frame on screen)");
        }
        String color = text(o, "color");
        if (!COLOR.matcher(color).matches()) {
            throw bad("color must be #rrggbb");
        }
        JsonNode w = o.get("width");
        if (w == null || !w.isNumber() || !(w.asDouble() >= Stroke.MIN_WIDTH && w.asDouble() <= Stroke.MAX_WIDTH)) {
            throw bad(
                    "width must be a number " + Stroke.MIN_WIDTH + ".." + Stroke.MAX_WIDTH + " (of the frame height)");
        }
        JsonNode ps = o.get("points");
        if (ps == null || !ps.isArray() || ps.isEmpty() || ps.size() > Stroke.MAX_POINTS) {
            throw bad("points must be an array of 1 to " + Stroke.MAX_POINTS + " [x, y] pairs");
        }
        List<Stroke.Point> points = new ArrayList<>(ps.size());
        for (int i = 0; i < ps.size(); i++) {
            JsonNode p = ps.get(i);
            if (!p.isArray()
                    || p.size() != 2
                    || !p.get(0).isNumber()
                    || !p.get(1).isNumber()) {
                throw bad("points[" + i + "] must be [x, y], two numbers");
            }
            double x = p.get(0).asDouble();
            double y = p.get(1).asDouble();
            if (!(x >= 0 && x <= 1 && y >= 0 && y <= 1)) {
                throw bad("points[" + i + "] must lie in 0..1 (normalised to the video)");
            }
            points.add(new Stroke.Point(x, y));
        }
        try {
            return new StrokeMessage(id, ts.asLong(), Integer.parseInt(color.substring(1), 16), w.asDouble(), points);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
    }

    private static ClearMessage clear(ObjectNode o) throws OrException {
        unknownFields(o, Set.of("type", "id"));
        return new ClearMessage(o.has("id") ? text(o, "id") : null);
    }

    private static String text(ObjectNode o, String field) throws OrException {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual()) {
            throw bad(field + " must be text");
        }
        if (field.equals("id") && !v.asText().matches("[A-Za-z0-9_-]{1,64}")) {
            throw bad("id must be 1 to 64 of A-Z a-z 0-9 _ -");
        }
        return v.asText();
    }

    private static void unknownFields(ObjectNode o, Set<String> known) throws OrException {
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw bad("unknown field '" + clip(f) + "'");
            }
        }
    }

    private static String clip(String s) {
        String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 40 ? printable.substring(0, 40) + "..." : printable;
    }

    private static OrException bad(String message) {
        return new OrException(OrException.Reason.BAD_REQUEST, message);
    }
}
