package org.medsync.server.or;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.medsync.server.auth.Role;

/**
 * Jazzer target for the administrator's allow-list body (outside bytes from a browser): only a BAD_REQUEST
 * OrException escapes; what parses holds only real roles and valid user names, and written back parses the same.
 */
class AccessMessagesFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @FuzzTest(maxDuration = "10s")
    void body_isAnAllowListOrRefused(byte[] data) throws Exception {
        AccessMessages.AccessList a;
        try {
            a = AccessMessages.accessList(new String(data, StandardCharsets.UTF_8));
        } catch (OrException e) {
            assertEquals(OrException.Reason.BAD_REQUEST, e.reason(), e.getMessage());
            return;
        }
        assertTrue(a.roles().stream().noneMatch(r -> r == Role.ANYONE));
        assertTrue(
                a.users().stream().allMatch(u -> u.matches("[a-z0-9][a-z0-9._-]{1,63}")),
                a.users().toString());
        String back = JSON.writeValueAsString(Map.of(
                "roles", a.roles().stream().map(Role::wireName).toList(),
                "users", a.users(),
                "teaching", a.teaching()));
        assertEquals(a, AccessMessages.accessList(back));
    }
}
