package org.medsync.relay;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onvoid.webrtc.RTCIceCandidate;
import java.util.regex.Pattern;

/**
 * ICE candidates as SIGNAL payloads: the JSON of the browser's RTCIceCandidateInit
 * ({@code {"candidate": "candidate:…", "sdpMid": "0", "sdpMLineIndex": 0}}, docs/readout-protocol.md). The one
 * parser of candidates from browsers, for the relay's native WebRTC and the audio SFU alike: the line goes to
 * native code, so it must be the RFC 8839 grammar, bounded, and printable ASCII, or it is refused here.
 */
public final class IceCandidates {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Strict: trailing bytes after the JSON object are refused too. */
    private static final ObjectReader READER =
            JSON.readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** A browser's line is under 250 characters, extensions included. */
    static final int MAX_LINE = 512;
    /**
     * RFC 8839 section 5.1: foundation, component, transport, priority, address (IPv4, IPv6 with its zone, or an mDNS name),
     * port, type, then attribute pairs (raddr, rport, generation, ufrag, network-id ...), each a token.
     */
    private static final Pattern LINE = Pattern.compile(
            "candidate:[A-Za-z0-9+/]{1,32} [0-9]{1,3} [A-Za-z0-9_-]{1,16} [0-9]{1,10} "
                    + "[A-Za-z0-9.:%_-]{1,253} [0-9]{1,5} typ [A-Za-z0-9_-]{1,16}( [\\x21-\\x7e]{1,128} [\\x21-\\x7e]{1,128})*");

    private static final Pattern MID = Pattern.compile("[\\x21-\\x7e]{1,32}");
    /** Far more media sections than any readout negotiates. */
    private static final int MAX_MLINE_INDEX = 1023;

    private IceCandidates() {}

    /**
     * A checked candidate. {@code line} is empty for the end of candidates; {@code sdpMid} or {@code sdpMLineIndex}
     * may be null, not both unless the line is empty.
     */
    public record Candidate(String line, String sdpMid, Integer sdpMLineIndex) {
        public boolean endOfCandidates() {
            return line.isEmpty();
        }

        RTCIceCandidate toNative() {
            return new RTCIceCandidate(sdpMid, sdpMLineIndex == null ? 0 : sdpMLineIndex, line);
        }

        public String toJson() {
            ObjectNode n = JSON.createObjectNode().put("candidate", line);
            if (sdpMid != null) {
                n.put("sdpMid", sdpMid);
            }
            if (sdpMLineIndex != null) {
                n.put("sdpMLineIndex", sdpMLineIndex);
            }
            return n.toString();
        }
    }

    /** The candidate a browser sent; IllegalArgumentException, with a reason, when the payload is not one. */
    public static Candidate parse(String payload) {
        JsonNode n;
        try {
            n = READER.readValue(payload);
        } catch (Exception e) {
            throw new IllegalArgumentException("candidate is not JSON");
        }
        if (n == null || !n.isObject() || !n.path("candidate").isTextual()) {
            throw new IllegalArgumentException(
                    "candidate must be a JSON object with a string 'candidate' (RTCIceCandidateInit)");
        }
        String line = n.get("candidate").asText();
        if (line.length() > MAX_LINE) {
            throw new IllegalArgumentException("candidate line longer than " + MAX_LINE + " characters");
        }
        if (!line.isEmpty() && !LINE.matcher(line).matches()) {
            throw new IllegalArgumentException(
                    "candidate line is not 'candidate:<foundation> <component> <transport> <priority> "
                            + "<address> <port> typ <type> [<name> <value>]...' (RFC 8839)");
        }
        String mid = null;
        if (n.hasNonNull("sdpMid")) {
            mid = n.get("sdpMid").isTextual() ? n.get("sdpMid").asText() : "";
            if (!MID.matcher(mid).matches()) {
                throw new IllegalArgumentException("candidate sdpMid must be 1 to 32 printable ASCII characters");
            }
        }
        Integer index = null;
        if (n.hasNonNull("sdpMLineIndex")) {
            JsonNode i = n.get("sdpMLineIndex");
            if (!i.isIntegralNumber() || !i.canConvertToInt() || i.asInt() < 0 || i.asInt() > MAX_MLINE_INDEX) {
                throw new IllegalArgumentException(
                        "candidate sdpMLineIndex must be a whole number from 0 to " + MAX_MLINE_INDEX);
            }
            index = i.asInt();
        }
        if (!line.isEmpty() && mid == null && index == null) {
            throw new IllegalArgumentException("candidate without sdpMid or sdpMLineIndex");
        }
        return new Candidate(line, mid, index);
    }

    static String format(RTCIceCandidate c) {
        return new Candidate(c.sdp, c.sdpMid, c.sdpMLineIndex).toJson();
    }
}
