package org.medsync.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onvoid.webrtc.RTCIceCandidate;

/**
 * ICE candidates as SIGNAL payloads: the JSON of the browser's RTCIceCandidateInit
 * ({@code {"candidate": "candidate:…", "sdpMid": "0", "sdpMLineIndex": 0}}, docs/readout-protocol.md).
 */
final class IceCandidates {
    private static final ObjectMapper JSON = new ObjectMapper();

    private IceCandidates() {}

    /** The candidate a browser sent; IllegalArgumentException when the payload is not one. */
    static RTCIceCandidate parse(String payload) {
        JsonNode n;
        try {
            n = JSON.readTree(payload);
        } catch (Exception e) {
            throw new IllegalArgumentException("ICE candidate is not JSON");
        }
        if (n == null || !n.isObject() || !n.path("candidate").isTextual()) {
            throw new IllegalArgumentException("ICE candidate without a candidate line");
        }
        String mid = n.path("sdpMid").isTextual() ? n.get("sdpMid").asText() : null;
        int index = n.path("sdpMLineIndex").isInt() ? n.get("sdpMLineIndex").asInt() : 0;
        if (mid == null && !n.path("sdpMLineIndex").isInt()) {
            throw new IllegalArgumentException("ICE candidate without sdpMid or sdpMLineIndex");
        }
        return new RTCIceCandidate(mid, index, n.get("candidate").asText());
    }

    static String format(RTCIceCandidate c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("candidate", c.sdp);
        n.put("sdpMid", c.sdpMid);
        n.put("sdpMLineIndex", c.sdpMLineIndex);
        return n.toString();
    }
}
