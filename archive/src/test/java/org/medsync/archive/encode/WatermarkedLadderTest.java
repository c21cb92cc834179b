package org.medsync.archive.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsync.archive.media.FfmpegProgram;
import org.medsync.archive.media.FfmpegRun;
import org.medsync.archive.media.MasterDecision;
import org.medsync.archive.media.Probe;
import org.medsync.watermark.mark.Layout;
import org.medsync.watermark.mark.WatermarkKey;
import org.medsync.watermark.payload.Payload;
import org.medsync.watermark.video.VideoReader;

/**
 * A transcode with a watermark key marks the frames that feed the playback ladder (the rung reads back as the
 * recording's identifier, audio kept) and leaves the master, the diagnostic copy, untouched.
 */
class WatermarkedLadderTest {
    @TempDir
    Path dir;

    @Test
    void theLadderCarriesTheRecordingsIdentifierAndTheMasterDoesNot() throws Exception {
        Path source = dir.resolve("source.mkv");
        FfmpegRun.run(
                List.of(
                        "-f",
                        "lavfi",
                        "-i",
                        "mandelbrot=size=640x360:rate=25,trim=duration=6",
                        "-f",
                        "lavfi",
                        "-i",
                        "sine=frequency=440:duration=6",
                        "-c:v",
                        "libx264",
                        "-qp",
                        "0",
                        "-preset",
                        "ultrafast",
                        "-c:a",
                        "flac",
                        source.toString()),
                6,
                f -> {});
        // A fixed key and a noise-free source: the same picture every run, so the test judges the wiring
        // (the ladder is marked, the master is not), not the luck of a random key at this small size.
        byte[] k = new byte[32];
        new Random(14).nextBytes(k);
        WatermarkKey key = WatermarkKey.of(k);
        Payload payload = Payload.playback("hospital-1", "recording-1");
        Transcoder transcoder = new Transcoder(Transcoder.Settings.defaults().withWatermark(key));
        Transcoder.Result r = transcoder.transcode(
                source, "source.mkv", MasterDecision.Policy.H264_422, 20, dir.resolve("out"), payload, (f, s) -> {});

        Path rung = r.rungs().getFirst().output().dir().resolve("index.m3u8");
        assertEquals("aac", Probe.of(rung).audioCodec());
        VideoReader reader =
                new VideoReader(FfmpegProgram.ffmpeg()::command, new VideoReader.Settings(640, 360, 25, 10));
        VideoReader.Report marked = reader.read(rung, Layout.of(key));
        assertEquals(payload, marked.whole().payload(), marked.whole().toString());
        assertTrue(r.rungs().getFirst().score().psnr() >= 30);

        VideoReader.Report master = reader.read(r.master().file(), Layout.of(key));
        assertFalse(master.whole().found(), master.whole().toString());
    }
}
