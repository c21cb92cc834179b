package org.medsync.dicom.part10;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.medsync.dicom.part10.DicomFormatException.Reason;

/**
 * A deflated file written back as Explicit VR Little Endian: the same data set (Deflated Explicit VR Little
 * Endian is only its deflated encoding, PS3.5 A.5; JPIP Referenced Deflate becomes JPIP Referenced), with the
 * meta header's Transfer Syntax UID and group length rewritten and every other meta element and the preamble
 * kept. Stored this way, its frames have offsets in the
 * file and serving one never inflates anything again.
 */
public final class InflatedFile {

    private static final int GROUP_LENGTH = 0x00020000;
    /** JPIP Referenced Deflate inflated is JPIP Referenced (PS3.5 A.6, A.7): explicit VR little endian too. */
    private static final String TS_JPIP = "1.2.840.10008.1.2.4.94";

    private InflatedFile() {}

    /** Writes {@code ds}, scanned from a deflated file, as an Explicit VR Little Endian Part 10 file. */
    public static void write(ScannedDataset ds, OutputStream out) throws DicomFormatException, IOException {
        if (!ds.inflated()) {
            throw new IllegalArgumentException("not a deflated data set: " + ds.transferSyntaxUid());
        }
        byte[] buf = ds.buffer();
        List<Element> meta = new ArrayList<>();
        for (Element e : ds.elements()) {
            if (e.tag() >>> 16 == 0x0002 && e.tag() != GROUP_LENGTH) {
                meta.add(e);
            }
        }
        meta.sort(Comparator.comparingInt(Element::tag));
        ByteArrayOutputStream group = new ByteArrayOutputStream();
        for (Element e : meta) {
            if (e.length() < 0) {
                throw new DicomFormatException(
                        Reason.UNSUPPORTED, "meta element " + Part10Scanner.hex(e.tag()) + " has an undefined length");
            }
            if (e.tag() == Part10Scanner.TRANSFER_SYNTAX) {
                String inflated = ds.transferSyntaxUid().equals(ScannedDataset.TS_JPIP_DEFLATED)
                        ? TS_JPIP
                        : ScannedDataset.TS_EXPLICIT_LE;
                byte[] uid = (inflated + (inflated.length() % 2 == 0 ? "" : "\0")).getBytes(StandardCharsets.US_ASCII);
                header(group, e.tag(), "UI", uid.length);
                group.write(uid);
            } else {
                header(group, e.tag(), e.vr(), e.length());
                group.write(buf, e.valueOffset(), e.length());
            }
        }
        if (ds.hasPreamble()) {
            out.write(buf, 0, 128);
        } else {
            out.write(new byte[128]);
        }
        out.write(new byte[] {'D', 'I', 'C', 'M'});
        ByteArrayOutputStream length = new ByteArrayOutputStream(12);
        header(length, GROUP_LENGTH, "UL", 4);
        int n = group.size();
        length.write(new byte[] {(byte) n, (byte) (n >>> 8), (byte) (n >>> 16), (byte) (n >>> 24)});
        length.writeTo(out);
        group.writeTo(out);
        out.write(buf, ds.datasetOffset(), buf.length - ds.datasetOffset());
    }

    private static void header(ByteArrayOutputStream out, int tag, String vr, int length) {
        int group = tag >>> 16;
        int element = tag & 0xFFFF;
        out.write(group);
        out.write(group >>> 8);
        out.write(element);
        out.write(element >>> 8);
        out.write(vr.charAt(0));
        out.write(vr.charAt(1));
        if (Part10Scanner.LONG_VRS.contains(vr)) {
            out.write(0);
            out.write(0);
            out.write(length);
            out.write(length >>> 8);
            out.write(length >>> 16);
            out.write(length >>> 24);
        } else {
            out.write(length);
            out.write(length >>> 8);
        }
    }
}
