package org.medsync.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.AttributeTagAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.HexFormat;
import javax.json.Json;
import javax.json.JsonArrayBuilder;
import javax.json.JsonBuilderFactory;
import javax.json.JsonObject;
import javax.json.JsonObjectBuilder;

/**
 * DICOM JSON Model (PS3.18 F.2): one data set as a JSON object keyed by 8 upper-case hex digits.
 *
 * <pre>
 *   "00100010": {"vr":"PN","Value":[{"Alphabetic":"DOE^JANE"}]}     PN: objects (F.2.2)
 *   "00280010": {"vr":"US","Value":[512]}                          IS DS US SS UL SL FL FD SV UV: numbers
 *   "00081140": {"vr":"SQ","Value":[{...item...}]}                 SQ: nested objects
 *   "7FE00010": {"vr":"OW","BulkDataURI":"..."}                     bulk: URI (F.2.6)
 *   "00091010": {"vr":"OB","InlineBinary":"base64"}                 small binary: base64, little endian
 * </pre>
 *
 * Empty values have no "Value" key (F.2.5); group lengths are left out; of group 0002 only Transfer Syntax
 * UID is kept (Cornerstone's loader wants it); binary values over {@value #MAX_INLINE} bytes are left out.
 * PixelMed's own JSONRepresentationOfDicomObjectFactory is not used: its output was not audited against
 * PS3.18, and this writer controls bulk data (URI for Pixel Data, inline or omitted for the rest).
 */
final class MetadataJson {
    /** One factory: {@code Json.createObjectBuilder()} looks the provider up with a ServiceLoader on every call. */
    private static final JsonBuilderFactory BUILDERS = Json.createBuilderFactory(null);

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    static final int MAX_INLINE = 64 * 1024;

    private MetadataJson() {}

    static JsonObject toJson(AttributeList list, String transferSyntaxUid, String pixelDataVr, String bulkDataUri)
            throws DicomException {
        JsonObjectBuilder root = BUILDERS.createObjectBuilder();
        if (transferSyntaxUid != null) {
            root.add(
                    "00020010",
                    BUILDERS.createObjectBuilder()
                            .add("vr", "UI")
                            .add("Value", BUILDERS.createArrayBuilder().add(transferSyntaxUid)));
        }
        addAll(root, list, 0);
        if (pixelDataVr != null && bulkDataUri != null) {
            root.add(
                    "7FE00010",
                    BUILDERS.createObjectBuilder().add("vr", pixelDataVr).add("BulkDataURI", bulkDataUri));
        }
        return root.build();
    }

    private static void addAll(JsonObjectBuilder target, AttributeList list, int depth) throws DicomException {
        for (Attribute a : list.values()) {
            AttributeTag tag = a.getTag();
            if (tag.getElement() == 0
                    || tag.getGroup() == 0x0002
                    || tag.getGroup() == 0xFFFC
                    || (depth == 0 && tag.getGroup() == 0x7FE0 && tag.getElement() == 0x0010)) {
                continue;
            }
            JsonObject value = attribute(a, depth);
            if (value != null) {
                target.add(tagKey(tag.getGroup(), tag.getElement()), value);
            }
        }
    }

    private static String tagKey(int group, int element) {
        return HEX.toHexDigits((short) group) + HEX.toHexDigits((short) element);
    }

    private static JsonObject attribute(Attribute a, int depth) throws DicomException {
        String vr = a.getVRAsString();
        JsonObjectBuilder o = BUILDERS.createObjectBuilder().add("vr", vr);
        JsonArrayBuilder values = BUILDERS.createArrayBuilder();
        boolean any = false;
        switch (vr) {
            case "SQ" -> {
                SequenceAttribute sq = (SequenceAttribute) a;
                for (int i = 0; i < sq.getNumberOfItems(); i++) {
                    JsonObjectBuilder item = BUILDERS.createObjectBuilder();
                    addAll(item, sq.getItem(i).getAttributeList(), depth + 1);
                    values.add(item);
                    any = true;
                }
            }
            case "PN" -> {
                for (String s : strings(a)) {
                    values.add(personName(s));
                    any = true;
                }
            }
            case "IS", "DS" -> {
                for (String s : strings(a)) {
                    BigDecimal d = decimal(s);
                    if (d == null) {
                        values.addNull();
                    } else if (vr.equals("IS") && d.scale() <= 0) {
                        values.add(d.toBigIntegerExact());
                    } else {
                        values.add(d);
                    }
                    any = true;
                }
            }
            case "US", "SS", "UL", "SL", "SV", "UV" -> {
                long[] v = a.getLongValues();
                if (v != null) {
                    for (long x : v) {
                        values.add(x);
                        any = true;
                    }
                }
            }
            case "FL", "FD" -> {
                double[] v = a.getDoubleValues();
                if (v != null) {
                    for (double x : v) {
                        if (Double.isFinite(x)) {
                            values.add(vr.equals("FL") ? Double.parseDouble(Float.toString((float) x)) : x);
                        } else {
                            values.addNull();
                        }
                        any = true;
                    }
                }
            }
            case "AT" -> {
                for (AttributeTag t : ((AttributeTagAttribute) a).getAttributeTagValues()) {
                    values.add(tagKey(t.getGroup(), t.getElement()));
                    any = true;
                }
            }
            case "OB", "OW", "OF", "OD", "OL", "OV", "UN" -> {
                if (a.getVL() > MAX_INLINE) {
                    return null;
                }
                byte[] bytes = binary(a, vr);
                if (bytes != null && bytes.length > 0) {
                    o.add("InlineBinary", Base64.getEncoder().encodeToString(bytes));
                }
                return o.build();
            }
            default -> {
                for (String s : strings(a)) {
                    if (s == null || s.isEmpty()) {
                        values.addNull();
                    } else {
                        values.add(s);
                    }
                    any = true;
                }
            }
        }
        if (any) {
            o.add("Value", values);
        }
        return o.build();
    }

    private static String[] strings(Attribute a) throws DicomException {
        if (a.getVM() == 0) {
            return new String[0];
        }
        String[] v = a.getStringValues();
        return v == null ? new String[0] : v;
    }

    /** "Family^Given=Ideographic=Phonetic" to {"Alphabetic":..,"Ideographic":..,"Phonetic":..} (F.2.2). */
    private static JsonObject personName(String s) {
        JsonObjectBuilder pn = BUILDERS.createObjectBuilder();
        if (s == null) {
            return pn.build();
        }
        String[] groups = s.split("=", -1);
        String[] keys = {"Alphabetic", "Ideographic", "Phonetic"};
        for (int i = 0; i < Math.min(3, groups.length); i++) {
            String g = groups[i].strip();
            if (!g.isEmpty()) {
                pn.add(keys[i], g);
            }
        }
        return pn.build();
    }

    private static BigDecimal decimal(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            String t = s.strip();
            if (t.startsWith("+")) {
                t = t.substring(1);
            }
            return new BigDecimal(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static byte[] binary(Attribute a, String vr) throws DicomException {
        try {
            return switch (vr) {
                case "OW" -> {
                    short[] v = a.getShortValues();
                    ByteBuffer b = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
                    b.asShortBuffer().put(v);
                    yield b.array();
                }
                case "OF" -> {
                    float[] v = a.getFloatValues();
                    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                    b.asFloatBuffer().put(v);
                    yield b.array();
                }
                case "OD" -> {
                    double[] v = a.getDoubleValues();
                    ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
                    b.asDoubleBuffer().put(v);
                    yield b.array();
                }
                default -> a.getByteValues();
            };
        } catch (DicomException | RuntimeException e) {
            return null;
        }
    }
}
