package org.medsync.st2110.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.medsync.st2110.timing.FrameRate;

class VideoFormatTest {

    @Test
    void sizes_matchTheNotes() {
        assertEquals(5_184_000, VideoFormat.hd1080p50x10().frameBytes());
        assertEquals(2_304_000, VideoFormat.hd720p50x10().frameBytes());
        assertEquals(5, VideoFormat.hd720p50x10().pgroupBytes());
        VideoFormat eight = VideoFormat.of("YCbCr-4:2:2", "8", 1920, 1080, FrameRate.FPS_59_94, "BT709", false);
        assertEquals(4, eight.pgroupBytes());
        assertEquals(3840, eight.lineBytes());
        assertEquals("UYVY", eight.gstreamerFormat());
        assertEquals("UYVP", VideoFormat.hd720p50x10().gstreamerFormat());
    }

    @Test
    void unsupported_isRefusedLoudly_namingTheValue() {
        assertMessage(
                "sampling 'YCbCr-4:4:4'",
                () -> VideoFormat.of("YCbCr-4:4:4", "10", 1920, 1080, FrameRate.FPS_50, "BT709", false));
        assertMessage("sampling 'RGB'", () -> VideoFormat.of("RGB", "8", 1920, 1080, FrameRate.FPS_50, "BT709", false));
        assertMessage(
                "depth '12'", () -> VideoFormat.of("YCbCr-4:2:2", "12", 1920, 1080, FrameRate.FPS_50, "BT709", false));
        assertMessage(
                "colorimetry 'SMPTE240M'",
                () -> VideoFormat.of("YCbCr-4:2:2", "10", 1920, 1080, FrameRate.FPS_50, "SMPTE240M", false));
        assertMessage(
                "colorimetry 'BT2100'",
                () -> VideoFormat.of("YCbCr-4:2:2", "10", 1920, 1080, FrameRate.FPS_50, "BT2100", false));
        assertMessage(
                "interlaced", () -> VideoFormat.of("YCbCr-4:2:2", "10", 1920, 1080, FrameRate.FPS_50, "BT709", true));
        assertMessage(
                "width 1279", () -> new VideoFormat(10, 1279, 720, FrameRate.FPS_50, VideoFormat.Colorimetry.BT709));
    }

    private static void assertMessage(String mention, org.junit.jupiter.api.function.Executable e) {
        UnsupportedVideoFormatException x = assertThrows(UnsupportedVideoFormatException.class, e);
        assertTrue(x.getMessage().contains(mention), x.getMessage());
    }
}
