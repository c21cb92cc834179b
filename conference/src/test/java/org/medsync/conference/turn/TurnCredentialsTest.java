package org.medsync.conference.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class TurnCredentialsTest {
    @Test
    void restScheme_usernameIsExpiryAndTag_passwordIsHmacSha1() {
        TurnCredentials t = new TurnCredentials(
                List.of("turn:127.0.0.1:3478"),
                "secret",
                Duration.ofMinutes(10),
                Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC));
        TurnCredentials.Credential c = t.mint("peer:7");
        assertEquals("1700000600:peer_7", c.username());
        // python3 -c "import
        // hmac,hashlib,base64;print(base64.b64encode(hmac.new(b'secret',b'1700000600:peer_7',hashlib.sha1).digest()))"
        assertEquals("Aq/hfms89r6OMnoPhVWgs3cG/ic=", c.password());
        assertEquals(28, c.password().length());
    }
}
