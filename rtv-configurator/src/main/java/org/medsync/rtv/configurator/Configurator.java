package org.medsync.rtv.configurator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.medsync.dicom.worklist.WorklistClient;
import org.medsync.dicom.worklist.WorklistException;
import org.medsync.dicom.worklist.WorklistItem;
import org.medsync.dicom.worklist.WorklistQuery;
import org.medsync.rtv.control.ControlToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DICOM-RTV configurator of the operating room (the Rennes architecture): queries the hospital's
 * Modality Worklist, and for the chosen procedure configures every transmitter (video format, destinations,
 * SOP class, static metadata from the worklist item) and every receiver (flows by the transmitters' SDP
 * URLs, layout, overlay zone, latency), then starts the transmitters. Afterwards it relays dynamic metadata
 * (e.g. an ultrasound probe position) to a chosen transmitter.
 *
 * <p>Order of {@link #apply}: validate everything first (a bad request pushes nothing), PUT /config to each
 * transmitter, GET /SDP from each (a transmitter that cannot describe its flow is not worth a receiver),
 * PUT /config to each receiver with those SDPs inline (a receiver never holds a transmitter's token),
 * POST /start to each transmitter. Every request carries the device's bearer token from the OR file. A
 * device failure stops there and names the device and the step; devices before it keep the new
 * configuration (each device applies atomically).
 */
public final class Configurator {
    private static final Logger LOG = LoggerFactory.getLogger(Configurator.class);
    private static final Pattern TAG = Pattern.compile("[0-9A-F]{8}");
    private static final Pattern VR = Pattern.compile("[A-Z]{2}");

    private final OrConfig or;
    private final WorklistClient worklist;
    private final DeviceClient devices;
    private volatile List<WorklistItem> lastWorklist;
    private volatile Applied current;

    public Configurator(OrConfig or) {
        this.or = Objects.requireNonNull(or, "or");
        this.worklist = new WorklistClient(new WorklistClient.Options(or.worklistTimeout(), 1000));
        this.devices = new DeviceClient(or.deviceTimeout(), or.deviceTls());
    }

    public OrConfig orConfig() {
        return or;
    }

    /** Today's procedures for this OR (the modality and station AE of the OR configuration, if set). */
    public List<WorklistItem> worklist() throws WorklistException {
        return worklist(defaultQuery(LocalDate.now()));
    }

    public WorklistQuery defaultQuery(LocalDate day) {
        return WorklistQuery.on(day).withModality(or.modality()).withStationAeTitle(or.stationAe());
    }

    /** Queries the worklist; the answer is the list that procedure indices of {@link #apply} refer to. */
    public List<WorklistItem> worklist(WorklistQuery query) throws WorklistException {
        List<WorklistItem> items = worklist.find(or.worklist(), query);
        lastWorklist = items;
        return items;
    }

    /** {@link #apply(int, JsonNode)} with the devices of the OR configuration. */
    public Applied apply(int procedureIndex) throws ConfigException, WorklistException, DeviceException {
        return apply(procedureIndex, null);
    }

    /**
     * Configures the devices for procedure {@code procedureIndex} of the last worklist answer (queried now
     * if there is none). {@code request} may name the devices: {@code {"transmitters":[...],"receivers":[...]}}
     * (fields as in the OR configuration); absent lists come from the OR configuration.
     */
    public synchronized Applied apply(int procedureIndex, JsonNode request)
            throws ConfigException, WorklistException, DeviceException {
        JsonNode body = request == null ? Input.JSON.createObjectNode() : Input.object(request, "request body");
        Credentials txTokens = Credentials.of(or.transmitters(), TransmitterSetup::control, TransmitterSetup::token);
        Credentials rxTokens = Credentials.of(or.receivers(), ReceiverSetup::control, ReceiverSetup::token);
        List<TransmitterSetup> txs =
                Input.list(body, "transmitters", "", (n, p) -> TransmitterSetup.read(n, p, txTokens));
        List<ReceiverSetup> rxs = Input.list(body, "receivers", "", (n, p) -> ReceiverSetup.read(n, p, rxTokens));
        txs = txs == null ? or.transmitters() : txs;
        rxs = rxs == null ? or.receivers() : rxs;
        if (txs.isEmpty()) {
            throw new ConfigException("no transmitters: list them in the request or in the OR configuration");
        }
        List<List<TransmitterSetup>> shown = new ArrayList<>();
        for (int i = 0; i < rxs.size(); i++) {
            shown.add(DeviceConfigs.shown(rxs.get(i), txs, "receivers[" + i + "]"));
        }
        List<WorklistItem> items = lastWorklist;
        if (items == null) {
            items = worklist();
        }
        if (procedureIndex < 0 || procedureIndex >= items.size()) {
            throw new ConfigException(
                    ConfigException.Reason.NOT_FOUND,
                    "no procedure " + procedureIndex + ": the worklist has "
                            + items.size() + (items.isEmpty() ? "" : " (0.." + (items.size() - 1) + ")")
                            + "; GET /worklist for the current list");
        }
        WorklistItem item = items.get(procedureIndex);

        List<Applied.Device<TransmitterSetup>> txDone = new ArrayList<>();
        for (int i = 0; i < txs.size(); i++) {
            ObjectNode config = DeviceConfigs.transmitter(txs.get(i), i, item, DeviceConfigs.uuidUid());
            withPtp(config);
            txDone.add(new Applied.Device<>(txs.get(i), config));
        }

        for (var d : txDone) {
            devices.putConfig(d.setup().control(), d.setup().token(), d.config());
        }
        Map<TransmitterSetup, String> sdps = new IdentityHashMap<>();
        for (var d : txDone) {
            sdps.put(d.setup(), devices.sdp(d.setup().control(), d.setup().token()));
        }
        List<Applied.Device<ReceiverSetup>> rxDone = new ArrayList<>();
        for (int i = 0; i < rxs.size(); i++) {
            List<String> flows = shown.get(i).stream().map(sdps::get).toList();
            rxDone.add(new Applied.Device<>(rxs.get(i), withPtp(DeviceConfigs.receiver(rxs.get(i), flows))));
        }
        for (var d : rxDone) {
            devices.putConfig(d.setup().control(), d.setup().token(), d.config());
        }
        for (var d : txDone) {
            devices.post(d.setup().control(), d.setup().token(), "/start");
        }
        Applied applied = new Applied(procedureIndex, item, txDone, rxDone);
        current = applied;
        LOG.info(
                "procedure {} applied to {} transmitter(s) and {} receiver(s)",
                procedureIndex,
                txDone.size(),
                rxDone.size());
        return applied;
    }

    /** The last successful {@link #apply}, or null. */
    public Applied current() {
        return current;
    }

    /**
     * Relays dynamic metadata (a DICOM JSON object, e.g. a probe position) to transmitter
     * {@code transmitterIndex} of the last apply (of the OR configuration before any apply). The transmitter
     * sends it with every frame from its next alignment point until replaced.
     */
    public void relayDynamic(int transmitterIndex, JsonNode dicomJson) throws ConfigException, DeviceException {
        checkDicomJson(dicomJson, "dynamic metadata");
        Applied a = current;
        List<TransmitterSetup> txs = a == null
                ? or.transmitters()
                : a.transmitters().stream().map(Applied.Device::setup).toList();
        if (txs.isEmpty()) {
            throw new ConfigException(
                    ConfigException.Reason.CONFLICT, "no transmitters known yet: apply a procedure first");
        }
        if (transmitterIndex < 0 || transmitterIndex >= txs.size()) {
            throw new ConfigException(
                    ConfigException.Reason.NOT_FOUND,
                    "no transmitter " + transmitterIndex + ": there are " + txs.size() + " (0.." + (txs.size() - 1)
                            + ")");
        }
        devices.dynamic(
                txs.get(transmitterIndex).control(), txs.get(transmitterIndex).token(), dicomJson);
    }

    /** The OR's PTP domain and ptp4l socket, the same for every device (absent: free-running). */
    private ObjectNode withPtp(ObjectNode config) {
        if (or.ptp() != null) {
            config.set("ptp", or.ptp().toJson());
        }
        return config;
    }

    /** The device statuses (GET /status of each) of the last apply, errors inline. */
    public ObjectNode status() {
        ObjectNode o = Input.JSON.createObjectNode();
        Applied a = current;
        if (a == null) {
            o.putNull("applied");
            return o;
        }
        o.set("applied", a.toJson());
        var tx = o.putArray("transmitterStatus");
        for (var d : a.transmitters()) {
            tx.add(statusOf(d.setup().control(), d.setup().token()));
        }
        var rx = o.putArray("receiverStatus");
        for (var d : a.receivers()) {
            rx.add(statusOf(d.setup().control(), d.setup().token()));
        }
        return o;
    }

    private JsonNode statusOf(URI device, ControlToken token) {
        try {
            return devices.status(device, token);
        } catch (DeviceException e) {
            return Input.JSON
                    .createObjectNode()
                    .put("error", "device-" + e.reason().name().toLowerCase(Locale.ROOT))
                    .put("message", e.getMessage());
        }
    }

    /** A DICOM JSON object (PS3.18 F.2): keys of 8 upper-case hex digits, each value an object with a "vr". */
    static void checkDicomJson(JsonNode n, String what) throws ConfigException {
        checkDicomJson(n, what, true);
    }

    private static void checkDicomJson(JsonNode n, String what, boolean top) throws ConfigException {
        Input.object(n, what);
        if (top && n.isEmpty()) {
            throw new ConfigException(what + " is an empty object: give at least one attribute");
        }
        for (var e : n.properties()) {
            if (!TAG.matcher(e.getKey()).matches()) {
                throw new ConfigException(what + ": key \"" + e.getKey()
                        + "\" is not a tag of 8 upper-case hex digits (DICOM JSON, PS3.18 F.2)");
            }
            JsonNode v = e.getValue();
            if (!v.isObject()
                    || !v.path("vr").isTextual()
                    || !VR.matcher(v.path("vr").asText()).matches()) {
                throw new ConfigException(
                        what + ": attribute " + e.getKey() + " needs an object with a two-letter \"vr\"");
            }
            JsonNode values = v.get("Value");
            if (values != null && !values.isArray()) {
                throw new ConfigException(what + ": attribute " + e.getKey() + " has a \"Value\" that is not an array");
            }
            if ("SQ".equals(v.path("vr").asText()) && values != null) {
                for (JsonNode item : values) {
                    checkDicomJson(item, what + " " + e.getKey() + " item", false);
                }
            }
        }
    }
}
