package org.medsync.conference.protocol;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The driver's full view state kept for late joiners (SNAPSHOT in, WELCOME out), as the driver encoded it.
 * WELCOME passes the driver's bytes on unchanged, so a late joiner decodes what the driver sent: re-encoding the
 * decoded {@link ViewUpdate} would turn every integer in a number field into a float64, and a float32 into a
 * float64. Only {@link Codec} makes one, from bytes it decoded or from a view it encoded, so the two always agree.
 */
public final class ViewSnapshot {
    private final ViewUpdate view;
    private final byte[] bytes;

    ViewSnapshot(ViewUpdate view, byte[] bytes) {
        this.view = view;
        this.bytes = bytes.clone();
    }

    /** The decoded state (a full VIEW: every mask bit, baseSeq equal to seq). */
    public ViewUpdate view() {
        return view;
    }

    /** The whole VIEW message as its driver encoded it. */
    public byte[] bytes() {
        return bytes.clone();
    }

    int length() {
        return bytes.length;
    }

    byte[] unsafeBytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ViewSnapshot s && Arrays.equals(bytes, s.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "ViewSnapshot[" + HexFormat.of().formatHex(bytes) + "]";
    }
}
