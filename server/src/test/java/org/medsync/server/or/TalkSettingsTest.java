package org.medsync.server.or;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.medsync.server.auth.Role;

class TalkSettingsTest {
    @Test
    void defaults_attendingSpeaks_residentListens_bothMayBeTheStation() {
        TalkSettings t = TalkSettings.from(new Properties());
        assertEquals(TalkSettings.DEFAULT, t);
        assertEquals(Set.of(Role.ATTENDING), t.talkRoles());
        assertTrue(t.remoteMayJoin(Role.RESIDENT));
        assertFalse(t.remoteMayJoin(Role.STUDENT));
        assertFalse(t.remoteMayJoin(Role.ADMIN));
        assertEquals(Set.of(Role.ATTENDING, Role.RESIDENT), t.stationRoles());
    }

    @Test
    void studentsAndObservers_areRefusedWhateverTheConfigurationSays() {
        for (String key : new String[] {"or.talk.roles", "or.talk.listen-roles", "or.talk.station-roles"}) {
            for (String role : new String[] {"student", "observer"}) {
                Properties p = new Properties();
                p.setProperty(key, "attending," + role);
                IllegalArgumentException e =
                        assertThrows(IllegalArgumentException.class, () -> TalkSettings.from(p), key + "=" + role);
                assertTrue(e.getMessage().contains(role), e.getMessage());
            }
        }
        Properties p = new Properties();
        p.setProperty("or.talk.roles", "resident");
        p.setProperty("or.talk.listen-roles", "");
        assertTrue(TalkSettings.from(p).remoteMayJoin(Role.RESIDENT));
        assertFalse(TalkSettings.from(p).remoteMayJoin(Role.ATTENDING));
    }
}
