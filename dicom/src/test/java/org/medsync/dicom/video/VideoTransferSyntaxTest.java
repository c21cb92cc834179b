package org.medsync.dicom.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The transfer syntax rules of PS3.5 8.2.7-8.2.11, at and just past their limits. */
class VideoTransferSyntaxTest {
    static VideoStream h264(String profile, int level, int w, int h, long fpsNum, long fpsDen) {
        return new VideoStream(
                VideoContainer.MP4,
                VideoCodec.H264,
                profile,
                level,
                w,
                h,
                fpsNum,
                fpsDen,
                100,
                8,
                "4:2:0",
                1,
                1,
                false);
    }

    static VideoStream hevc(String profile, int level, int w, int h, int fps, int bits) {
        return new VideoStream(
                VideoContainer.MP4, VideoCodec.HEVC, profile, level, w, h, fps, 1, 100, bits, "4:2:0", 1, 1, false);
    }

    @Test
    void hd1080At30_isLevel41_at50_needsLevel42() throws Exception {
        assertEquals(
                VideoTransferSyntax.MPEG4_HIGH_41, VideoTransferSyntax.choose(h264("High", 40, 1920, 1080, 30, 1)));
        assertEquals(VideoTransferSyntax.MPEG4_HIGH_41, VideoTransferSyntax.choose(h264("Main", 13, 320, 180, 25, 1)));
        // 8160 macroblocks x 50 = 408000 > 245760 (4.1) but <= 522240 (4.2), even if the stream signals 4.0.
        assertEquals(
                VideoTransferSyntax.MPEG4_HIGH_42_2D, VideoTransferSyntax.choose(h264("High", 40, 1920, 1080, 50, 1)));
        assertEquals(
                VideoTransferSyntax.MPEG4_HIGH_42_2D,
                VideoTransferSyntax.choose(h264("High", 42, 1920, 1080, 60000, 1001)));
    }

    @Test
    void beyondLevel42_isRefusedNamingTheRule() {
        VideoRejectedException uhd = assertThrows(
                VideoRejectedException.class, () -> VideoTransferSyntax.choose(h264("High", 51, 3840, 2160, 30, 1)));
        assertTrue(uhd.getMessage().contains("signals level 5.1, above 4.1"), uhd.getMessage());
        assertTrue(uhd.getMessage().contains("above 4.2"), uhd.getMessage());
        VideoRejectedException fast = assertThrows(
                VideoRejectedException.class, () -> VideoTransferSyntax.choose(h264("High", 42, 1920, 1080, 120, 1)));
        assertTrue(fast.getMessage().contains("at 120 fps exceeds level 4.2's 522240 macroblocks"), fast.getMessage());
    }

    @Test
    void profilesDepthChromaAndPixelsThatNoSyntaxTakes() {
        assertThrows(
                VideoRejectedException.class,
                () -> VideoTransferSyntax.choose(h264("High 4:2:2", 41, 1280, 720, 25, 1)));
        assertThrows(
                VideoRejectedException.class, () -> VideoTransferSyntax.choose(h264("Baseline", 30, 640, 360, 25, 1)));
        VideoStream tenBit = new VideoStream(
                VideoContainer.MP4, VideoCodec.H264, "High", 41, 1280, 720, 25, 1, 10, 10, "4:2:0", 1, 1, false);
        assertThrows(VideoRejectedException.class, () -> VideoTransferSyntax.choose(tenBit));
        VideoStream chroma422 = new VideoStream(
                VideoContainer.MP4, VideoCodec.H264, "High", 41, 1280, 720, 25, 1, 10, 8, "4:2:2", 1, 1, false);
        VideoRejectedException e =
                assertThrows(VideoRejectedException.class, () -> VideoTransferSyntax.choose(chroma422));
        assertTrue(e.getMessage().contains("chroma is 4:2:2"), e.getMessage());
        VideoStream anamorphic = new VideoStream(
                VideoContainer.MP4, VideoCodec.H264, "High", 30, 720, 576, 25, 1, 10, 8, "4:2:0", 16, 15, false);
        assertThrows(VideoRejectedException.class, () -> VideoTransferSyntax.choose(anamorphic));
    }

    @Test
    void blurayCompatible_onlyTheFormatsOfTable84() throws Exception {
        VideoTransferSyntax.MPEG4_HIGH_41_BD.check(h264("High", 41, 1280, 720, 60000, 1001));
        VideoTransferSyntax.MPEG4_HIGH_41_BD.check(h264("High", 41, 1920, 1080, 24000, 1001));
        VideoRejectedException e = assertThrows(
                VideoRejectedException.class,
                () -> VideoTransferSyntax.MPEG4_HIGH_41_BD.check(h264("High", 41, 1920, 1080, 25, 1)));
        assertTrue(e.getMessage().contains("1920x1080p at 25 fps is not one of the formats"), e.getMessage());
    }

    @Test
    void hevc_mainAndMain10_upToLevel51() throws Exception {
        assertEquals(
                VideoTransferSyntax.HEVC_MAIN_51, VideoTransferSyntax.choose(hevc("Main", 123, 1920, 1080, 50, 8)));
        assertEquals(
                VideoTransferSyntax.HEVC_MAIN10_51,
                VideoTransferSyntax.choose(hevc("Main 10", 153, 3840, 2160, 60, 10)));
        assertEquals(16, VideoTransferSyntax.HEVC_MAIN10_51.bitsAllocated());
        assertThrows(
                VideoRejectedException.class, () -> VideoTransferSyntax.choose(hevc("Main", 156, 3840, 2160, 120, 8)));
        assertThrows(
                VideoRejectedException.class,
                () -> VideoTransferSyntax.choose(hevc("Main 4:2:2 10", 150, 1920, 1080, 50, 10)));
        assertThrows(
                VideoRejectedException.class,
                () -> VideoTransferSyntax.choose(hevc("Main 10", 153, 4096, 2176, 120, 10)));
    }
}
