package org.medsync.archive.pacs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.medsync.dicom.video.VideoCodec;
import org.medsync.dicom.video.VideoContainer;
import org.medsync.dicom.video.VideoStream;

class ProbeJsonTest {
    static final String H264 = """
            {"streams":[{"index":0,"codec_name":"h264","codec_type":"video","profile":"High","width":1920,
            "height":1080,"pix_fmt":"yuv420p","level":42,"field_order":"progressive","sample_aspect_ratio":"1:1",
            "r_frame_rate":"60000/1001","avg_frame_rate":"60000/1001","nb_frames":"600","nb_read_packets":"600"}]}
            """;

    @Test
    void readsWhatTheRulesNeed() {
        VideoStream s = ProbeJson.parse(H264, VideoContainer.MP4);
        assertEquals(VideoCodec.H264, s.codec());
        assertEquals("High", s.profile());
        assertEquals(42, s.level());
        assertEquals(60000, s.frameRateNumerator());
        assertEquals(1001, s.frameRateDenominator());
        assertEquals(600, s.frameCount());
        assertEquals("4:2:0", s.chromaSubsampling());
        assertEquals(8, s.bitDepth());
        assertFalse(s.interlaced());
    }

    @Test
    void tenBit422Interlaced_andUnknownAspect() {
        VideoStream s = ProbeJson.parse(
                H264.replace("yuv420p", "yuv422p10le")
                        .replace("progressive", "tt")
                        .replace("\"1:1\"", "\"0:1\"")
                        .replace("\"nb_frames\":\"600\",", ""),
                VideoContainer.MPEG_TS);
        assertEquals("4:2:2", s.chromaSubsampling());
        assertEquals(10, s.bitDepth());
        assertTrue(s.interlaced());
        assertEquals(1, s.sampleAspectNumerator());
        assertEquals(600, s.frameCount()); // from nb_read_packets
    }

    @Test
    void refusesWithAPreciseMessage() {
        assertEquals(
                "the video is vp9; DICOM video here is H.264 or HEVC",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ProbeJson.parse(H264.replace("h264", "vp9"), VideoContainer.MP4))
                        .getMessage());
        assertEquals(
                "the file has no video stream",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ProbeJson.parse("{\"streams\":[]}", VideoContainer.MP4))
                        .getMessage());
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> ProbeJson.parse(H264.replace("\"width\":1920", "\"width\":-3"), VideoContainer.MP4))
                .getMessage()
                .contains("width -3 is outside"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> ProbeJson.parse(H264.replace("yuv420p", "rgb24"), VideoContainer.MP4))
                .getMessage()
                .contains("rgb24 is not YUV"));
        assertThrows(IllegalArgumentException.class, () -> ProbeJson.parse("[1,2", VideoContainer.MP4));
        assertThrows(IllegalArgumentException.class, () -> ProbeJson.parse("", VideoContainer.MP4));
    }
}
