package org.medsync.rtv.configurator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.medsync.rtv.control.ControlAccess;
import org.medsync.rtv.control.ControlTls;
import org.medsync.rtv.control.ControlToken;
import org.medsync.rtv.control.TransmitterControl;
import org.medsync.rtv.transmitter.TestPatternSource;
import org.medsync.rtv.transmitter.Transmitter;
import org.medsync.st2110.timing.SystemMediaClock;
import org.medsync.testsupport.tls.SelfSignedKeystore;

/** A device on HTTPS: the configurator trusts exactly the OR file's tlsTrust certificates and still sends the token. */
@Timeout(60)
class TlsDeviceTest {

    @TempDir
    Path dir;

    @Test
    void configuratorVerifiesTheDeviceCertificate_andSendsItsToken() throws Exception {
        SelfSignedKeystore ks = SelfSignedKeystore.create(dir, "tx", "tx-secret", "ip:127.0.0.1");
        ControlToken token = ControlToken.loadOrCreate(dir.resolve("tx.token")).token();
        try (Transmitter tx = new Transmitter(
                        "Endoscope", f -> new TestPatternSource("E", f), new SystemMediaClock(), "127.0.0.1", "lo");
                TransmitterControl ctl = new TransmitterControl(
                        tx,
                        new InetSocketAddress("127.0.0.1", 0),
                        new ControlAccess(token, List.of(), ControlTls.server(ks.p12(), ks.password())))) {
            OrConfig or = OrConfig.parse("""
                    {"worklist": {"host": "127.0.0.1", "port": 104, "calledAe": "RIS"}, "tlsTrust": "tx.pem",
                     "transmitters": [{"control": "https://127.0.0.1:%d", "tokenFile": "tx.token",
                       "destination": {"video": {"address": "239.1.1.1", "port": 5004},
                                       "metadata": {"address": "239.1.1.2", "port": 5006}}}]}
                    """.formatted(ctl.port()), "tls OR", dir);
            URI device = or.transmitters().getFirst().control();
            assertEquals(
                    "idle",
                    new DeviceClient(Duration.ofSeconds(5), or.deviceTls())
                            .status(device, token)
                            .get("state")
                            .asText());
            DeviceException untrusted = assertThrows(
                    DeviceException.class, () -> new DeviceClient(Duration.ofSeconds(5), null).status(device, token));
            assertEquals(DeviceException.Reason.FAILED, untrusted.reason(), untrusted.getMessage());
        }
    }
}
