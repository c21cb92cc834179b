package org.medsync.watermark.payload;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * What the mark carries: 72 bits, a pointer to the archive's signed record (never the record itself).
 *
 * <pre>
 *   bits  0- 3  version (1)
 *   bits  4- 7  kind: 0 the archive's own playback rendition, 1 a copy exported to a recipient
 *   bits  8-23  hospital tag: the first 16 bits of SHA-256("medsync-hospital:" + hospital id)
 *   bits 24-55  recording tag: the first 32 bits of SHA-256("medsync-recording:" + recording id)
 *   bits 56-71  recipient fingerprint: 0 for playback; for an export the first 16 bits of
 *               SHA-256("medsync-recipient:" + recording id + "\n" + export id + "\n" + recipient)
 * </pre>
 *
 * followed on the wire by a CRC-16 of these 9 bytes (88 bits, {@link #bits()}). Tags are hashes, not ids: a mark read
 * from a leaked copy names candidates that the archive confirms against its own rows, and no patient datum is in the
 * video.
 */
public record Payload(int kind, int hospitalTag, long recordingTag, int recipient) {
    public static final int VERSION = 1;
    public static final int KIND_PLAYBACK = 0;
    public static final int KIND_EXPORT = 1;
    /** Payload bits without the CRC. */
    public static final int DATA_BITS = 72;
    /** Payload bits with the CRC: what the channel code protects. */
    public static final int BITS = DATA_BITS + 16;

    public Payload {
        if (kind < 0 || kind > 15) {
            throw new IllegalArgumentException("kind must fit 4 bits, got " + kind);
        }
        if (hospitalTag < 0 || hospitalTag > 0xFFFF) {
            throw new IllegalArgumentException("hospital tag must fit 16 bits, got " + hospitalTag);
        }
        if (recordingTag < 0 || recordingTag > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("recording tag must fit 32 bits, got " + recordingTag);
        }
        if (recipient < 0 || recipient > 0xFFFF) {
            throw new IllegalArgumentException("recipient fingerprint must fit 16 bits, got " + recipient);
        }
    }

    /** The mark of the archive's own playback renditions of a recording. */
    public static Payload playback(String hospitalId, String recordingId) {
        return new Payload(KIND_PLAYBACK, hospitalTag(hospitalId), recordingTag(recordingId), 0);
    }

    /** The mark of one exported copy: the recipient fingerprint tells copies of the same recording apart. */
    public static Payload export(String hospitalId, String recordingId, String exportId, String recipient) {
        return new Payload(KIND_EXPORT, hospitalTag(hospitalId), recordingTag(recordingId), (int)
                prefix("medsync-recipient:" + recordingId + "\n" + exportId + "\n" + recipient, 16));
    }

    public static int hospitalTag(String hospitalId) {
        return (int) prefix("medsync-hospital:" + hospitalId, 16);
    }

    public static long recordingTag(String recordingId) {
        return prefix("medsync-recording:" + recordingId, 32);
    }

    /** True when this mark points at that recording of that hospital (tags match). */
    public boolean pointsAt(String hospitalId, String recordingId) {
        return hospitalTag == hospitalTag(hospitalId) && recordingTag == recordingTag(recordingId);
    }

    /** The 9 payload bytes, big-endian in the layout's order. */
    public byte[] bytes() {
        byte[] b = new byte[9];
        b[0] = (byte) ((VERSION << 4) | kind);
        b[1] = (byte) (hospitalTag >>> 8);
        b[2] = (byte) hospitalTag;
        b[3] = (byte) (recordingTag >>> 24);
        b[4] = (byte) (recordingTag >>> 16);
        b[5] = (byte) (recordingTag >>> 8);
        b[6] = (byte) recordingTag;
        b[7] = (byte) (recipient >>> 8);
        b[8] = (byte) recipient;
        return b;
    }

    /** The {@link #BITS} bits sent: payload bytes then CRC-16, most significant bit first, as 0/1. */
    public int[] bits() {
        byte[] data = bytes();
        int crc = Crc16.of(data);
        int[] bits = new int[BITS];
        for (int i = 0; i < DATA_BITS; i++) {
            bits[i] = (data[i / 8] >>> (7 - i % 8)) & 1;
        }
        for (int i = 0; i < 16; i++) {
            bits[DATA_BITS + i] = (crc >>> (15 - i)) & 1;
        }
        return bits;
    }

    /**
     * The payload in {@code bits} (as {@link #bits()} makes them), or null when the CRC fails or the version is not
     * ours: a decoder's guess that is not a mark.
     */
    public static Payload fromBits(int[] bits) {
        if (bits.length != BITS) {
            throw new IllegalArgumentException("a payload has " + BITS + " bits, got " + bits.length);
        }
        byte[] data = new byte[9];
        for (int i = 0; i < DATA_BITS; i++) {
            data[i / 8] |= (byte) ((bits[i] & 1) << (7 - i % 8));
        }
        int crc = 0;
        for (int i = 0; i < 16; i++) {
            crc = (crc << 1) | (bits[DATA_BITS + i] & 1);
        }
        if (crc != Crc16.of(data) || (data[0] & 0xFF) >>> 4 != VERSION) {
            return null;
        }
        return new Payload(
                data[0] & 0x0F,
                ((data[1] & 0xFF) << 8) | (data[2] & 0xFF),
                ((data[3] & 0xFFL) << 24) | ((data[4] & 0xFF) << 16) | ((data[5] & 0xFF) << 8) | (data[6] & 0xFF),
                ((data[7] & 0xFF) << 8) | (data[8] & 0xFF));
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "v%d %s hospital %04x recording %08x recipient %04x",
                VERSION,
                kind == KIND_PLAYBACK ? "playback" : kind == KIND_EXPORT ? "export" : "kind-" + kind,
                hospitalTag,
                recordingTag,
                recipient);
    }

    /** The payload as 18 hex digits (no CRC), for logs and audit entries. */
    public String hex() {
        return HexFormat.of().formatHex(bytes());
    }

    private static long prefix(String text, int bits) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 4; i++) {
                v = (v << 8) | (h[i] & 0xFF);
            }
            return v >>> (32 - bits);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
