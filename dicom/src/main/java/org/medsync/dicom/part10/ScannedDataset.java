package org.medsync.dicom.part10;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.medsync.dicom.part10.DicomFormatException.Reason;

/**
 * The result of {@link Part10Scanner}: the bytes of a file (data set inflated if it was deflated), its
 * transfer syntax and the position of every top-level element and Pixel Data fragment. Values are read on
 * demand, only for the image pixel attributes; everything else goes through PixelMed.
 */
public final class ScannedDataset {

    public static final String TS_IMPLICIT_LE = "1.2.840.10008.1.2";
    public static final String TS_EXPLICIT_LE = "1.2.840.10008.1.2.1";
    public static final String TS_DEFLATED = "1.2.840.10008.1.2.1.99";
    public static final String TS_EXPLICIT_BE = "1.2.840.10008.1.2.2";
    public static final String TS_JPIP_DEFLATED = "1.2.840.10008.1.2.4.95";

    private final byte[] buf;
    private final boolean hasPreamble;
    private final int datasetOffset;
    private final String transferSyntaxUid;
    private final boolean explicitVr;
    private final boolean bigEndian;
    private final Map<Integer, Element> elements;
    private final List<Fragment> fragments;
    private final boolean encapsulatedSyntax;

    ScannedDataset(
            byte[] buf,
            boolean hasPreamble,
            int datasetOffset,
            String transferSyntaxUid,
            boolean explicitVr,
            boolean bigEndian,
            Map<Integer, Element> elements,
            List<Fragment> fragments,
            boolean encapsulatedSyntax) {
        this.buf = buf;
        this.hasPreamble = hasPreamble;
        this.datasetOffset = datasetOffset;
        this.transferSyntaxUid = transferSyntaxUid;
        this.explicitVr = explicitVr;
        this.bigEndian = bigEndian;
        this.elements = Map.copyOf(elements);
        this.fragments = List.copyOf(fragments);
        this.encapsulatedSyntax = encapsulatedSyntax;
    }

    public boolean hasPreamble() {
        return hasPreamble;
    }

    /** Where the data set starts in {@link #buffer()}, after the preamble and meta header (if any). */
    int datasetOffset() {
        return datasetOffset;
    }

    /**
     * True when the data set was deflated in the file (Deflated Explicit VR Little Endian, or JPIP Referenced
     * Deflate): the buffer then holds the inflated bytes, so its offsets are not offsets in the file.
     */
    public boolean inflated() {
        return transferSyntaxUid.equals(TS_DEFLATED) || transferSyntaxUid.equals(TS_JPIP_DEFLATED);
    }

    /** The transfer syntax of the data set (from the meta header, or guessed for raw data sets). */
    public String transferSyntaxUid() {
        return transferSyntaxUid;
    }

    public boolean explicitVr() {
        return explicitVr;
    }

    public boolean bigEndian() {
        return bigEndian;
    }

    public boolean has(int tag) {
        return elements.containsKey(tag);
    }

    public Element element(int tag) {
        return elements.get(tag);
    }

    /** Every top-level element, in no particular order. */
    Collection<Element> elements() {
        return elements.values();
    }

    /** Pixel Data element, or null. */
    public Element pixelData() {
        return elements.get(Part10Scanner.PIXEL_DATA);
    }

    /** True when Pixel Data is encoded in fragments (undefined length). */
    public boolean encapsulated() {
        Element px = pixelData();
        return px != null && px.length() == Part10Scanner.UNDEFINED;
    }

    /** True when the transfer syntax is not one of the four native ones (the pixel data should be encapsulated). */
    public boolean encapsulatedSyntax() {
        return encapsulatedSyntax;
    }

    /** All items of encapsulated Pixel Data; item 0 is the Basic Offset Table. Empty for native data. */
    public List<Fragment> fragments() {
        return fragments;
    }

    /** Copy of one fragment's bytes. */
    public byte[] value(Fragment f) {
        byte[] out = new byte[f.length()];
        System.arraycopy(buf, f.valueOffset(), out, 0, f.length());
        return out;
    }

    /** Copy of a value's bytes (null if absent or undefined length). */
    public byte[] bytes(int tag) {
        Element e = elements.get(tag);
        if (e == null || e.length() < 0) {
            return null;
        }
        byte[] out = new byte[e.length()];
        System.arraycopy(buf, e.valueOffset(), out, 0, e.length());
        return out;
    }

    /** The underlying buffer, read-only by convention: used to slice frames without an extra copy. */
    byte[] buffer() {
        return buf;
    }

    /** A string value with leading/trailing spaces and NULs removed; null if absent or empty. */
    public String string(int tag) {
        Element e = elements.get(tag);
        if (e == null || e.length() <= 0) {
            return null;
        }
        String s = Part10Scanner.trim(new String(buf, e.valueOffset(), e.length(), StandardCharsets.ISO_8859_1));
        return s.isEmpty() ? null : s;
    }

    /** Value {@code index} of a US/SS element read as unsigned, or {@code orElse}. */
    public int uint16(int tag, int index, int orElse) {
        Element e = elements.get(tag);
        if (e == null || e.length() < 2 * (index + 1)) {
            return orElse;
        }
        int p = e.valueOffset() + 2 * index;
        return e.bigEndian() ? (buf[p] & 0xFF) << 8 | (buf[p + 1] & 0xFF) : (buf[p] & 0xFF) | (buf[p + 1] & 0xFF) << 8;
    }

    public int uint16(int tag, int orElse) {
        return uint16(tag, 0, orElse);
    }

    /** A required US value; MISSING_ATTRIBUTE names the tag when absent. */
    public int requireUint16(int tag) throws DicomFormatException {
        int v = uint16(tag, -1);
        if (v < 0) {
            throw new DicomFormatException(
                    Reason.MISSING_ATTRIBUTE, Part10Scanner.describe(tag) + " is missing or empty");
        }
        return v;
    }

    /** Decimal string values (DS/IS), backslash separated; empty array if absent. Unparseable values are NaN. */
    public double[] decimals(int tag) {
        String s = string(tag);
        if (s == null) {
            return new double[0];
        }
        String[] parts = s.split("\\\\");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                out[i] = Double.NaN;
            }
        }
        return out;
    }

    /** First value of a DS/IS element or {@code orElse}. */
    public double decimal(int tag, double orElse) {
        double[] v = decimals(tag);
        return v.length == 0 || Double.isNaN(v[0]) ? orElse : v[0];
    }

    /** Number of Frames, 1 when absent or unparseable. */
    public int numberOfFrames() {
        double n = decimal(0x00280008, 1);
        return n >= 1 ? (int) n : 1;
    }

    /** 64-bit little endian values (Extended Offset Table), null if absent. */
    long[] uint64s(int tag) {
        Element e = elements.get(tag);
        if (e == null || e.length() <= 0) {
            return null;
        }
        long[] out = new long[e.length() / 8];
        for (int i = 0; i < out.length; i++) {
            long v = 0;
            for (int k = 7; k >= 0; k--) {
                v = v << 8 | (buf[e.valueOffset() + 8 * i + k] & 0xFF);
            }
            out[i] = v;
        }
        return out;
    }
}
