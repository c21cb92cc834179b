package org.medsync.archive.media;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.ffmpeg;
import org.bytedeco.ffmpeg.ffprobe;
import org.bytedeco.javacpp.Loader;

/**
 * The ffmpeg and ffprobe programs of the FFmpeg build MedSync ships (JavaCPP's GPL build: x264, x265), so every
 * machine encodes with the same FFmpeg, whatever its own packages hold. The programs are extracted from the jar into
 * JavaCPP's cache once; their libraries lie beside them but the programs do not find all of them by themselves
 * (libavutil needs libva beside it), so every process gets that directory on LD_LIBRARY_PATH.
 */
public final class FfmpegProgram {
    private final Path program;

    private FfmpegProgram(Path program) {
        this.program = program;
    }

    /** The ffmpeg program, extracted on first use. */
    public static FfmpegProgram ffmpeg() throws IOException {
        return new FfmpegProgram(extract(ffmpeg.class));
    }

    /** The ffprobe program, extracted on first use. */
    public static FfmpegProgram ffprobe() throws IOException {
        return new FfmpegProgram(extract(ffprobe.class));
    }

    public Path path() {
        return program;
    }

    /** A process builder for this program with these arguments, its libraries found. */
    public ProcessBuilder command(List<String> arguments) {
        List<String> command = new ArrayList<>(arguments.size() + 1);
        command.add(program.toString());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command);
        String libraries = program.getParent().toString();
        String inherited = builder.environment().get("LD_LIBRARY_PATH");
        builder.environment()
                .put(
                        "LD_LIBRARY_PATH",
                        inherited == null || inherited.isEmpty() ? libraries : libraries + ":" + inherited);
        return builder;
    }

    private static Path extract(Class<?> presets) throws IOException {
        try {
            String path = Loader.load(presets);
            if (path == null) {
                throw new IOException("the FFmpeg build has no program for " + presets.getSimpleName());
            }
            return Path.of(path);
        } catch (UnsatisfiedLinkError e) {
            throw new IOException(
                    "cannot extract FFmpeg's " + presets.getSimpleName() + " program: " + e.getMessage(), e);
        }
    }
}
