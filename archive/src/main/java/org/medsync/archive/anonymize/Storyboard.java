package org.medsync.archive.anonymize;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The copy's storyboard: tiles 160 px wide, one every {@code intervalSeconds}, in one grid image, and the JSON that
 * describes it (docs/archive-api.md). Made from the anonymized MP4, so the tiles are blurred too. MERGE NOTE: H2's
 * media.Storyboard can replace this once on the branch.
 */
final class Storyboard {
    static final int TILE_WIDTH = 160;
    private static final int MAX_TILES = 100;
    private static final int COLUMNS = 10;

    private Storyboard() {}

    static void write(Ffmpeg ffmpeg, Path mp4, Ffmpeg.Video video, Path dir) throws IOException, InterruptedException {
        int tileHeight = Math.max(2, (int) Math.round(TILE_WIDTH * (double) video.height() / video.width() / 2) * 2);
        double interval = Math.max(1, Math.ceil(video.durationSeconds() / MAX_TILES));
        int count = Math.max(1, (int) Math.ceil(video.durationSeconds() / interval));
        int columns = Math.min(COLUMNS, count);
        int rows = (count + columns - 1) / columns;
        ffmpeg.run(List.of(
                "-i",
                mp4.toString(),
                "-vf",
                "fps=1/" + (long) interval + ",scale=" + TILE_WIDTH + ":" + tileHeight + ",tile=" + columns + "x"
                        + rows,
                "-frames:v",
                "1",
                "-map_metadata",
                "-1",
                "-fflags",
                "+bitexact",
                "-q:v",
                "4",
                dir.resolve("storyboard.jpg").toString()));
        ObjectNode json = new ObjectMapper().createObjectNode();
        json.put("intervalSeconds", interval);
        json.put("columns", columns);
        json.put("rows", rows);
        json.put("tileWidth", TILE_WIDTH);
        json.put("tileHeight", tileHeight);
        json.put("count", count);
        Files.writeString(dir.resolve("storyboard.json"), json.toString());
    }
}
