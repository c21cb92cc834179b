package org.medsync.server.or;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.medsync.rtv.annotation.Stroke;
import org.medsync.server.auth.Role;

class ExpertMessagesTest {

    @Test
    void strokeParses_authorIsSetByTheServer() throws Exception {
        ExpertMessages.StrokeMessage s = (ExpertMessages.StrokeMessage) ExpertMessages.parse(
                "{\"type\":\"annotation-stroke\",\"id\":\"s1\",\"rtpTimestamp\":4294967295,\"color\":\"#FF00ff\","
                        + "\"width\":0.006,\"points\":[[0,0],[0.5,1]]}");
        assertEquals(4294967295L, s.rtpTimestamp());
        assertEquals(0xFF00FF, s.rgb());
        assertEquals(List.of(new Stroke.Point(0, 0), new Stroke.Point(0.5, 1)), s.points());
        assertEquals("resident", s.by("resident").author());
        assertEquals(new ExpertMessages.ClearMessage(null), ExpertMessages.parse("{\"type\":\"annotation-clear\"}"));
        assertEquals(
                new ExpertMessages.ClearMessage("s1"),
                ExpertMessages.parse("{\"type\":\"annotation-clear\",\"id\":\"s1\"}"));
    }

    @Test
    void garbageIsRefusedWithThePreciseReason() {
        String ok =
                "\"type\":\"annotation-stroke\",\"id\":\"s1\",\"rtpTimestamp\":1,\"color\":\"#ff00ff\",\"width\":0.006";
        assertRefused("not JSON", "{");
        assertRefused("a JSON object", "[1]");
        assertRefused("unknown type 'hello'", "{\"type\":\"hello\"}");
        assertRefused("unknown field 'author'", "{" + ok + ",\"points\":[[0,0]],\"author\":\"DOE^JOHN\"}");
        assertRefused(
                "rtpTimestamp must be an integer",
                "{" + ok.replace("\"rtpTimestamp\":1", "\"rtpTimestamp\":-1") + ",\"points\":[[0,0]]}");
        assertRefused("color must be #rrggbb", "{" + ok.replace("#ff00ff", "red") + ",\"points\":[[0,0]]}");
        assertRefused("width must be a number", "{" + ok.replace("0.006", "3") + ",\"points\":[[0,0]]}");
        assertRefused("points must be an array of 1 to", "{" + ok + ",\"points\":[]}");
        assertRefused("points[1] must lie in 0..1", "{" + ok + ",\"points\":[[0,0],[1.5,0]]}");
        assertRefused("points[0] must be [x, y]", "{" + ok + ",\"points\":[[\"a\",0]]}");
        assertRefused("id must be 1 to 64", "{" + ok.replace("\"s1\"", "\"a b\"") + ",\"points\":[[0,0]]}");
        assertRefused("at most", "{\"type\":\"annotation-clear\",\"id\":\"" + "x".repeat(70_000) + "\"}");
    }

    @Test
    void studentsAndObserversNeverDraw_whateverTheConfiguration() {
        Properties p = new Properties();
        p.setProperty("or.telestration.roles", "attending,student");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TelestrationSettings.from(p));
        assertTrue(e.getMessage().contains("student may never draw"), e.getMessage());
        TelestrationSettings d = TelestrationSettings.from(new Properties());
        assertEquals(Set.of(Role.ATTENDING), d.drawRoles());
        assertEquals(30, d.expiry().toSeconds());
    }

    private static void assertRefused(String reason, String text) {
        OrException e = assertThrows(OrException.class, () -> ExpertMessages.parse(text));
        assertEquals(OrException.Reason.BAD_REQUEST, e.reason());
        assertTrue(e.getMessage().contains(reason), e.getMessage() + " should say " + reason);
    }
}
