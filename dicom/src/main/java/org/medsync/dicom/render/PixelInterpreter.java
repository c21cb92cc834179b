package org.medsync.dicom.render;

import org.medsync.dicom.part10.DicomFormatException;
import org.medsync.dicom.part10.DicomFormatException.Reason;
import org.medsync.dicom.part10.PixelLayout;

/**
 * Native little endian pixel bytes of one frame to {@link DecodedFrame}: PS3.3 C.7.6.3 (Bits Stored, High
 * Bit, Pixel Representation), C.11.1 (Modality LUT as Rescale Slope/Intercept), C.7.6.3.1.2 (YBR), C.7.9
 * (palette colour).
 */
final class PixelInterpreter {

    /** Palette descriptors (entries, first mapped value, bits) and data for red, green, blue; null if absent. */
    record Palette(int[][] descriptors, int[][] data) {}

    private PixelInterpreter() {}

    static DecodedFrame interpret(PixelLayout l, byte[] px, double slope, double intercept, Palette palette)
            throws DicomFormatException {
        int n = l.rows() * l.columns();
        String pi = l.photometricInterpretation();
        if (l.monochrome()) {
            if (l.samplesPerPixel() != 1) {
                throw new DicomFormatException(Reason.UNSUPPORTED, pi + " with " + l.samplesPerPixel() + " samples");
            }
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = (float) (sample(l, px, i) * slope + intercept);
            }
            return new DecodedFrame(l.rows(), l.columns(), 1, pi, out);
        }
        float[] rgb = new float[n * 3];
        if (pi.equals("PALETTE COLOR")) {
            if (palette == null) {
                throw new DicomFormatException(Reason.MISSING_ATTRIBUTE, "PALETTE COLOR without palette lookup tables");
            }
            for (int i = 0; i < n; i++) {
                long index = sample(l, px, i);
                for (int c = 0; c < 3; c++) {
                    rgb[3 * i + c] = lookup(palette.descriptors()[c], palette.data()[c], index);
                }
            }
            return new DecodedFrame(l.rows(), l.columns(), 3, "RGB", rgb);
        }
        if (l.samplesPerPixel() != 3) {
            throw new DicomFormatException(
                    Reason.UNSUPPORTED,
                    "photometric interpretation " + pi + " with " + l.samplesPerPixel() + " samples is not supported");
        }
        int shift = Math.max(0, l.bitsStored() - 8);
        if (pi.endsWith("_422")) {
            // Y1 Y2 Cb Cr per pair of pixels (PS3.3 C.7.6.3.1.2).
            for (int i = 0; i < n; i += 2) {
                int base = i * 2;
                double cb = rawAt(l, px, base + 2) >> shift;
                double cr = rawAt(l, px, base + 3) >> shift;
                ybr(rgb, i, rawAt(l, px, base) >> shift, cb, cr);
                if (i + 1 < n) {
                    ybr(rgb, i + 1, rawAt(l, px, base + 1) >> shift, cb, cr);
                }
            }
            return new DecodedFrame(l.rows(), l.columns(), 3, "RGB", rgb);
        }
        boolean planar = l.planarConfiguration() == 1;
        boolean ycc = pi.startsWith("YBR");
        for (int i = 0; i < n; i++) {
            long a = rawAt(l, px, planar ? i : 3 * i) >> shift;
            long b = rawAt(l, px, planar ? n + i : 3 * i + 1) >> shift;
            long c = rawAt(l, px, planar ? 2 * n + i : 3 * i + 2) >> shift;
            if (ycc) {
                ybr(rgb, i, a, b, c);
            } else {
                rgb[3 * i] = a;
                rgb[3 * i + 1] = b;
                rgb[3 * i + 2] = c;
            }
        }
        return new DecodedFrame(l.rows(), l.columns(), 3, "RGB", rgb);
    }

    private static void ybr(float[] rgb, int i, double y, double cb, double cr) {
        rgb[3 * i] = clamp(y + 1.402 * (cr - 128));
        rgb[3 * i + 1] = clamp(y - 0.344136 * (cb - 128) - 0.714136 * (cr - 128));
        rgb[3 * i + 2] = clamp(y + 1.772 * (cb - 128));
    }

    private static float clamp(double v) {
        return (float) Math.max(0, Math.min(255, Math.round(v)));
    }

    /** Sample {@code i} with Bits Stored / High Bit / Pixel Representation applied. */
    static long sample(PixelLayout l, byte[] px, int i) {
        long raw = rawAt(l, px, i);
        int lowBit = l.highBit() - l.bitsStored() + 1;
        long v = (raw >>> Math.max(0, lowBit)) & ((1L << l.bitsStored()) - 1);
        if (l.pixelRepresentation() == 1 && (v & (1L << (l.bitsStored() - 1))) != 0) {
            v -= 1L << l.bitsStored();
        }
        return v;
    }

    /** The allocated cell {@code i}, little endian, unsigned. */
    private static long rawAt(PixelLayout l, byte[] px, int i) {
        return switch (l.bitsAllocated()) {
            case 1 -> (px[i >>> 3] >>> (i & 7)) & 1;
            case 8 -> px[i] & 0xFF;
            case 16 -> (px[2 * i] & 0xFF) | (px[2 * i + 1] & 0xFF) << 8;
            case 32 ->
                (px[4 * i] & 0xFFL)
                        | (px[4 * i + 1] & 0xFFL) << 8
                        | (px[4 * i + 2] & 0xFFL) << 16
                        | (px[4 * i + 3] & 0xFFL) << 24;
            default -> throw new IllegalArgumentException("BitsAllocated " + l.bitsAllocated());
        };
    }

    /** PS3.3 C.7.6.3.1.5: clamp below the first mapped value and above the last entry; 16-bit entries to 8. */
    private static float lookup(int[] descriptor, int[] data, long index) {
        int entries = descriptor[0] == 0 ? 65536 : descriptor[0];
        int first = descriptor[1];
        int bits = descriptor[2];
        long k = Math.max(0, Math.min(Math.min(entries, data.length) - 1, index - first));
        int v = data[(int) k];
        return bits > 8 ? (v >>> 8) & 0xFF : v & 0xFF;
    }
}
