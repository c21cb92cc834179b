package org.medsync.rtv.video;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.medsync.st2110.timing.FrameRate;
import org.medsync.st2110.video.VideoFormat;

/**
 * YUV4MPEG2 files of planar 4:2:2 (C422 8-bit, C422p10 10-bit little-endian 16-bit samples) to and
 * from packed pgroups.
 *
 * <pre>
 *  YUV4MPEG2 W1280 H720 F50:1 Ip A1:1 C422p10\n
 *  FRAME\n  Y plane (W x H) | Cb plane (W/2 x H) | Cr plane (W/2 x H)     per frame
 * </pre>
 */
public final class Y4m {

    /** What a Y4M header says. */
    public record Header(int width, int height, FrameRate rate, int depth, String colorspace) {

        /** Why this file cannot feed {@code f} unchanged, if it cannot. */
        public Optional<String> mismatch(VideoFormat f) {
            StringBuilder b = new StringBuilder();
            if (width != f.width() || height != f.height()) {
                b.append("size ")
                        .append(width)
                        .append('x')
                        .append(height)
                        .append(" is not the configured ")
                        .append(f.width())
                        .append('x')
                        .append(f.height())
                        .append("; ");
            }
            if (!rate.equals(f.rate())) {
                b.append("rate ")
                        .append(rate)
                        .append(" is not the configured ")
                        .append(f.rate())
                        .append("; ");
            }
            if (depth != f.depth()) {
                b.append("depth ")
                        .append(depth)
                        .append(" is not the configured ")
                        .append(f.depth())
                        .append("; ");
            }
            return b.isEmpty() ? Optional.empty() : Optional.of(b.substring(0, b.length() - 2));
        }

        public int frameBytes() {
            return width * height * 2 * (depth > 8 ? 2 : 1);
        }
    }

    private Y4m() {}

    /** Reads the header line. @throws IOException when it is not a 4:2:2 Y4M header we handle */
    public static Header readHeader(InputStream in) throws IOException {
        String line = line(in, 256);
        if (!line.startsWith("YUV4MPEG2")) {
            throw new IOException("not a YUV4MPEG2 file: '" + line + "'");
        }
        int w = 0;
        int h = 0;
        FrameRate r = null;
        String c = "420jpeg";
        for (String t : line.split(" ")) {
            if (t.isEmpty()) {
                continue;
            }
            try {
                switch (t.charAt(0)) {
                    case 'W' -> w = Integer.parseInt(t.substring(1));
                    case 'H' -> h = Integer.parseInt(t.substring(1));
                    case 'F' -> {
                        String[] nd = t.substring(1).split(":");
                        r = new FrameRate(Long.parseLong(nd[0]), Long.parseLong(nd[1]));
                    }
                    case 'C' -> c = t.substring(1);
                    default -> {}
                }
            } catch (RuntimeException e) {
                throw new IOException("bad Y4M header field '" + t + "'");
            }
        }
        if (w <= 0 || h <= 0 || r == null) {
            throw new IOException("Y4M header without W, H or F: '" + line + "'");
        }
        int depth = switch (c) {
            case "422" -> 8;
            case "422p10" -> 10;
            default -> throw new IOException("Y4M colorspace C" + c + " not supported; C422 or C422p10");
        };
        return new Header(w, h, r, depth, c);
    }

    /**
     * Reads one frame into {@code out} as pgroups of {@code f}. Returns false at end of file.
     * The header's size must equal the format's; a depth difference is converted.
     */
    public static boolean readFrame(InputStream in, Header h, byte[] scratch, ByteBuffer out, VideoFormat f)
            throws IOException {
        String tag;
        try {
            tag = line(in, 1024);
        } catch (EOFException e) {
            return false;
        }
        if (!tag.startsWith("FRAME")) {
            throw new IOException("expected FRAME, got '" + tag + "'");
        }
        int n = in.readNBytes(scratch, 0, h.frameBytes());
        if (n < h.frameBytes()) {
            return false;
        }
        int w = h.width();
        int cw = w / 2;
        int bps = h.depth() > 8 ? 2 : 1;
        int yPlane = w * h.height() * bps;
        int cPlane = cw * h.height() * bps;
        byte[] line = new byte[f.lineBytes()];
        for (int y = 0; y < h.height(); y++) {
            int o = 0;
            for (int x = 0; x < w; x += 2) {
                int y0 = sample(scratch, (y * w + x) * bps, h.depth());
                int y1 = sample(scratch, (y * w + x + 1) * bps, h.depth());
                int cb = sample(scratch, yPlane + (y * cw + x / 2) * bps, h.depth());
                int cr = sample(scratch, yPlane + cPlane + (y * cw + x / 2) * bps, h.depth());
                if (f.depth() == 10) {
                    long v = (long) cb << 30 | (long) y0 << 20 | (long) cr << 10 | y1;
                    line[o] = (byte) (v >>> 32);
                    line[o + 1] = (byte) (v >>> 24);
                    line[o + 2] = (byte) (v >>> 16);
                    line[o + 3] = (byte) (v >>> 8);
                    line[o + 4] = (byte) v;
                    o += 5;
                } else {
                    line[o] = (byte) (cb >> 2);
                    line[o + 1] = (byte) (y0 >> 2);
                    line[o + 2] = (byte) (cr >> 2);
                    line[o + 3] = (byte) (y1 >> 2);
                    o += 4;
                }
            }
            out.put(y * f.lineBytes(), line);
        }
        return true;
    }

    private static int sample(byte[] b, int at, int depth) {
        return depth > 8 ? (b[at] & 0xFF | (b[at + 1] & 0xFF) << 8) & 0x3FF : (b[at] & 0xFF) << 2;
    }

    private static String line(InputStream in, int max) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < max; i++) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException();
            }
            if (c == '\n') {
                return b.toString();
            }
            b.append((char) c);
        }
        throw new IOException("Y4M line longer than " + max + " bytes");
    }

    /** Writes 4:2:2 frames of one format to a Y4M file. */
    public static final class Writer implements AutoCloseable {
        private final OutputStream out;
        private final VideoFormat f;
        private final byte[] planes;

        public Writer(Path file, VideoFormat f) throws IOException {
            this.f = f;
            this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
            this.planes = new byte[f.width() * f.height() * 2 * (f.depth() > 8 ? 2 : 1)];
            out.write(header(f).getBytes(StandardCharsets.US_ASCII));
        }

        public static String header(VideoFormat f) {
            return "YUV4MPEG2 W" + f.width() + " H" + f.height() + " F"
                    + f.rate().numerator() + ":" + f.rate().denominator() + " Ip A1:1 C"
                    + (f.depth() > 8 ? "422p10 XYSCSS=422P10" : "422") + "\n";
        }

        public synchronized void write(ByteBuffer frame) throws IOException {
            planar(frame, f, planes);
            out.write("FRAME\n".getBytes(StandardCharsets.US_ASCII));
            out.write(planes);
        }

        @Override
        public synchronized void close() throws IOException {
            out.close();
        }
    }

    /** Packed pgroups to Y4M planes (Y, Cb, Cr). */
    public static void planar(ByteBuffer frame, VideoFormat f, byte[] planes) {
        int w = f.width();
        int cw = w / 2;
        int bps = f.depth() > 8 ? 2 : 1;
        int yPlane = w * f.height() * bps;
        int cPlane = cw * f.height() * bps;
        for (int y = 0; y < f.height(); y++) {
            for (int x = 0; x < w; x += 2) {
                int[] p = Raster.pgroup(frame, f, x, y);
                put(planes, (y * w + x) * bps, p[1], bps);
                put(planes, (y * w + x + 1) * bps, p[3], bps);
                put(planes, yPlane + (y * cw + x / 2) * bps, p[0], bps);
                put(planes, yPlane + cPlane + (y * cw + x / 2) * bps, p[2], bps);
            }
        }
    }

    private static void put(byte[] b, int at, int v10, int bps) {
        if (bps == 2) {
            b[at] = (byte) v10;
            b[at + 1] = (byte) (v10 >> 8);
        } else {
            b[at] = (byte) (v10 >> 2);
        }
    }

    /** Opens a Y4M file for reading: a buffered stream positioned after the header. */
    public static InputStream open(Path file) throws IOException {
        return new BufferedInputStream(Files.newInputStream(file), 1 << 20);
    }
}
