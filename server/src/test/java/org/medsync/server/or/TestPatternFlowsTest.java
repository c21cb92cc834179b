package org.medsync.server.or;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.medsync.rtv.metadata.Dataset;
import org.medsync.rtv.metadata.ElementValue;
import org.medsync.rtv.metadata.Tags;
import org.medsync.server.demo.DemoOr;
import org.medsync.st2110.video.VideoFormat;

class TestPatternFlowsTest {

    @Test
    void theSettingNamesLinesAndRate_720p10ByDefault() {
        VideoFormat d = TestPatternFlows.format("test-pattern");
        assertEquals(1280, d.width());
        assertEquals(720, d.height());
        assertEquals(10, d.rate().numerator());
        assertEquals(10, d.depth());
        VideoFormat f = TestPatternFlows.format("test-pattern:1080p50");
        assertEquals(1920, f.width());
        assertEquals(50, f.rate().numerator());
        assertTrue(TestPatternFlows.is("test-pattern:720p25"));
        assertFalse(TestPatternFlows.is("/etc/or3/endoscope.sdp"));
    }

    @Test
    void garbageIsRefusedWithWhatIsWrong() {
        for (String bad : new String[] {
            "test-pattern:480p10",
            "test-pattern:720p",
            "test-pattern:720p0",
            "test-pattern:720p61",
            "test-pattern:720p10x",
            "test-pattern:"
        }) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> TestPatternFlows.format(bad), bad);
            assertTrue(e.getMessage().contains("test-pattern") || e.getMessage().contains("1..60"), e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TestPatternFlows.metadata("{\"0010"))
                .getMessage()
                .startsWith("not JSON"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> TestPatternFlows.metadata("{\"00100010\": {\"vr\": \"XX\"}}"))
                .getMessage()
                .contains("00100010"));
        assertThrows(IllegalArgumentException.class, () -> TestPatternFlows.metadata("[1, 2]"));
    }

    @Test
    void theDemoOrsSettings_twoTestPatternFlowsWithTheWorklistEntrysMetadata() {
        Properties p = new Properties();
        DemoOr.settings().forEach(p::setProperty);
        OrSettings s = OrSettings.from(p);
        OrSettings.Or or = s.or(DemoOr.ID);
        assertEquals(2, or.flows().size());
        assertTrue(or.flows().stream().allMatch(OrSettings.Flow::testPattern));
        Dataset meta = TestPatternFlows.metadata(or.flows().getFirst().testPatternMetadata());
        String name = DemoOr.worklistEntry(LocalDate.now()).patientName();
        assertEquals(
                new ElementValue.Strings(List.of(name)),
                meta.get(Tags.PATIENT_NAME).orElseThrow().value());
        assertEquals(10, s.idleSeconds());

        p.setProperty("or." + DemoOr.ID + ".test-pattern.metadata", "{\"00100010\": 7}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OrSettings.from(p));
        assertTrue(e.getMessage().contains("test-pattern.metadata"), e.getMessage());
    }
}
