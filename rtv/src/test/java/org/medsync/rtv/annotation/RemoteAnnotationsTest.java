package org.medsync.rtv.annotation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.medsync.rtv.video.Raster;
import org.medsync.st2110.timing.FrameRate;
import org.medsync.st2110.video.VideoFormat;

class RemoteAnnotationsTest {
    private static final VideoFormat FMT =
            new VideoFormat(10, 1280, 720, new FrameRate(10, 1), VideoFormat.Colorimetry.BT709);
    private static final int MAGENTA = 0xFF00FF;

    private static ByteBuffer grey() {
        ByteBuffer f = ByteBuffer.allocate(FMT.frameBytes());
        Raster.fill(f, FMT, 0, 0, FMT.width(), FMT.height(), 500, Raster.NEUTRAL, Raster.NEUTRAL);
        return f;
    }

    private static Stroke diagonal(String id) {
        return new Stroke(
                id, "attending", 123, MAGENTA, 0.01, List.of(new Stroke.Point(0.25, 0.5), new Stroke.Point(0.75, 0.5)));
    }

    @Test
    void strokeIsDrawnWhereItsNormalisedPointsSay_inItsColour_withARemoteLabel() {
        AtomicLong now = new AtomicLong();
        RemoteAnnotations a = new RemoteAnnotations(now::get);
        a.put(diagonal("s1"), Duration.ofSeconds(30));
        ByteBuffer f = grey();
        a.draw(f, FMT);
        int[] magenta = RemoteAnnotations.ycbcr(MAGENTA);
        int[] mid = Raster.pgroup(f, FMT, 640, 360);
        assertArrayEquals(new int[] {magenta[1], magenta[0], magenta[2], magenta[0]}, mid, "stroke at its middle");
        assertEquals(500, Raster.luma(f, FMT, 640, 200), "nothing far from the stroke");
        assertEquals(500, Raster.luma(f, FMT, 1100, 360), "nothing beyond its end");
        // the label's dark box sits above the first point
        long dark = 0;
        for (int x = 320; x < 420; x++) {
            for (int y = 330; y < 355; y++) {
                dark += Raster.luma(f, FMT, x, y) == 100 ? 1 : 0;
            }
        }
        assertTrue(dark > 200, "a REMOTE label next to the stroke's start: " + dark);
    }

    @Test
    void strokesExpire_clearRemovesThem_sameIdReplaces() {
        AtomicLong now = new AtomicLong();
        RemoteAnnotations a = new RemoteAnnotations(now::get);
        a.put(diagonal("s1"), Duration.ofSeconds(30));
        a.put(diagonal("s1"), Duration.ofSeconds(30));
        a.put(diagonal("s2"), Duration.ofSeconds(10));
        assertEquals(2, a.current().size());
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertEquals(
                List.of("s1"), a.current().stream().map(s -> s.stroke().id()).toList());
        now.addAndGet(Duration.ofSeconds(20).toNanos());
        assertEquals(0, a.current().size(), "expired after its time");
        ByteBuffer f = grey();
        a.draw(f, FMT);
        assertEquals(grey(), f, "an expired stroke is not drawn");
        a.put(diagonal("s3"), Duration.ofSeconds(30));
        assertEquals(1, a.clear());
        f = grey();
        a.draw(f, FMT);
        assertEquals(grey(), f, "a cleared stroke is not drawn");
    }

    @Test
    void atMostMaxStrokes_oldestGoes() {
        RemoteAnnotations a = new RemoteAnnotations(() -> 0);
        for (int i = 0; i < RemoteAnnotations.MAX_STROKES + 5; i++) {
            a.put(diagonal("s" + i), Duration.ofSeconds(30));
        }
        assertEquals(RemoteAnnotations.MAX_STROKES, a.current().size());
        assertEquals("s5", a.current().getFirst().stroke().id());
    }

    @Test
    void strokeRefusesOutOfRangeValues() {
        List<Stroke.Point> one = List.of(new Stroke.Point(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Stroke.Point(1.5, 0));
        assertThrows(IllegalArgumentException.class, () -> new Stroke.Point(Double.NaN, 0));
        assertThrows(IllegalArgumentException.class, () -> new Stroke("a b", "attending", 0, 0, 0.01, one));
        assertThrows(IllegalArgumentException.class, () -> new Stroke("a", "DOE^JOHN", 0, 0, 0.01, one));
        assertThrows(IllegalArgumentException.class, () -> new Stroke("a", "attending", 1L << 32, 0, 0.01, one));
        assertThrows(IllegalArgumentException.class, () -> new Stroke("a", "attending", 0, 0, 0.5, one));
        assertThrows(IllegalArgumentException.class, () -> new Stroke("a", "attending", 0, 0, 0.01, List.of()));
    }
}
