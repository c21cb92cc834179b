package org.medsync.rtv.configurator;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Jazzer targets for what reaches the configurator over the OR network: the body of POST
 * /procedures/{i}/apply (the devices to configure, read field by field) and of POST /dynamic/{i} (DICOM JSON
 * relayed to a transmitter). Only ConfigException escapes, the 400 that names the field; anything else would
 * be a 500.
 */
class RequestBodyFuzzTest {
    private static final Credentials TX =
            Credentials.of(List.<TransmitterSetup>of(), TransmitterSetup::control, TransmitterSetup::token);
    private static final Credentials RX =
            Credentials.of(List.<ReceiverSetup>of(), ReceiverSetup::control, ReceiverSetup::token);

    @FuzzTest(maxDuration = "10s")
    void applyBody_isReadOrRefused(byte[] data) {
        try {
            JsonNode body =
                    Input.object(Input.parse(new String(data, StandardCharsets.UTF_8), "request body"), "request body");
            Input.list(body, "transmitters", "", (n, p) -> TransmitterSetup.read(n, p, TX));
            Input.list(body, "receivers", "", (n, p) -> ReceiverSetup.read(n, p, RX));
        } catch (ConfigException expected) {
            // a 400 naming the field
        }
    }

    @FuzzTest(maxDuration = "10s")
    void dynamicMetadata_isCheckedOrRefused(byte[] data) {
        try {
            Configurator.checkDicomJson(
                    Input.parse(new String(data, StandardCharsets.UTF_8), "request body"), "dynamic metadata");
        } catch (ConfigException expected) {
            // a 400 naming the attribute
        }
    }
}
