package org.medsync.rtv.configurator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.medsync.dicom.worklist.WorklistItem;

/** The TransmitterConfig and ReceiverConfig bodies of docs/rtv-control.md, built from the OR setup and the chosen procedure. */
final class DeviceConfigs {

    private DeviceConfigs() {}

    /**
     * TransmitterConfig: video, destination, sopClassUid, staticMetadata. The static metadata is the worklist
     * item (patient, study, accession, procedure, performing physician; {@link WorklistItem#toDicomJson()}),
     * plus the transmitter's General Equipment attributes and a General Series of its own: Series Instance
     * UID (a 2.25 UUID UID, PS3.5 B.2), Series Number = transmitter index + 1, Series Description = its name.
     */
    static ObjectNode transmitter(TransmitterSetup tx, int index, WorklistItem item, String seriesUid)
            throws ConfigException {
        ObjectNode o = Input.JSON.createObjectNode();
        o.set("video", tx.video().toJson());
        o.set("destination", tx.destination().toJson());
        o.put("sopClassUid", tx.sopClassUid());
        o.set("staticMetadata", staticMetadata(tx, index, item, seriesUid));
        return o;
    }

    static ObjectNode staticMetadata(TransmitterSetup tx, int index, WorklistItem item, String seriesUid)
            throws ConfigException {
        JsonNode fromWorklist = Input.parse(item.toDicomJson(), "worklist item");
        Map<String, JsonNode> sorted = new TreeMap<>();
        fromWorklist.properties().forEach(e -> sorted.put(e.getKey(), e.getValue()));
        for (Map.Entry<String, String[]> e : tx.equipment().attributes().entrySet()) {
            sorted.put(e.getKey(), attribute(e.getValue()[0], e.getValue()[1]));
        }
        sorted.put("0008103E", attribute("LO", tx.name()));
        sorted.put("0020000E", attribute("UI", seriesUid));
        ObjectNode number = Input.JSON.createObjectNode().put("vr", "IS");
        number.putArray("Value").add(index + 1);
        sorted.put("00200011", number);
        ObjectNode o = Input.JSON.createObjectNode();
        sorted.forEach(o::set);
        return o;
    }

    /**
     * ReceiverConfig: one flow per shown transmitter with the SDP the configurator fetched from it (inline: a
     * transmitter's GET /SDP needs its token, which receivers do not hold), layout, overlay, latency.
     */
    static ObjectNode receiver(ReceiverSetup rx, List<String> sdps) {
        ObjectNode o = Input.JSON.createObjectNode();
        ArrayNode flows = o.putArray("flows");
        for (String sdp : sdps) {
            flows.addObject().put("sdp", sdp);
        }
        o.put("layout", rx.layout());
        o.set("overlay", rx.overlay().toJson());
        o.put("latencyMs", rx.latencyMs());
        return o;
    }

    /** The transmitters a receiver shows, or a message naming the bad index. */
    static List<TransmitterSetup> shown(ReceiverSetup rx, List<TransmitterSetup> all, String path)
            throws ConfigException {
        if (rx.transmitters() == null) {
            return all;
        }
        List<TransmitterSetup> out = new ArrayList<>();
        for (int i : rx.transmitters()) {
            if (i >= all.size()) {
                throw new ConfigException(
                        path + ".transmitters: no transmitter " + i + " (there are " + all.size() + ")");
            }
            out.add(all.get(i));
        }
        return out;
    }

    /** A UID from a random UUID: "2.25." + the UUID as an unsigned decimal integer (PS3.5 B.2). */
    static String uuidUid() {
        UUID u = UUID.randomUUID();
        ByteBuffer b =
                ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return "2.25." + new BigInteger(1, b.array());
    }

    static boolean sameDevice(URI a, URI b) {
        return a.toString().equalsIgnoreCase(b.toString());
    }

    private static ObjectNode attribute(String vr, String value) {
        ObjectNode a = Input.JSON.createObjectNode().put("vr", vr);
        a.putArray("Value").add(value);
        return a;
    }
}
