package org.medsync.conference.invite;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Jazzer targets for invite tokens, which come from a URL anyone can craft. Nothing but InviteException escapes
 * verify; and since a forged MAC stops the fuzzer at the door, the second target signs its payloads with the
 * key, to reach the payload parser behind it: what verifies is only what issue() could have written.
 */
class InvitesFuzzTest {
    private static final byte[] KEY = "fuzz-key-of-32-bytes-long-xxxxxx".getBytes(StandardCharsets.US_ASCII);
    private static final Invites INVITES =
            new Invites(KEY, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

    @FuzzTest(maxDuration = "10s")
    void token_verifiesOrIsRefused(byte[] data) {
        try {
            INVITES.verify(new String(data, StandardCharsets.ISO_8859_1));
        } catch (Invites.InviteException expected) {
            // refused with a reason: fine
        }
    }

    @FuzzTest(maxDuration = "10s")
    void signedPayload_verifiesOnlyWhatIssueWrites(byte[] payload) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String token = b64.encodeToString(payload) + "." + b64.encodeToString(mac.doFinal(payload));
        Invites.Invite invite;
        try {
            invite = INVITES.verify(token);
        } catch (Invites.InviteException expected) {
            return;
        }
        assertTrue(invite.readoutId().matches("[A-Za-z0-9_-]{1,64}"), invite.readoutId());
        assertTrue(invite.role().matches("[a-z]{1,16}"), invite.role());
        assertTrue(invite.id().matches("[0-9a-z]{1,13}"), invite.id());
    }
}
