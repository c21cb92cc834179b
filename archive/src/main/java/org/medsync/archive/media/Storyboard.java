package org.medsync.archive.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Thumbnails for the player's timeline: one frame every {@code intervalSeconds}, 160 px wide, tiled in a grid in
 * {@code storyboard.jpg}, described by {@code storyboard.json} (docs/archive-api.md): tile {@code i} shows the frame
 * at {@code i * intervalSeconds}, at column {@code i % columns}, row {@code i / columns}. At most {@link #MAX_TILES}
 * tiles, so an hour-long recording's sheet stays one modest image.
 */
public final class Storyboard {
    public static final int TILE_WIDTH = 160;
    public static final int MAX_TILES = 100;
    private static final int COLUMNS = 10;
    private static final Pattern SHOWINFO_FRAME = Pattern.compile("\\[Parsed_showinfo_\\d+ @ [^]]+] n:\\s*\\d+");

    /** The sheet's geometry; {@code count} tiles are filled, the rest of the grid (if any) is black. */
    public record Sheet(
            double intervalSeconds,
            int columns,
            int rows,
            int tileWidth,
            int tileHeight,
            int count,
            Path image,
            Path json) {
        public String toJson() {
            return String.format(
                    Locale.ROOT,
                    "{\"intervalSeconds\":%s,\"columns\":%d,\"rows\":%d,\"tileWidth\":%d,\"tileHeight\":%d,"
                            + "\"count\":%d}",
                    intervalSeconds == Math.rint(intervalSeconds)
                            ? Long.toString((long) intervalSeconds)
                            : Double.toString(intervalSeconds),
                    columns,
                    rows,
                    tileWidth,
                    tileHeight,
                    count);
        }
    }

    private Storyboard() {}

    /** The interval between tiles: whole seconds, at least 1, so that at most {@link #MAX_TILES} tiles cover it. */
    public static double interval(double durationSeconds) {
        return Math.max(1, Math.ceil(durationSeconds / MAX_TILES));
    }

    /** Writes {@code storyboard.jpg} and {@code storyboard.json} into {@code dir}. */
    public static Sheet make(Path source, Probe probe, Path dir, DoubleConsumer progress)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        double interval = interval(probe.durationSeconds());
        int expected = Math.min(MAX_TILES, (int) Math.ceil(probe.durationSeconds() / interval));
        int columns = Math.min(COLUMNS, Math.max(1, expected));
        int rows = Math.max(1, (expected + columns - 1) / columns);
        int tileHeight = Math.max(
                2,
                (int) Math.round((double) TILE_WIDTH
                                * probe.video().height()
                                / probe.video().width()
                                / 2)
                        * 2);
        Path image = dir.resolve("storyboard.jpg");
        String filter = String.format(
                Locale.ROOT,
                "fps=1/%s:round=down,scale=%d:%d,showinfo,tile=%dx%d",
                Double.toString(interval),
                TILE_WIDTH,
                tileHeight,
                columns,
                rows);
        String log = FfmpegRun.run(
                List.of(
                        "-i",
                        source.toString(),
                        "-map",
                        "0:v:0",
                        "-vf",
                        filter,
                        "-frames:v",
                        "1",
                        "-q:v",
                        "4",
                        "-update",
                        "1",
                        image.toString()),
                probe.durationSeconds(),
                progress);
        int count = 0;
        Matcher m = SHOWINFO_FRAME.matcher(log);
        while (m.find()) {
            count++;
        }
        if (count == 0 || !Files.isRegularFile(image)) {
            throw new IOException("ffmpeg made no storyboard tile");
        }
        Sheet sheet = new Sheet(
                interval,
                columns,
                rows,
                TILE_WIDTH,
                tileHeight,
                Math.min(count, columns * rows),
                image,
                dir.resolve("storyboard.json"));
        Files.writeString(sheet.json(), sheet.toJson());
        return sheet;
    }
}
