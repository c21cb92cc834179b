package org.medsync.rtv.metadata;

import java.nio.ByteBuffer;

/**
 * A PTP time: 48-bit seconds and 32-bit nanoseconds since 1970-01-01T00:00:00 TAI. Its 10-byte
 * big-endian form is both the value of Frame Origin Timestamp (0034,0007) OB and the NMOS
 * sync/origin timestamp header extensions.
 *
 * <pre>
 * | seconds (48 bits, big endian)                 | nanoseconds (32 bits)     |
 * </pre>
 */
public record TaiTimestamp(long seconds, long nanos) {

    public static final int SIZE = 10;

    public TaiTimestamp {
        if (seconds < 0 || seconds >= 1L << 48) {
            throw new IllegalArgumentException("seconds must be 48 bits, was " + seconds);
        }
        if (nanos < 0 || nanos > 999_999_999L) {
            throw new IllegalArgumentException("nanoseconds must be 0..999999999, was " + nanos);
        }
    }

    public static TaiTimestamp ofNanos(long taiNanos) {
        return new TaiTimestamp(Math.floorDiv(taiNanos, 1_000_000_000L), Math.floorMod(taiNanos, 1_000_000_000L));
    }

    public long toNanos() {
        return Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), nanos);
    }

    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        b.putShort((short) (seconds >>> 32)).putInt((int) seconds).putInt((int) nanos);
        return b.array();
    }

    /**
     * @throws IllegalArgumentException when not exactly 10 bytes or nanoseconds above 999999999
     */
    public static TaiTimestamp fromBytes(byte[] b) {
        if (b.length != SIZE) {
            throw new IllegalArgumentException("a PTP timestamp is 10 bytes, was " + b.length);
        }
        ByteBuffer in = ByteBuffer.wrap(b);
        long s = (long) (in.getShort() & 0xFFFF) << 32 | in.getInt() & 0xFFFF_FFFFL;
        return new TaiTimestamp(s, in.getInt() & 0xFFFF_FFFFL);
    }
}
