package org.medsync.rtv.configurator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.medsync.rtv.control.ControlToken;

/**
 * Where the configurator gets a device's bearer token: from the {@code tokenFile} the OR file names for it,
 * or, for a device named in a request body, from the OR file's device with the same control URL. A request
 * can neither name a token file (that would make the configurator read any file and send it to any URL)
 * nor reach a device the OR file does not list (that would send the worklist's patient data anywhere).
 */
@FunctionalInterface
interface Credentials {

    ControlToken of(JsonNode device, String path, URI control) throws ConfigException;

    /** Token files of the OR file, relative paths against {@code base} (the OR file's folder). */
    static Credentials tokenFiles(Path base) {
        return (device, path, control) -> {
            String file = Input.requiredText(device, "tokenFile", path);
            Path p = base.resolve(file);
            try {
                return ControlToken.load(p);
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigException(path + ".tokenFile: " + e.getMessage(), e);
            }
        };
    }

    /** The tokens of {@code known} devices (the OR file's), matched by control URL. */
    static <S> Credentials of(List<S> known, Function<S, URI> control, Function<S, ControlToken> token) {
        return (device, path, url) -> {
            if (Input.optional(device, "tokenFile") != null) {
                throw new ConfigException(
                        path + ".tokenFile is not accepted in a request: the configurator reads device"
                                + " credentials only from its OR file");
            }
            for (S s : known) {
                if (DeviceConfigs.sameDevice(control.apply(s), url)) {
                    return token.apply(s);
                }
            }
            throw new ConfigException(path + ".control " + url + " is not a device of the OR file: the configurator"
                    + " holds credentials, and sends patient data, only for those");
        };
    }
}
