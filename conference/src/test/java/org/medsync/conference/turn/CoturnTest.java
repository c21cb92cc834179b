package org.medsync.conference.turn;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Our TURN credentials against a real coturn (Debian's turnserver with --use-auth-secret, the TURN REST
 * shared-secret scheme) on loopback: coturn's own client allocates a relay with a credential we minted, and
 * is refused with a wrong password, an expired credential, or one minted from another secret.
 */
@Timeout(60)
class CoturnTest {
    private static final Path TURNSERVER = Path.of("/usr/bin/turnserver");
    private static final Path UCLIENT = Path.of("/usr/bin/turnutils_uclient");
    private static final String SECRET = "medsync-test-secret";
    private static Process coturn;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(
                Files.isExecutable(TURNSERVER) && Files.isExecutable(UCLIENT),
                "coturn is installed by scripts/setup --test");
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        coturn = new ProcessBuilder(
                        TURNSERVER.toString(),
                        "-n",
                        "--listening-ip=127.0.0.1",
                        "--relay-ip=127.0.0.1",
                        "--listening-port=" + port,
                        "--min-port=49152",
                        "--max-port=49400",
                        "--allow-loopback-peers",
                        "--use-auth-secret",
                        "--static-auth-secret=" + SECRET,
                        "--realm=medsync",
                        "--no-tls",
                        "--no-dtls",
                        "--no-cli",
                        "--log-file=stdout")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        Thread.sleep(1500);
        assertTrue(coturn.isAlive(), "turnserver exited at start");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (coturn != null) {
            coturn.destroy();
            if (!coturn.waitFor(5, TimeUnit.SECONDS)) {
                coturn.destroyForcibly();
            }
        }
    }

    @Test
    void coturnAcceptsOurCredential_andRefusesForgedOrExpiredOnes() throws Exception {
        TurnCredentials ours = new TurnCredentials(
                List.of("turn:127.0.0.1:" + port + "?transport=udp"),
                SECRET,
                Duration.ofMinutes(10),
                Clock.systemUTC());
        TurnCredentials.Credential c = ours.mint("peer-7");
        assertTrue(allocates(c.username(), c.password()), "coturn refused a credential we minted");

        assertFalse(allocates(c.username(), c.password().substring(1) + "A"), "coturn accepted a wrong password");
        TurnCredentials other =
                new TurnCredentials(c.urls(), "another-secret", Duration.ofMinutes(10), Clock.systemUTC());
        TurnCredentials.Credential forged = other.mint("peer-7");
        assertFalse(
                allocates(forged.username(), forged.password()), "coturn accepted a credential from another secret");
        Clock hourAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);
        TurnCredentials.Credential expired =
                new TurnCredentials(c.urls(), SECRET, Duration.ofMinutes(10), hourAgo).mint("peer-7");
        assertFalse(allocates(expired.username(), expired.password()), "coturn accepted an expired credential");
    }

    /** coturn's own test client: allocate a relay and send a few packets through it. */
    private static boolean allocates(String user, String password) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(
                        UCLIENT.toString(),
                        "-y",
                        "-n",
                        "2",
                        "-m",
                        "1",
                        "-l",
                        "100",
                        "-u",
                        user,
                        "-w",
                        password,
                        "-p",
                        String.valueOf(port),
                        "127.0.0.1")
                .redirectErrorStream(true)
                .start();
        String out;
        try (var in = p.getInputStream()) {
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            out = new String(in.readAllBytes());
        }
        return out.contains("Total lost packets 0") && !out.contains("Cannot complete Allocation");
    }
}
