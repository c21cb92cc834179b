package org.medsync.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsync.server.config.ServerConfig;

/** The demo's passwords are in the README: it must not be reachable from the network unless someone asks for that. */
class DemoCommandTest {
    @Test
    void demoWithPublicPasswordsIsNotReachableFromTheNetworkByDefault() throws Exception {
        ServerConfig c = DemoCommand.config(null, Map.of(), null);
        assertTrue(ServerConfig.isLoopback(c.httpsHost()), c.httpsHost());
        assertTrue(ServerConfig.isLoopback(c.httpHost()), c.httpHost());
        assertTrue(DemoCommand.exposureWarning(c).isEmpty());
        // serve keeps its own default: a real installation is meant for the hospital network.
        assertEquals("0.0.0.0", ServerConfig.load(null, Map.of()).httpsHost());
    }

    @Test
    void demoOnTheNetworkOnlyWhenToldAndThenWarnsLoudly() throws Exception {
        ServerConfig listen = DemoCommand.config(null, Map.of(), "0.0.0.0");
        assertEquals("0.0.0.0", listen.httpsHost());
        assertTrue(DemoCommand.exposureWarning(listen).orElseThrow().contains("WARNING"));
        assertTrue(DemoCommand.exposureWarning(listen).orElseThrow().contains("medsync-demo"));

        ServerConfig env = DemoCommand.config(null, Map.of("MEDSYNC_HTTPS_HOST", "192.0.2.10"), null);
        assertEquals("192.0.2.10", env.httpsHost());
        assertTrue(DemoCommand.exposureWarning(env).isPresent());
    }

    @Test
    void demoHonoursHttpsHostOfItsConfigFileAndListenOverridesIt(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("medsync.properties"), "https.host=0.0.0.0\n");
        assertEquals("0.0.0.0", DemoCommand.config(file, Map.of(), null).httpsHost());
        ServerConfig local = DemoCommand.config(file, Map.of(), "127.0.0.1");
        assertEquals("127.0.0.1", local.httpsHost());
        assertTrue(DemoCommand.exposureWarning(local).isEmpty());
        assertTrue(
                DemoCommand.exposureWarning(DemoCommand.config(null, Map.of("MEDSYNC_HTTPS_PORT", "-1"), "0.0.0.0"))
                        .isEmpty(),
                "no HTTPS, nothing on the network: plain HTTP is loopback-only");
    }
}
