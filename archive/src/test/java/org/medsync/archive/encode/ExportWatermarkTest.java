package org.medsync.archive.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsync.archive.media.FfmpegProgram;
import org.medsync.archive.media.FfmpegRun;
import org.medsync.archive.media.Probe;
import org.medsync.watermark.mark.Layout;
import org.medsync.watermark.mark.WatermarkKey;
import org.medsync.watermark.payload.Payload;
import org.medsync.watermark.video.VideoReader;

/** A copy exported to a recipient reads back as that recipient's fingerprint, with its audio. */
class ExportWatermarkTest {
    @TempDir
    Path dir;

    @Test
    void theExportedCopyNamesItsRecipient() throws Exception {
        Path source = dir.resolve("master.mkv");
        FfmpegRun.run(
                List.of(
                        "-f",
                        "lavfi",
                        "-i",
                        "mandelbrot=size=640x360:rate=25,trim=duration=3",
                        "-f",
                        "lavfi",
                        "-i",
                        "sine=frequency=440:duration=3",
                        "-c:v",
                        "libx264",
                        "-qp",
                        "0",
                        "-preset",
                        "ultrafast",
                        "-c:a",
                        "flac",
                        source.toString()),
                3,
                f -> {});
        // A fixed key and a noise-free source: the same picture every run, so the test judges the marking of the
        // copy, not the luck of a random key at this small size.
        byte[] k = new byte[32];
        new Random(9).nextBytes(k);
        WatermarkKey key = WatermarkKey.of(k);
        Path copy = dir.resolve("copy.mp4");
        Payload payload =
                new ExportWatermark(key).mark(source, copy, "hospital-1", "recording-1", "export-9", "insurer");
        assertEquals(Payload.export("hospital-1", "recording-1", "export-9", "insurer"), payload);
        assertNotEquals(0, payload.recipient());
        assertEquals("aac", Probe.of(copy).audioCodec());

        VideoReader.Report read = new VideoReader(
                        FfmpegProgram.ffmpeg()::command, new VideoReader.Settings(640, 360, 25, 10))
                .read(copy, Layout.of(key));
        assertEquals(payload, read.whole().payload(), read.whole().toString());
    }
}
