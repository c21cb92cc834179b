package org.medsync.gateway.h264;

import java.util.List;

/**
 * What the one encoder of a flow is told. Defaults keep latency and the 2-core demo machine in mind: x264
 * {@code ultrafast} keeps up with 720p50 on one core, one thread puts the whole encode on the flow's own thread (so
 * its CPU is measured exactly, and no frame threading adds a frame of delay), and a one-second GOP bounds how long a
 * new viewer waits for a picture when nobody asked for a keyframe.
 *
 * @param bitrateKbps target and cap (VBV) of the stream
 * @param gopSeconds  distance between keyframes
 * @param preset      x264 preset
 * @param threads     x264 threads (1: all on the caller's thread)
 */
public record EncoderSettings(int bitrateKbps, double gopSeconds, String preset, int threads) {
    public static final EncoderSettings DEFAULT = new EncoderSettings(2500, 1, "ultrafast", 1);

    public EncoderSettings {
        if (bitrateKbps < 100 || bitrateKbps > 50_000) {
            throw new IllegalArgumentException("bitrate must be 100..50000 kbit/s, was " + bitrateKbps);
        }
        if (!(gopSeconds > 0 && gopSeconds <= 10)) {
            throw new IllegalArgumentException("GOP must be (0, 10] seconds, was " + gopSeconds);
        }
        if (!List.of("ultrafast", "superfast", "veryfast", "faster", "fast", "medium")
                .contains(preset)) {
            throw new IllegalArgumentException(
                    "x264 preset '" + preset + "' unknown or too slow for live video (ultrafast..medium)");
        }
        if (threads < 1 || threads > 16) {
            throw new IllegalArgumentException("threads must be 1..16, was " + threads);
        }
    }
}
