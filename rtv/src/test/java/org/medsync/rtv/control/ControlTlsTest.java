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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.medsync.rtv.transmitter.TestPatternSource;
import org.medsync.rtv.transmitter.Transmitter;
import org.medsync.st2110.timing.SystemMediaClock;
import org.medsync.testsupport.tls.SelfSignedKeystore;

/** The control API over HTTPS: a client that trusts the device's certificate gets in with the token; others do not. */
@Timeout(60)
class ControlTlsTest {

    @TempDir
    static Path dir;

    private static SelfSignedKeystore ks;

    @BeforeAll
    static void makeKeystore() throws Exception {
        ks = SelfSignedKeystore.create(dir, "device", "device-secret", "ip:127.0.0.1,dns:localhost");
    }

    @Test
    void controlApiOverTlsVerifiesTheDeviceCertificate() throws Exception {
        ControlToken token = ControlToken.random();
        try (Transmitter tx = new Transmitter(
                        "Endoscope", f -> new TestPatternSource("E", f), new SystemMediaClock(), "127.0.0.1", "lo");
                TransmitterControl ctl = new TransmitterControl(
                        tx,
                        new InetSocketAddress("127.0.0.1", 0),
                        new ControlAccess(token, List.of(), ControlTls.server(ks.p12(), ks.password())))) {
            URI status = URI.create("https://127.0.0.1:" + ctl.port() + "/status");
            HttpClient trusting = HttpClient.newBuilder()
                    .sslContext(ControlTls.trusting(ks.pem()))
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
                new ControlAccess(token, List.of(), ControlTls.server(ks.p12(), ks.password())),
                new InetSocketAddress("10.1.0.11", 9001),
                "transmitter");
        assertEquals(List.of(), onVlan.warnings(), "with TLS a network address is nothing to warn about");
    }

    @Test
    void keystoreReadableByOthersIsRefused(@TempDir Path own) throws Exception {
        Path p12 = Files.copy(ks.p12(), own.resolve("open.p12"));
        Path password = Files.copy(ks.password(), own.resolve("open.password"));
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
