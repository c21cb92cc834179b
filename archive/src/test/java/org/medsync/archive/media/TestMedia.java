package org.medsync.archive.media;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Small test sources made by the shipped ffmpeg from its lavfi test patterns (never shipped binaries). */
public final class TestMedia {
    private TestMedia() {}

    /**
     * testsrc2 (moving, detailed) of this size, rate and length, encoded losslessly (x264 qp 0) in this pixel format
     * into {@code file} (its extension picks the container).
     */
    public static Path pattern(Path file, int width, int height, int fps, double seconds, String pixelFormat)
            throws IOException, InterruptedException {
        return encode(
                file,
                "testsrc2=s=" + width + "x" + height + ":r=" + fps + ":d=" + seconds,
                List.of("-c:v", "libx264", "-preset", "ultrafast", "-qp", "0", "-pix_fmt", pixelFormat));
    }

    /**
     * testsrc2 with sensor-like noise as the live recorder's mezzanine: FFV1 version 3, sliced, intra-only, 10-bit
     * 4:2:2, in Matroska (the options of the server's LiveEncoder).
     */
    public static Path mezzanine(Path file, int width, int height, int fps, double seconds)
            throws IOException, InterruptedException {
        return encode(
                file,
                "testsrc2=s=" + width + "x" + height + ":r=" + fps + ":d=" + seconds + ",noise=alls=2:allf=t",
                List.of(
                        "-c:v",
                        "ffv1",
                        "-level",
                        "3",
                        "-slices",
                        "16",
                        "-slicecrc",
                        "1",
                        "-coder",
                        "0",
                        "-context",
                        "0",
                        "-g",
                        "1",
                        "-pix_fmt",
                        "yuv422p10le",
                        "-f",
                        "matroska"));
    }

    /** An ordinary 8-bit H.264 High 4:2:0 file with AAC sound, as a phone or recorder makes it (CRF 20). */
    public static Path ordinaryH264(Path file, int width, int height, int fps, double seconds)
            throws IOException, InterruptedException {
        FfmpegRun.run(
                List.of(
                        "-f",
                        "lavfi",
                        "-i",
                        "testsrc2=s=" + width + "x" + height + ":r=" + fps + ":d=" + seconds,
                        "-f",
                        "lavfi",
                        "-i",
                        "sine=frequency=440:duration=" + seconds,
                        "-c:v",
                        "libx264",
                        "-preset",
                        "ultrafast",
                        "-crf",
                        "20",
                        "-pix_fmt",
                        "yuv420p",
                        "-c:a",
                        "aac",
                        "-shortest",
                        file.toString()),
                0,
                f -> {});
        return file;
    }

    /**
     * 320x180 at 25 fps, 10 s: 2 s moving pattern, 2 s black, 2 s one frame held, 2 s blurred, 2 s overexposed.
     */
    public static Path withFaults(Path file) throws IOException, InterruptedException {
        String s = "s=320x180:r=25";
        String graph = "testsrc2=" + s + ":d=2[a];color=c=black:" + s + ":d=2[b];"
                + "testsrc2=" + s + ":d=0.04,tpad=stop_mode=clone:stop_duration=2[c];"
                + "testsrc2=" + s + ":d=2,gblur=sigma=8[e];"
                + "testsrc2=" + s + ":d=2,eq=brightness=0.6[f];"
                + "[a][b][c][e][f]concat=n=5,format=yuv420p[v]";
        FfmpegRun.run(
                List.of(
                        "-filter_complex",
                        graph,
                        "-map",
                        "[v]",
                        "-c:v",
                        "libx264",
                        "-preset",
                        "ultrafast",
                        "-crf",
                        "18",
                        file.toString()),
                0,
                f -> {});
        return file;
    }

    private static Path encode(Path file, String source, List<String> codec) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("-f", "lavfi", "-i", source));
        args.addAll(codec);
        args.add(file.toString());
        FfmpegRun.run(args, 0, f -> {});
        return file;
    }
}
