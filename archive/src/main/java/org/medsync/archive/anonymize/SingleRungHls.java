package org.medsync.archive.anonymize;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.medsync.archive.media.FfmpegRun;

/**
 * The anonymized copy's playback rendition: one HLS rung (fMP4, files as docs/archive-api.md names them) cut from
 * the copy's H.264 MP4 without re-encoding, whose keyframes already fall every 2 s. Not media.Ladder: Ladder encodes
 * its rungs from a source, so it would encode the blurred MP4 a second time (and cannot blur in the same pass).
 */
final class SingleRungHls {
    private SingleRungHls() {}

    /** Writes index.m3u8, init.mp4 and seg-00000.m4s... into {@code dir}. */
    static void write(Path mp4, Path dir) throws IOException, InterruptedException {
        FfmpegRun.run(List.of(
                "-i",
                mp4.toString(),
                "-map",
                "0:v:0",
                "-c:v",
                "copy",
                "-map_metadata",
                "-1",
                "-map_chapters",
                "-1",
                "-fflags",
                "+bitexact",
                "-f",
                "hls",
                "-hls_time",
                "2",
                "-hls_playlist_type",
                "vod",
                "-hls_segment_type",
                "fmp4",
                "-hls_fmp4_init_filename",
                "init.mp4",
                "-hls_segment_filename",
                dir.resolve("seg-%05d.m4s").toString(),
                dir.resolve("index.m3u8").toString()));
    }
}
