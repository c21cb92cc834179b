package org.medsync.dicom.part10;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.medsync.dicom.part10.DicomFormatException.Reason;

/**
 * Frames as stored: a slice of native pixel data (made little endian) or the concatenated fragments of
 * one compressed frame (PS3.5 A.4, Basic Offset Table; PS3.5 A.4 Table A.4-1 for one fragment per frame).
 */
public final class Frames {

    private Frames() {}

    /** The transfer syntax that {@link #frame} bytes are in: big endian and deflate become explicit LE. */
    public static String frameTransferSyntax(ScannedDataset ds) {
        String ts = ds.transferSyntaxUid();
        if (ds.encapsulated()) {
            return ts;
        }
        return ts.equals(ScannedDataset.TS_IMPLICIT_LE) ? ts : ScannedDataset.TS_EXPLICIT_LE;
    }

    /** Checks that the pixel data is complete: native length, or fragments that map onto every frame. */
    public static void checkComplete(ScannedDataset ds) throws DicomFormatException {
        Element px = ds.pixelData();
        if (px == null) {
            return;
        }
        PixelLayout layout = PixelLayout.of(ds);
        if (ds.encapsulated()) {
            frameFragments(ds, layout.numberOfFrames());
            return;
        }
        if (ds.encapsulatedSyntax()) {
            throw new DicomFormatException(
                    Reason.UNREADABLE,
                    "transfer syntax " + ds.transferSyntaxUid()
                            + " is compressed but Pixel Data has a defined length (not encapsulated)");
        }
        long expected = layout.expectedNativeBytes();
        if (px.length() < expected) {
            throw new DicomFormatException(
                    Reason.TRUNCATED,
                    "Pixel Data has " + px.length() + " bytes but "
                            + layout.rows() + " rows x " + layout.columns() + " columns x " + layout.samplesPerPixel()
                            + " samples x " + layout.bitsAllocated() + " bits x " + layout.numberOfFrames()
                            + " frames need " + expected);
        }
    }

    /** Frame {@code frameNumber} (1-based) as stored; see {@link #frameTransferSyntax}. */
    public static byte[] frame(ScannedDataset ds, int frameNumber) throws DicomFormatException {
        Element px = ds.pixelData();
        if (px == null) {
            throw new DicomFormatException(Reason.MISSING_ATTRIBUTE, "the instance has no Pixel Data (7FE0,0010)");
        }
        PixelLayout layout = PixelLayout.of(ds);
        int frames = layout.numberOfFrames();
        if (frameNumber < 1 || frameNumber > frames) {
            throw new NoSuchFrameException(frameNumber, frames);
        }
        if (ds.encapsulated()) {
            List<Fragment> parts = frameFragments(ds, frames).get(frameNumber - 1);
            if (parts.size() == 1) {
                Fragment f = parts.getFirst();
                return Arrays.copyOfRange(ds.buffer(), f.valueOffset(), f.valueOffset() + f.length());
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (Fragment f : parts) {
                out.write(ds.buffer(), f.valueOffset(), f.length());
            }
            return out.toByteArray();
        }
        checkComplete(ds);
        return nativeFrame(ds, layout, px, frameNumber - 1);
    }

    private static byte[] nativeFrame(ScannedDataset ds, PixelLayout layout, Element px, int index) {
        long bits = layout.frameBits();
        long startBit = bits * index;
        byte[] b = ds.buffer();
        if (bits % 8 != 0 || startBit % 8 != 0) {
            // Bit-packed (Bits Allocated 1) frames not on a byte boundary: shift them out, LSB first (PS3.5 8.1.1).
            byte[] out = new byte[(int) ((bits + 7) / 8)];
            for (long i = 0; i < bits; i++) {
                long src = startBit + i;
                int bit = (b[px.valueOffset() + (int) (src >>> 3)] >>> (src & 7)) & 1;
                out[(int) (i >>> 3)] |= (byte) (bit << (i & 7));
            }
            return out;
        }
        int n = (int) (bits / 8);
        int from = px.valueOffset() + (int) (startBit / 8);
        byte[] out = Arrays.copyOfRange(b, from, from + n);
        if (px.bigEndian()) {
            int unit = layout.bitsAllocated() <= 8 ? ("OW".equals(px.vr()) ? 2 : 1) : layout.bitsAllocated() / 8;
            swap(out, unit);
        }
        return out;
    }

    static void swap(byte[] a, int unit) {
        if (unit <= 1) {
            return;
        }
        for (int i = 0; i + unit <= a.length; i += unit) {
            for (int l = i, r = i + unit - 1; l < r; l++, r--) {
                byte t = a[l];
                a[l] = a[r];
                a[r] = t;
            }
        }
    }

    /**
     * Maps fragments onto frames. In order of preference: Extended Offset Table, Basic Offset Table, one
     * fragment per frame, all fragments for a single frame, a new frame at each JPEG SOI / JPEG 2000 SOC.
     */
    static List<List<Fragment>> frameFragments(ScannedDataset ds, int frames) throws DicomFormatException {
        List<Fragment> all = ds.fragments();
        if (all.isEmpty()) {
            throw new DicomFormatException(Reason.UNREADABLE, "encapsulated Pixel Data has no Basic Offset Table item");
        }
        List<Fragment> items = all.subList(1, all.size());
        if (items.isEmpty()) {
            throw new DicomFormatException(Reason.TRUNCATED, "encapsulated Pixel Data has no fragments");
        }
        long[] offsets = ds.uint64s(0x7FE00001);
        if (offsets == null) {
            offsets = basicOffsets(ds, all.getFirst());
        }
        List<List<Fragment>> out = new ArrayList<>(frames);
        if (offsets != null && offsets.length > 0) {
            if (offsets.length != frames) {
                throw new DicomFormatException(
                        Reason.UNREADABLE, "offset table has " + offsets.length + " entries for " + frames + " frames");
            }
            for (int i = 0; i < frames; i++) {
                long from = offsets[i];
                long to = i + 1 < frames ? offsets[i + 1] : Long.MAX_VALUE;
                List<Fragment> frame = new ArrayList<>();
                for (Fragment f : items) {
                    if (f.itemOffset() >= from && f.itemOffset() < to) {
                        frame.add(f);
                    }
                }
                if (frame.isEmpty()) {
                    throw new DicomFormatException(
                            i == frames - 1 ? Reason.TRUNCATED : Reason.UNREADABLE,
                            "offset table points frame " + (i + 1) + " at no fragment");
                }
                out.add(frame);
            }
            return out;
        }
        if (items.size() == frames) {
            for (Fragment f : items) {
                out.add(List.of(f));
            }
            return out;
        }
        if (frames == 1) {
            out.add(items);
            return out;
        }
        List<Fragment> current = null;
        for (Fragment f : items) {
            if (current == null || startsCodestream(ds.buffer(), f)) {
                current = new ArrayList<>();
                out.add(current);
            }
            current.add(f);
        }
        if (out.size() != frames) {
            throw new DicomFormatException(
                    out.size() < frames ? Reason.TRUNCATED : Reason.UNSUPPORTED,
                    items.size() + " fragments without offset table cannot be mapped onto " + frames + " frames");
        }
        return out;
    }

    private static long[] basicOffsets(ScannedDataset ds, Fragment bot) {
        if (bot.length() < 4) {
            return null;
        }
        byte[] b = ds.buffer();
        long[] out = new long[bot.length() / 4];
        for (int i = 0; i < out.length; i++) {
            int p = bot.valueOffset() + 4 * i;
            out[i] = (b[p] & 0xFFL) | (b[p + 1] & 0xFFL) << 8 | (b[p + 2] & 0xFFL) << 16 | (b[p + 3] & 0xFFL) << 24;
        }
        return out;
    }

    private static boolean startsCodestream(byte[] b, Fragment f) {
        if (f.length() < 4) {
            return false;
        }
        int p = f.valueOffset();
        int m0 = b[p] & 0xFF;
        int m1 = b[p + 1] & 0xFF;
        int m2 = b[p + 2] & 0xFF;
        int m3 = b[p + 3] & 0xFF;
        boolean jpegSoi = m0 == 0xFF && m1 == 0xD8;
        boolean j2kSoc = m0 == 0xFF && m1 == 0x4F && m2 == 0xFF && m3 == 0x51;
        return jpegSoi || j2kSoc;
    }
}
