package org.medsync.server.or;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import org.medsync.rtv.metadata.DataElement;
import org.medsync.rtv.metadata.Dataset;
import org.medsync.rtv.metadata.ElementValue;
import org.medsync.rtv.metadata.Tags;
import org.medsync.rtv.metadata.Vr;

/**
 * An RTV metadata data set as DICOM JSON (PS3.18 F.2), the form the OR page receives and the study library's
 * de-identifier works on: keys are 8 upper-case hex digits; text VRs give strings (PN as {@code {"Alphabetic": ..}}),
 * numeric VRs numbers, OB/OW/UN {@code InlineBinary} (base64), SQ an array of item objects.
 */
final class DatasetJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private DatasetJson() {}

    static ObjectNode of(Dataset d) {
        ObjectNode out = NODES.objectNode();
        for (DataElement e : d.elements().values()) {
            out.set(Tags.hex(e.tag()), attribute(e));
        }
        return out;
    }

    private static ObjectNode attribute(DataElement e) {
        ObjectNode a = NODES.objectNode();
        a.put("vr", e.vr().name());
        switch (e.value()) {
            case ElementValue.Strings s -> {
                if (!s.values().isEmpty()
                        && !(s.values().size() == 1 && s.values().getFirst().isEmpty())) {
                    ArrayNode v = a.putArray("Value");
                    for (String x : s.values()) {
                        if (e.vr() == Vr.PN) {
                            v.addObject().put("Alphabetic", x);
                        } else {
                            v.add(x);
                        }
                    }
                }
            }
            case ElementValue.Bytes b ->
                a.put("InlineBinary", Base64.getEncoder().encodeToString(b.toByteArray()));
            case ElementValue.Decimals ds -> {
                ArrayNode v = a.putArray("Value");
                ds.values().forEach(v::add);
            }
            case ElementValue.Integers is -> {
                ArrayNode v = a.putArray("Value");
                is.values().forEach(v::add);
            }
            case ElementValue.Items items -> {
                ArrayNode v = a.putArray("Value");
                items.items().forEach(i -> v.add(of(i)));
            }
        }
        return a;
    }
}
