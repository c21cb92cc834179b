package org.medsync.sdp;

import java.util.List;

/**
 * {@code t=<start> <stop>} with its {@code r=} repeat lines kept as text (RFC 8866 sections 5.9,
 * 5.10). Live flows use {@code t=0 0}.
 */
public record Timing(long start, long stop, List<String> repeats) {

    public static final Timing UNBOUNDED = new Timing(0, 0, List.of());

    public Timing {
        if (start < 0 || stop < 0) {
            throw new IllegalArgumentException("times are NTP seconds >= 0");
        }
        repeats = List.copyOf(repeats);
        repeats.forEach(r -> Syntax.requireByteString(r, "repeat"));
    }

    String text() {
        return start + " " + stop;
    }

    static Timing parse(String v) {
        String[] f = v.split(" ", -1);
        long start = f.length == 2 ? Syntax.number(f[0], Long.MAX_VALUE / 10) : -1;
        long stop = f.length == 2 ? Syntax.number(f[1], Long.MAX_VALUE / 10) : -1;
        if (start < 0 || stop < 0) {
            throw new SdpException(
                    0, SdpException.Reason.BAD_TIMING, "t=<start digits> <stop digits>, got 't=" + v + "'");
        }
        return new Timing(start, stop, List.of());
    }
}
