package org.medsync.conference.invite;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InvitesTest {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();
    private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

    @Test
    void issued_verifies_untilItExpires() throws Exception {
        String token = new Invites(KEY, Clock.fixed(T0, ZoneOffset.UTC)).issue("r1", "student", Duration.ofMinutes(10));
        var invite = new Invites(KEY, Clock.fixed(T0.plusSeconds(599), ZoneOffset.UTC)).verify(token);
        assertEquals(new Invites.Invite(invite.id(), "r1", "student", T0.plusSeconds(600)), invite);
        assertTrue(invite.id().matches("[0-9a-z]{1,13}"), invite.id());
        var ex = assertThrows(
                Invites.InviteException.class,
                () -> new Invites(KEY, Clock.fixed(T0.plusSeconds(600), ZoneOffset.UTC)).verify(token));
        assertEquals(Invites.InviteException.Reason.EXPIRED, ex.reason());
    }

    @Test
    void tampered_orOtherKey_isBadSignature() {
        Invites invites = new Invites(KEY, Clock.fixed(T0, ZoneOffset.UTC));
        String token = invites.issue("r1", "student", Duration.ofMinutes(10));
        String payload = new String(java.util.Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))));
        String forged = java.util.Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(payload.replace("student", "attending").getBytes())
                + token.substring(token.indexOf('.'));
        assertEquals(
                Invites.InviteException.Reason.BAD_SIGNATURE,
                assertThrows(Invites.InviteException.class, () -> invites.verify(forged))
                        .reason());
        Invites other = new Invites("another-key-of-32-bytes-long-xx!".getBytes(), Clock.fixed(T0, ZoneOffset.UTC));
        assertEquals(
                Invites.InviteException.Reason.BAD_SIGNATURE,
                assertThrows(Invites.InviteException.class, () -> other.verify(token))
                        .reason());
        for (String bad : new String[] {"", "abc", "a.b.c", "!!.!!", "x".repeat(600)}) {
            assertEquals(
                    Invites.InviteException.Reason.MALFORMED,
                    assertThrows(Invites.InviteException.class, () -> invites.verify(bad))
                            .reason(),
                    bad);
        }
    }

    /** Payloads signed with the right key that issue() never writes: each is refused as malformed, nothing else escapes. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = ';',
            value = {
                "expiry past Instant.MAX;   v1|r1|student|9223372036854775807|k3j2",
                "negative expiry;           v1|r1|student|-5|k3j2",
                "expiry with a plus sign;   v1|r1|student|+1799999999|k3j2",
                "readout id with a space;   v1|r 1|student|1799999999|k3j2",
                "readout id not ASCII;      v1|r\u00e9|student|1799999999|k3j2",
                "empty readout id;          v1||student|1799999999|k3j2",
                "role in capitals;          v1|r1|ATTENDING|1799999999|k3j2",
                "nonce too long;            v1|r1|student|1799999999|0123456789abcd",
                "six fields;                v1|r1|student|1799999999|k3j2|x",
                "other version;             v2|r1|student|1799999999|k3j2",
            })
    void signedPayloadThatIssueNeverWrites_isMalformed(String what, String payload) throws Exception {
        byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        var b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String token = b64.encodeToString(p) + "." + b64.encodeToString(mac.doFinal(p));
        Invites invites = new Invites(KEY, Clock.fixed(T0, ZoneOffset.UTC));
        assertEquals(
                Invites.InviteException.Reason.MALFORMED,
                assertThrows(Invites.InviteException.class, () -> invites.verify(token))
                        .reason(),
                what);
    }
}
