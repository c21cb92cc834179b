package org.medsync.dicom.part10;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;

/** Hand-made Part 10 bytes for tests of malformed and hostile files (explicit VR little endian). */
public final class Part10Bytes {

    private Part10Bytes() {}

    public static byte[] preamble() {
        byte[] p = new byte[132];
        p[128] = 'D';
        p[129] = 'I';
        p[130] = 'C';
        p[131] = 'M';
        return p;
    }

    /** A Part 10 file with only a Transfer Syntax UID in its meta header; a deflated data set is given deflated. */
    public static byte[] part10(String ts, byte[] dataset) {
        byte[] uid = (ts.length() % 2 == 0 ? ts : ts + "\0").getBytes(StandardCharsets.US_ASCII);
        return concat(preamble(), header(0x00020010, "UI", uid.length), uid, dataset);
    }

    public static byte[] header(int tag, String vr, int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) (tag >>> 16), (byte) (tag >>> 24), (byte) tag, (byte) (tag >>> 8)});
        out.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
        if (Part10Scanner.LONG_VRS.contains(vr)) {
            out.writeBytes(new byte[2]);
            out.writeBytes(le32(length));
        } else {
            out.writeBytes(new byte[] {(byte) length, (byte) (length >>> 8)});
        }
        return out.toByteArray();
    }

    public static byte[] undefinedHeader(int tag, String vr) {
        return header(tag, vr, -1);
    }

    public static byte[] us(int tag, int value) {
        return concat(header(tag, "US", 2), new byte[] {(byte) value, (byte) (value >>> 8)});
    }

    public static byte[] item(int length) {
        return concat(new byte[] {(byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0}, le32(length));
    }

    public static byte[] seqDelimiter() {
        return new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) 0xDD, (byte) 0xE0, 0, 0, 0, 0};
    }

    public static byte[] le32(int v) {
        return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }

    public static byte[] deflate(byte[] raw) {
        Deflater d = new Deflater(9, true);
        d.setInput(raw);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[64 * 1024];
        while (!d.finished()) {
            out.write(chunk, 0, d.deflate(chunk));
        }
        d.end();
        return out.toByteArray();
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
