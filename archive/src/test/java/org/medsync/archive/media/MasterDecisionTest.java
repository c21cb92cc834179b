package org.medsync.archive.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MasterDecisionTest {
    @Test
    void keepCopiesH264AndHevcInArchivalContainers() {
        assertEquals("copy h264 master.mp4", decide("h264", "mov,mp4,m4a,3gp,3g2,mj2", "yuv420p", "a.mp4", "KEEP"));
        assertEquals("copy h264 master.mov", decide("h264", "mov,mp4,m4a,3gp,3g2,mj2", "yuv420p", "a.MOV", "KEEP"));
        assertEquals("copy hevc master.mkv", decide("hevc", "matroska,webm", "yuv422p10le", "a.mkv", "KEEP"));
    }

    @Test
    void otherSourcesAreReEncodedKeepingDepthAndChroma() {
        assertEquals("encode h264 yuv422p master.mp4", decide("mpeg2video", "mxf", "yuv422p", "a.mxf", "KEEP"));
        assertEquals(
                "encode h264 yuv422p10le master.mp4",
                decide("prores", "mov,mp4,m4a,3gp,3g2,mj2", "yuv422p10le", "a.mov", "KEEP"));
        assertEquals("encode h264 yuv420p master.mp4", decide("h264", "mpegts", "yuv420p", "a.ts", "KEEP"));
        assertEquals(
                "encode h264 yuv444p10le master.mp4", decide("ffv1", "matroska,webm", "gbrp10le", "a.mkv", "KEEP"));
    }

    @Test
    void theCodecPoliciesAlwaysReEncode() {
        assertEquals("encode h264 yuv420p master.mp4", decide("h264", "mov,mp4", "yuv420p", "a.mp4", "H264_422"));
        assertEquals(
                "encode h264 yuv422p10le master.mp4", decide("h264", "mov,mp4", "yuv422p10le", "a.mp4", "H264_422"));
        assertEquals(
                "encode hevc yuv422p10le master.mp4", decide("h264", "mov,mp4", "yuv422p10le", "a.mp4", "HEVC_422"));
        // HEVC has no 8-bit 4:2:2 profile: Main 4:2:2 10 carries it.
        assertEquals("encode hevc yuv422p10le master.mp4", decide("mjpeg", "avi", "yuvj422p", "a.avi", "HEVC_422"));
        assertEquals("encode hevc yuv420p master.mp4", decide("h264", "mov,mp4", "yuv420p", "a.mp4", "HEVC_422"));
    }

    private static String decide(String codec, String container, String pixelFormat, String name, String policy) {
        Probe.Layout layout = Probe.layout(pixelFormat);
        Probe probe = new Probe(
                container,
                10,
                new Probe.Video(
                        codec,
                        null,
                        pixelFormat,
                        layout.depth(),
                        layout.chroma(),
                        1920,
                        1080,
                        25,
                        0,
                        -99,
                        25,
                        1,
                        250,
                        1,
                        1,
                        false),
                null);
        MasterDecision d = MasterDecision.decide(probe, MasterDecision.Policy.valueOf(policy), name);
        return d.copy()
                ? "copy " + d.codec() + " " + d.fileName()
                : "encode " + d.codec() + " " + d.pixelFormat() + " " + d.fileName();
    }
}
