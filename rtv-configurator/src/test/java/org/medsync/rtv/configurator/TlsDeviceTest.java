package org.medsync.rtv.configurator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

/** A device on HTTPS: the configurator trusts exactly the OR file's tlsTrust certificates and still sends the token. */
@Timeout(60)
class TlsDeviceTest {

    @TempDir
    Path dir;

    @Test
    void configuratorVerifiesTheDeviceCertificate_andSendsItsToken() throws Exception {
        Path p12 = dir.resolve("tx.p12");
        String keytool =
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(
                keytool,
                "-genkeypair",
                "-alias",
                "tx",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-validity",
                "2",
                "-dname",
                "CN=tx",
                "-ext",
                "SAN=ip:127.0.0.1",
                "-storetype",
                "PKCS12",
                "-keystore",
                p12.toString(),
                "-storepass",
                "tx-secret",
                "-keypass",
                "tx-secret");
        run(
                keytool,
                "-exportcert",
                "-rfc",
                "-alias",
                "tx",
                "-keystore",
                p12.toString(),
                "-storepass",
                "tx-secret",
                "-file",
                dir.resolve("or-devices.pem").toString());
        Path password = Files.writeString(dir.resolve("tx.password"), "tx-secret");
        Files.setPosixFilePermissions(p12, PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        ControlToken token = ControlToken.loadOrCreate(dir.resolve("tx.token")).token();
        try (Transmitter tx = new Transmitter(
                        "Endoscope", f -> new TestPatternSource("E", f), new SystemMediaClock(), "127.0.0.1", "lo");
                TransmitterControl ctl = new TransmitterControl(
                        tx,
                        new InetSocketAddress("127.0.0.1", 0),
                        new ControlAccess(token, List.of(), ControlTls.server(p12, password)))) {
            OrConfig or = OrConfig.parse("""
                    {"worklist": {"host": "127.0.0.1", "port": 104, "calledAe": "RIS"}, "tlsTrust": "or-devices.pem",
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

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + ": " + out);
    }
}
