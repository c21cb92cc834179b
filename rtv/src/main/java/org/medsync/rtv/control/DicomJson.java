package org.medsync.rtv.control;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.medsync.rtv.metadata.DataElement;
import org.medsync.rtv.metadata.Dataset;
import org.medsync.rtv.metadata.ElementValue;
import org.medsync.rtv.metadata.Tags;
import org.medsync.rtv.metadata.Vr;

/**
 * DICOM JSON (PS3.18 F.2) objects to data sets: {@code {"00100010": {"vr": "PN", "Value":
 * [{"Alphabetic": "DOE^JANE"}]}}}. PN takes the Alphabetic group; binary VRs take InlineBinary
 * (base64); SQ values are objects. Anything else is refused with the tag and the reason.
 */
public final class DicomJson {

    private DicomJson() {}

    /** @throws IllegalArgumentException naming the tag and what is wrong */
    public static Dataset toDataset(Object json) {
        if (!(json instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("a DICOM JSON object is expected");
        }
        List<DataElement> out = new ArrayList<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String key = String.valueOf(e.getKey());
            int tag = Tags.parseHex(key);
            if (tag >>> 16 == 0x0002 || tag >>> 16 == 0xFFFE) {
                throw new IllegalArgumentException(key + ": group 0002 and item tags are not data set attributes");
            }
            out.add(element(tag, key, e.getValue()));
        }
        return Dataset.of(out);
    }

    private static DataElement element(int tag, String key, Object v) {
        if (!(v instanceof Map<?, ?> attr) || !(attr.get("vr") instanceof String vrName)) {
            throw new IllegalArgumentException(key + ": needs {\"vr\": \"..\", \"Value\": [...]}");
        }
        Vr vr;
        try {
            vr = Vr.valueOf(vrName);
        } catch (IllegalArgumentException x) {
            throw new IllegalArgumentException(key + ": VR '" + vrName + "' not supported");
        }
        Object value = attr.get("Value");
        List<?> values = value == null ? List.of() : value instanceof List<?> l ? l : null;
        if (values == null) {
            throw new IllegalArgumentException(key + ": Value must be an array");
        }
        try {
            if (vr.binary()) {
                Object inline = attr.get("InlineBinary");
                byte[] b = inline instanceof String s ? Base64.getDecoder().decode(s) : new byte[0];
                return new DataElement(tag, vr, new ElementValue.Bytes(ByteBuffer.wrap(b)));
            }
            if (vr == Vr.SQ) {
                List<Dataset> items = new ArrayList<>();
                for (Object item : values) {
                    items.add(toDataset(item));
                }
                return new DataElement(tag, vr, new ElementValue.Items(items));
            }
            if (vr == Vr.FD || vr == Vr.FL) {
                List<Double> d = new ArrayList<>();
                for (Object o : values) {
                    d.add(number(key, o).doubleValue());
                }
                return new DataElement(tag, vr, new ElementValue.Decimals(d));
            }
            if (vr.numberSize() > 0) {
                List<Long> d = new ArrayList<>();
                for (Object o : values) {
                    d.add(number(key, o).longValueExact());
                }
                return new DataElement(tag, vr, new ElementValue.Integers(d));
            }
            List<String> s = new ArrayList<>();
            for (Object o : values) {
                if (vr == Vr.PN && o instanceof Map<?, ?> pn) {
                    s.add(String.valueOf(pn.containsKey("Alphabetic") ? pn.get("Alphabetic") : ""));
                } else if (o instanceof String str) {
                    s.add(str);
                } else if (o instanceof BigDecimal n && (vr == Vr.IS || vr == Vr.DS)) {
                    s.add(n.toPlainString());
                } else {
                    throw new IllegalArgumentException(key + ": " + vr + " values must be strings");
                }
            }
            return new DataElement(tag, vr, new ElementValue.Strings(s));
        } catch (ArithmeticException x) {
            throw new IllegalArgumentException(key + ": " + vr + " needs integers");
        }
    }

    private static BigDecimal number(String key, Object o) {
        if (o instanceof BigDecimal n) {
            return n;
        }
        throw new IllegalArgumentException(key + ": numbers expected");
    }
}
