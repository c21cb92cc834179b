package org.medsync.archive.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class LadderTest {
    @Test
    void rungsNeverGoAboveTheSource() {
        assertEquals(List.of("hls-1080 1920x1080", "hls-720 1280x720", "hls-360 640x360"), names(1920, 1080));
        assertEquals(List.of("hls-720 1280x720", "hls-360 640x360"), names(1280, 720));
        assertEquals(List.of("hls-720 1036x720", "hls-360 518x360"), names(1440, 1000));
        assertEquals(List.of("hls-360 640x360"), names(640, 360));
        // Below 360 lines: one rung at the source's own height, not an upscale.
        assertEquals(List.of("hls-180 320x180"), names(320, 180));
        // 4:3 and odd sizes keep their aspect with even widths.
        assertEquals(List.of("hls-720 960x720", "hls-360 480x360"), names(1024, 768));
    }

    @Test
    void keyframeEveryTwoSecondsInFrames() {
        assertEquals(50, Ladder.gop(25));
        assertEquals(100, Ladder.gop(50));
        assertEquals(60, Ladder.gop(30000.0 / 1001));
    }

    private static List<String> names(int w, int h) {
        return Ladder.rungs(w, h).stream()
                .map(r -> r.name() + " " + r.width() + "x" + r.height())
                .toList();
    }
}
