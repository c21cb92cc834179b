package org.medsync.rtv.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.medsync.rtv.transmitter.TestPatternSource;
import org.medsync.rtv.transmitter.Transmitter;
import org.medsync.st2110.timing.SystemMediaClock;

/** The control API over HTTPS: a client that trusts the device's certificate gets in with the token; others do not. */
@Timeout(60)
class ControlTlsTest {

    @TempDir
    static Path dir;

    private static Path[] ks;

    @BeforeAll
    static void makeKeystore() throws Exception {
        ks = keystore(dir);
    }

    /** A PKCS#12 keystore for 127.0.0.1 made by the JDK's keytool, its password file, and its certificate as PEM. */
    static Path[] keystore(Path dir) throws Exception {
        Path p12 = dir.resolve("device.p12");
        Path password = dir.resolve("device.password");
        Path pem = dir.resolve("device.pem");
        String keytool =
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(
                keytool,
                "-genkeypair",
                "-alias",
                "device",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-validity",
                "2",
                "-dname",
                "CN=device",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-storetype",
                "PKCS12",
                "-keystore",
                p12.toString(),
                "-storepass",
                "device-secret",
                "-keypass",
                "device-secret");
        run(
                keytool,
                "-exportcert",
                "-rfc",
                "-alias",
                "device",
                "-keystore",
                p12.toString(),
                "-storepass",
                "device-secret",
                "-file",
                pem.toString());
        Files.writeString(password, "device-secret\n");
        for (Path f : List.of(p12, password)) {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        }
        return new Path[] {p12, password, pem};
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + ": " + out);
    }

    @Test
    void controlApiOverTlsVerifiesTheDeviceCertificate() throws Exception {
        ControlToken token = ControlToken.random();
        try (Transmitter tx = new Transmitter(
                        "Endoscope", f -> new TestPatternSource("E", f), new SystemMediaClock(), "127.0.0.1", "lo");
                TransmitterControl ctl = new TransmitterControl(
                        tx,
                        new InetSocketAddress("127.0.0.1", 0),
                        new ControlAccess(token, List.of(), ControlTls.server(ks[0], ks[1])))) {
            URI status = URI.create("https://127.0.0.1:" + ctl.port() + "/status");
            HttpClient trusting = HttpClient.newBuilder()
                    .sslContext(ControlTls.trusting(ks[2]))
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            HttpResponse<String> r = trusting.send(
                    HttpRequest.newBuilder(status)
                            .header("Authorization", "Bearer " + token.bearer())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(List.of(), ((Map<?, ?>) Json.parse(r.body())).get("warnings"));
            assertEquals(
                    401,
                    trusting.send(HttpRequest.newBuilder(status).build(), HttpResponse.BodyHandlers.ofString())
                            .statusCode(),
                    "TLS does not replace the token");
            HttpClient defaultTrust = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            assertThrows(
                    IOException.class,
                    () -> defaultTrust.send(
                            HttpRequest.newBuilder(status).build(), HttpResponse.BodyHandlers.ofString()),
                    "a certificate nobody told the client to trust");
            assertThrows(
                    IOException.class,
                    () -> defaultTrust.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ctl.port() + "/status"))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString()),
                    "no plain HTTP on a TLS port");
        }
        ControlGuard onVlan = new ControlGuard(
                new ControlAccess(token, List.of(), ControlTls.server(ks[0], ks[1])),
                new InetSocketAddress("10.1.0.11", 9001),
                "transmitter");
        assertEquals(List.of(), onVlan.warnings(), "with TLS a network address is nothing to warn about");
    }

    @Test
    void keystoreReadableByOthersIsRefused(@TempDir Path own) throws Exception {
        Path p12 = Files.copy(ks[0], own.resolve("open.p12"));
        Path password = Files.copy(ks[1], own.resolve("open.password"));
        Files.setPosixFilePermissions(p12, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        IOException e = assertThrows(IOException.class, () -> ControlTls.server(p12, password));
        assertTrue(e.getMessage().contains("only its owner"), e.getMessage());
        Files.setPosixFilePermissions(p12, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(password, "wrong");
        assertTrue(assertThrows(IOException.class, () -> ControlTls.server(p12, password))
                .getMessage()
                .contains("cannot be used with the password"));
    }
}
