package org.medsync.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Origin and Referer headers as a browser, an attacker's page or a broken client send them. */
class SameOriginTest {
    private static final String SELF = "https://medsync.example:8443";

    private record Case(String origin, String referer, boolean allowed) {}

    @Test
    void onlyTheServersOwnPagesOrNoPageAtAll() {
        SameOrigin own = new SameOrigin(List.of());
        for (Case c : List.of(
                new Case(null, null, true), // not a browser page: scripts, the CLI
                new Case(SELF, null, true),
                new Case("HTTPS://MEDSYNC.example:8443", null, true), // origins compare case-insensitively
                new Case(SELF + "/", null, true),
                new Case(null, SELF + "/#/worklist", true), // Referer only (an old browser)
                new Case("https://evil.example", null, false),
                new Case("https://medsync.example", null, false), // another port is another origin
                new Case("http://medsync.example:8443", null, false), // another scheme too
                new Case("https://medsync.example:8443.evil.example", null, false),
                new Case("null", null, false), // sandboxed frame, data: URL
                new Case("", null, false),
                new Case(null, "https://evil.example/page?x=" + SELF, false),
                new Case(null, "not a url at all \u0000", false),
                new Case(null, "/relative/path", false),
                new Case("https://evil.example", SELF + "/", false))) { // Origin wins over Referer
            assertEquals(c.allowed(), own.allows(c.origin(), c.referer(), SELF), c.toString());
        }
    }

    @Test
    void configuredOriginsReplaceTheRequestsOwn_defaultPortsNormalized() {
        SameOrigin configured = new SameOrigin(List.of("https://medsync.hospital.org"));
        assertEquals(true, configured.allows("https://medsync.hospital.org:443", null, "http://10.0.0.5:8080"));
        // A rebinding page that reaches the server under its own name sends a matching Host: not enough any more.
        assertEquals(false, configured.allows("http://rebound.example:8080", null, "http://rebound.example:8080"));
    }
}
