package org.medsync.server.or;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.medsync.server.auth.Role;

class AccessMessagesTest {
    @Test
    void aFullListParses() throws Exception {
        AccessMessages.AccessList a = AccessMessages.accessList(
                "{\"roles\": [\"attending\", \"Student\"], \"users\": [\"dr.who\"], \"teaching\": true}");
        assertEquals(Set.of(Role.ATTENDING, Role.STUDENT), a.roles());
        assertEquals(Set.of("dr.who"), a.users());
        assertTrue(a.teaching());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "not json|the body is not JSON",
                "[]|must be a JSON object",
                "{\"roles\": [], \"users\": [], \"teaching\": true, \"x\": 1}|unknown field 'x'",
                "{\"users\": [], \"teaching\": true}|roles must be an array",
                "{\"roles\": [\"surgeon\"], \"users\": [], \"teaching\": true}|unknown role 'surgeon'",
                "{\"roles\": [\"anyone\"], \"users\": [], \"teaching\": true}|unknown role 'anyone'",
                "{\"roles\": [1], \"users\": [], \"teaching\": true}|roles[0] must be a role name",
                "{\"roles\": [], \"users\": [\"A B\"], \"teaching\": true}|users[0] must be a user name",
                "{\"roles\": [], \"users\": \"x\", \"teaching\": true}|users must be an array",
                "{\"roles\": [], \"users\": [], \"teaching\": \"yes\"}|teaching must be true or false",
            })
    void garbageIsRefusedPrecisely(String body, String why) {
        OrException e = assertThrows(OrException.class, () -> AccessMessages.accessList(body));
        assertEquals(OrException.Reason.BAD_REQUEST, e.reason());
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    @Test
    void tooLargeIsRefused() {
        OrException e = assertThrows(
                OrException.class, () -> AccessMessages.accessList("{\"roles\": [" + " ".repeat(20_000) + "]}"));
        assertTrue(e.getMessage().contains("at most"), e.getMessage());
    }

    @Test
    void theTeachingOnlyRule() {
        OrAccess access = new OrAccess(null, Set.of(Role.STUDENT, Role.OBSERVER));
        OrAccess.Rule notTeaching = new OrAccess.Rule(
                Set.of(Role.ATTENDING, Role.STUDENT), Set.of("sam"), false, "configuration", null, null);
        assertTrue(access.admits(notTeaching, "anna", Role.ATTENDING));
        assertTrue(!access.admits(notTeaching, "stu", Role.STUDENT), "students only for teaching procedures");
        assertTrue(access.admits(notTeaching, "sam", Role.STUDENT), "a named user whatever the rule");
        assertTrue(!access.admits(notTeaching, "rita", Role.RESIDENT), "not on the list");
        OrAccess.Rule teaching =
                new OrAccess.Rule(Set.of(Role.ATTENDING, Role.STUDENT), Set.of(), true, "administrator", "admin", null);
        assertTrue(access.admits(teaching, "stu", Role.STUDENT));
        assertTrue(!access.admits(teaching, "obs", Role.OBSERVER), "observers are not on this list");
    }
}
