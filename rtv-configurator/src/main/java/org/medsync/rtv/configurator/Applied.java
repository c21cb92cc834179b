package org.medsync.rtv.configurator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.medsync.dicom.worklist.WorklistItem;

/**
 * What the configurator pushed for one procedure: the worklist item and, per device, the exact body of
 * its PUT /config.
 */
public record Applied(
        int procedureIndex,
        WorklistItem procedure,
        List<Device<TransmitterSetup>> transmitters,
        List<Device<ReceiverSetup>> receivers) {

    /** One configured device and the configuration it accepted. */
    public record Device<S>(S setup, ObjectNode config) {}

    public Applied {
        transmitters = List.copyOf(transmitters);
        receivers = List.copyOf(receivers);
    }

    /** The HTTP answer of POST /procedures/{index}/apply. */
    public ObjectNode toJson() {
        ObjectNode o = Input.JSON.createObjectNode();
        o.put("procedureIndex", procedureIndex);
        o.set("procedure", WorklistJson.item(procedure, procedureIndex));
        ArrayNode tx = o.putArray("transmitters");
        for (Device<TransmitterSetup> d : transmitters) {
            ObjectNode t = tx.addObject()
                    .put("name", d.setup().name())
                    .put("control", d.setup().control().toString())
                    .put("sdpUrl", d.setup().sdpUrl().toString())
                    .put("state", "sending");
            t.set("config", d.config());
        }
        ArrayNode rx = o.putArray("receivers");
        for (Device<ReceiverSetup> d : receivers) {
            ObjectNode r = rx.addObject()
                    .put("name", d.setup().name())
                    .put("control", d.setup().control().toString());
            r.set("config", d.config());
        }
        return o;
    }
}
