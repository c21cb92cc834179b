package org.medsync.server.readout;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ReadoutSettingsTest {
    private static ReadoutSettings of(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return ReadoutSettings.from(p);
    }

    @Test
    void defaults_meshUpToFour_relayTickTenMs_anyPort() {
        ReadoutSettings s = of();
        assertEquals(4, s.meshMax());
        assertEquals(Duration.ofSeconds(10), s.meshReturnDelay());
        assertEquals(Duration.ofMillis(10), s.relay().tick());
        assertEquals(0, s.relay().minPort());
        assertEquals(0, s.relay().maxPort());
        assertFalse(s.relay().loopbackOnly());
    }

    @Test
    void relaySettings_areRead() {
        ReadoutSettings s = of(
                "readout.mesh.max",
                "2",
                "readout.mesh.return-seconds",
                "0",
                "readout.relay.tick-ms",
                "5",
                "readout.relay.ports",
                "50000-50100",
                "readout.relay.loopback-only",
                "true");
        assertEquals(2, s.meshMax());
        assertEquals(Duration.ZERO, s.meshReturnDelay());
        assertEquals(Duration.ofMillis(5), s.relay().tick());
        assertEquals(50000, s.relay().minPort());
        assertEquals(50100, s.relay().maxPort());
        assertTrue(s.relay().loopbackOnly());
    }

    @Test
    void badValues_areRefusedWithTheKey() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> of("readout.mesh.max", "0"))
                .getMessage()
                .contains("readout.mesh.max"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> of("readout.relay.ports", "high-low"))
                .getMessage()
                .contains("readout.relay.ports"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> of("readout.relay.ports", "6000-5000"))
                .getMessage()
                .contains("readout.relay"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> of("readout.relay.tick-ms", "0"))
                .getMessage()
                .contains("readout.relay"));
    }

    @Test
    void audioSfu_embeddedByDefault_orAUrl_orOff() {
        var d = of().audioSfu();
        assertTrue(d.enabled());
        assertNull(d.url(), "embedded: the server starts Debian's Janus");
        assertEquals(20000, d.rtpMin());
        assertEquals(20999, d.rtpMax());
        assertEquals("", d.interfaces());
        var external = of(
                        "readout.audio-sfu.url",
                        "http://10.0.0.5:8088/janus/",
                        "readout.audio-sfu.secret",
                        "s3",
                        "readout.audio-sfu.interfaces",
                        "eth0,lo")
                .audioSfu();
        assertEquals("http://10.0.0.5:8088/janus", external.url().toString());
        assertEquals("s3", external.apiSecret());
        assertEquals("eth0,lo", external.interfaces());
        assertFalse(of("readout.audio-sfu.url", "off").audioSfu().enabled());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> of("readout.audio-sfu.url", "ws://x:8188/"))
                .getMessage()
                .contains("readout.audio-sfu.url"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> of("readout.audio-sfu.ports", "9-1"))
                .getMessage()
                .contains("readout.audio-sfu.ports"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> of("readout.audio-sfu.ports", "a-b"))
                .getMessage()
                .contains("readout.audio-sfu.ports"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> of("readout.audio-sfu.interfaces", "eth0\"; rm"))
                .getMessage()
                .contains("readout.audio-sfu.interfaces"));
    }
}
