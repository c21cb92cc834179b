package org.medsync.server.or;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The JSON bodies a viewer's browser sends (docs/or-gateway.md "Signaling"), checked field by field before anything
 * reaches Janus: unknown fields, wrong types, oversized or control-character-laden strings are refused with a precise
 * message ({@link OrException.Reason#BAD_REQUEST}). Only what is checked is passed on, rebuilt by us.
 */
final class ViewerMessages {
    static final int MAX_SDP = 64 * 1024;
    static final int MAX_CANDIDATES = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ViewerMessages() {}

    /** {"flow": name}, or an empty body: the flow to watch, null for the OR's first. */
    static String watch(String body) throws OrException {
        if (body == null || body.isBlank()) {
            return null;
        }
        ObjectNode o = object(body, Set.of("flow"));
        JsonNode f = o.get("flow");
        if (f == null || f.isNull()) {
            return null;
        }
        if (!f.isTextual() || !f.asText().matches("[a-z0-9-]{1,32}")) {
            throw bad("flow must be a flow name (1-32 of a-z, 0-9, '-')");
        }
        return f.asText();
    }

    /** {"sdp": "v=0..."}: the browser's answer. */
    static String answer(String body) throws OrException {
        return sdp(object(body, Set.of("sdp")).get("sdp"), "answer");
    }

    /** What a page asks to join an OR's talk-back with (docs/or-gateway.md "Talk-back"). */
    record TalkJoin(TalkBack.Side side, String offerSdp) {}

    /** {"side": "remote" | "station", "sdp": "v=0..."}: the page's offer, its ICE candidates in it. */
    static TalkJoin talkJoin(String body) throws OrException {
        ObjectNode o = object(body, Set.of("side", "sdp"));
        JsonNode side = o.get("side");
        if (side == null || !side.isTextual() || !side.asText().matches("remote|station")) {
            throw bad("side must be \"remote\" or \"station\"");
        }
        return new TalkJoin(
                side.asText().equals("station") ? TalkBack.Side.STATION : TalkBack.Side.REMOTE,
                sdp(o.get("sdp"), "offer"));
    }

    /** {"talking": true | false}: push-to-talk pressed or released (the station: its microphone on or off). */
    static boolean talking(String body) throws OrException {
        JsonNode t = object(body, Set.of("talking")).get("talking");
        if (t == null || !t.isBoolean()) {
            throw bad("talking must be true or false");
        }
        return t.asBoolean();
    }

    private static String sdp(JsonNode s, String what) throws OrException {
        if (s == null || !s.isTextual()) {
            throw bad("sdp must be the " + what + "'s SDP text");
        }
        String sdp = s.asText();
        if (!sdp.startsWith("v=0") || sdp.length() > MAX_SDP) {
            throw bad("sdp must start with v=0 and be at most " + MAX_SDP + " characters");
        }
        for (int i = 0; i < sdp.length(); i++) {
            char c = sdp.charAt(i);
            if (c < 0x20 && c != '\r' && c != '\n' && c != '\t') {
                throw bad("sdp holds a control character at " + i);
            }
        }
        return sdp;
    }

    /** The browser's ICE candidates: what to trickle. */
    record Candidates(List<ObjectNode> candidates, boolean completed) {}

    /** {"candidates": [{"candidate", "sdpMid", "sdpMLineIndex"}...], "completed": bool}. */
    static Candidates candidates(String body) throws OrException {
        ObjectNode o = object(body, Set.of("candidates", "completed"));
        JsonNode list = o.path("candidates");
        List<ObjectNode> out = new ArrayList<>();
        if (!list.isMissingNode()) {
            if (!list.isArray() || list.size() > MAX_CANDIDATES) {
                throw bad("candidates must be an array of at most " + MAX_CANDIDATES);
            }
            for (JsonNode c : list) {
                if (!(c instanceof ObjectNode co)) {
                    throw bad("each candidate must be an object");
                }
                unknownFields(co, Set.of("candidate", "sdpMid", "sdpMLineIndex", "usernameFragment"));
                JsonNode line = co.get("candidate");
                if (line == null
                        || !line.isTextual()
                        || line.asText().length() > 512
                        || !line.asText().matches("(candidate:)?[ -~]*")) {
                    throw bad("candidate must be an ICE candidate line (printable ASCII, at most 512 characters)");
                }
                ObjectNode clean = JSON.createObjectNode().put("candidate", line.asText());
                JsonNode mid = co.get("sdpMid");
                if (mid != null && !mid.isNull()) {
                    if (!mid.isTextual() || !mid.asText().matches("[A-Za-z0-9_-]{1,32}")) {
                        throw bad("sdpMid must be a media id (1-32 of A-Z, a-z, 0-9, '_', '-')");
                    }
                    clean.put("sdpMid", mid.asText());
                }
                JsonNode index = co.get("sdpMLineIndex");
                if (index != null && !index.isNull()) {
                    if (!index.isInt() || index.asInt() < 0 || index.asInt() > 15) {
                        throw bad("sdpMLineIndex must be 0..15");
                    }
                    clean.put("sdpMLineIndex", index.asInt());
                }
                out.add(clean);
            }
        }
        JsonNode completed = o.path("completed");
        if (!completed.isMissingNode() && !completed.isBoolean()) {
            throw bad("completed must be true or false");
        }
        return new Candidates(out, completed.asBoolean(false));
    }

    private static ObjectNode object(String body, Set<String> fields) throws OrException {
        if (body == null || body.length() > MAX_SDP + 4096) {
            throw bad("the body must be a JSON object of at most " + (MAX_SDP + 4096) + " characters");
        }
        JsonNode n;
        try {
            n = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw bad("the body is not JSON: " + e.getOriginalMessage());
        }
        if (!(n instanceof ObjectNode o)) {
            throw bad("the body must be a JSON object");
        }
        unknownFields(o, fields);
        return o;
    }

    private static void unknownFields(ObjectNode o, Set<String> fields) throws OrException {
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!fields.contains(f)) {
                throw bad("unknown field '" + (f.length() > 40 ? f.substring(0, 40) + "..." : f) + "'; fields are "
                        + fields);
            }
        }
    }

    private static OrException bad(String message) {
        return new OrException(OrException.Reason.BAD_REQUEST, message);
    }
}
