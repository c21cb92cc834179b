package org.medsync.rtv.receiver;

import java.util.List;
import java.util.Objects;

/**
 * docs/rtv-control.md ReceiverConfig with the flows' SDP already fetched and parsed. Validated on
 * construction: zone 1..9, latency 0..2000 ms, layout side-by-side, 1..4 flows of one frame rate
 * and depth.
 *
 * @param overlayAttributes tags (group << 16 | element) drawn as "keyword: value" lines
 * @param overlayEnabled false: the composed output is the flows' pictures only, no metadata box
 */
public record ReceiverConfig(
        List<FlowDescription> flows,
        String layout,
        int overlayZone,
        List<Integer> overlayAttributes,
        int latencyMs,
        boolean overlayEnabled) {

    /** With the overlay on. */
    public ReceiverConfig(
            List<FlowDescription> flows,
            String layout,
            int overlayZone,
            List<Integer> overlayAttributes,
            int latencyMs) {
        this(flows, layout, overlayZone, overlayAttributes, latencyMs, true);
    }

    public static final String SIDE_BY_SIDE = "side-by-side";
    public static final int MAX_FLOWS = 4;

    public ReceiverConfig {
        flows = List.copyOf(flows);
        overlayAttributes = List.copyOf(overlayAttributes);
        Objects.requireNonNull(layout, "layout");
        if (flows.isEmpty() || flows.size() > MAX_FLOWS) {
            throw new IllegalArgumentException("1 to " + MAX_FLOWS + " flows, was " + flows.size());
        }
        if (!layout.equals(SIDE_BY_SIDE)) {
            throw new IllegalArgumentException("layout '" + layout + "' unknown; only " + SIDE_BY_SIDE);
        }
        if (overlayZone < 1 || overlayZone > 9) {
            throw new IllegalArgumentException(
                    "overlay zone " + overlayZone + " unknown; zones are 1..9 (3x3, row by row)");
        }
        if (latencyMs < 0 || latencyMs > 2000) {
            throw new IllegalArgumentException("latencyMs must be 0..2000, was " + latencyMs);
        }
        FlowDescription first = flows.getFirst();
        for (FlowDescription f : flows) {
            if (!f.format().rate().equals(first.format().rate())
                    || f.format().depth() != first.format().depth()) {
                throw new IllegalArgumentException("flows differ in frame rate or depth (" + f.format() + " vs "
                        + first.format() + "): composition by RTP timestamp needs one rate and depth");
            }
        }
        long ports = flows.stream()
                .map(f -> f.videoAddress() + ":" + f.videoPort())
                .distinct()
                .count();
        if (ports != flows.size()) {
            throw new IllegalArgumentException("two flows on the same video address and port");
        }
    }
}
