package org.medsync.rtv.configurator;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.List;
import java.util.Set;
import org.medsync.rtv.control.ControlToken;

/**
 * One receiver of the OR: its control URL and bearer token, which transmitters it shows (indices into the
 * transmitter list; null = all), the layout, the overlay and the latency budget.
 */
public record ReceiverSetup(
        String name,
        URI control,
        ControlToken token,
        List<Integer> transmitters,
        String layout,
        Overlay overlay,
        int latencyMs) {

    static final Set<String> LAYOUTS = Set.of("single", "side-by-side", "picture-in-picture", "stacked");

    public ReceiverSetup {
        transmitters = transmitters == null ? null : List.copyOf(transmitters);
    }

    static ReceiverSetup read(JsonNode n, String path, Credentials credentials) throws ConfigException {
        Input.object(n, path);
        URI control = Input.controlUri(n, "control", path);
        ControlToken token = credentials.of(n, path, control);
        List<Integer> tx = Input.list(n, "transmitters", path, (e, p) -> {
            if (e == null || !e.isIntegralNumber() || e.asInt() < 0) {
                throw new ConfigException(p + " must be the index of a transmitter (0, 1, ...), not " + e);
            }
            return e.asInt();
        });
        String layout = Input.text(n, "layout", path, "side-by-side");
        if (!LAYOUTS.contains(layout)) {
            throw new ConfigException(path + ".layout must be one of " + LAYOUTS + ", not \"" + layout + "\"");
        }
        return new ReceiverSetup(
                Input.text(n, "name", path, control.getAuthority()),
                control,
                token,
                tx,
                layout,
                Overlay.read(Input.optional(n, "overlay"), path + ".overlay", Overlay.DEFAULT),
                Input.integer(n, "latencyMs", path, 40, 0, 10_000));
    }
}
