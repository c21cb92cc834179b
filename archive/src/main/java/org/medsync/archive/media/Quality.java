package org.medsync.archive.media;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Full-reference quality of encoded outputs against their source, with FFmpeg's psnr and ssim filters: the source
 * scaled (bicubic) to each output's size and converted to its pixel format, so a 360-line rung is judged as a
 * 360-line picture. All outputs are measured in one ffmpeg run, decoding the source once.
 */
public final class Quality {
    private static final Pattern PSNR = Pattern.compile("\\[psnr@q(\\d+) @ [^]]+] PSNR .*? average:(\\S+)");
    private static final Pattern SSIM = Pattern.compile("\\[ssim@q(\\d+) @ [^]]+] SSIM .*? All:(\\S+)");

    /** An output to judge: a file (or HLS playlist) FFmpeg reads, its size and pixel format. */
    public record Target(Path file, int width, int height, String pixelFormat) {}

    /**
     * The averages over all frames. PSNR is in dB over Y, U and V (FFmpeg's "average"; +Infinity for identical
     * pictures); SSIM is FFmpeg's "All" (0..1).
     */
    public record Score(double psnr, double ssim) {}

    private Quality() {}

    public static List<Score> measure(
            Path source, double durationSeconds, List<Target> targets, DoubleConsumer progress)
            throws IOException, InterruptedException {
        if (targets.isEmpty()) {
            return List.of();
        }
        List<String> args = new ArrayList<>(List.of("-i", source.toString()));
        for (Target t : targets) {
            args.addAll(List.of("-i", t.file().toString()));
        }
        StringBuilder graph = new StringBuilder("[0:v:0]split=" + targets.size());
        for (int i = 0; i < targets.size(); i++) {
            graph.append("[s").append(i).append(']');
        }
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            // Both sides start at 0 in the same time base: an HLS rung's first timestamp is not the source's.
            graph.append(String.format(
                    Locale.ROOT,
                    ";[s%1$d]scale=%2$d:%3$d:flags=bicubic,format=%4$s,setpts=PTS-STARTPTS,settb=AVTB,split[r%1$da][r%1$db]"
                            + ";[%5$d:v:0]format=%4$s,setpts=PTS-STARTPTS,settb=AVTB,split[d%1$da][d%1$db]"
                            + ";[d%1$da][r%1$da]psnr@q%1$d[o%1$dp];[d%1$db][r%1$db]ssim@q%1$d[o%1$ds]",
                    i,
                    t.width(),
                    t.height(),
                    t.pixelFormat(),
                    i + 1));
        }
        args.addAll(List.of("-filter_complex", graph.toString()));
        for (int i = 0; i < targets.size(); i++) {
            // Every filter output must go somewhere: the null muxer discards the frames once measured.
            args.addAll(List.of("-map", "[o" + i + "p]", "-map", "[o" + i + "s]"));
        }
        args.addAll(List.of("-f", "null", "-"));
        String log = FfmpegRun.run(args, durationSeconds, progress);
        return parse(log, targets.size());
    }

    /** The scores of {@code count} targets from ffmpeg's log. */
    static List<Score> parse(String log, int count) throws IOException {
        double[] psnr = new double[count];
        double[] ssim = new double[count];
        Arrays.fill(psnr, Double.NaN);
        Arrays.fill(ssim, Double.NaN);
        Matcher m = PSNR.matcher(log);
        while (m.find()) {
            int i = Integer.parseInt(m.group(1));
            if (i < count) {
                psnr[i] = number(m.group(2));
            }
        }
        m = SSIM.matcher(log);
        while (m.find()) {
            int i = Integer.parseInt(m.group(1));
            if (i < count) {
                ssim[i] = number(m.group(2));
            }
        }
        List<Score> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (Double.isNaN(psnr[i]) || Double.isNaN(ssim[i])) {
                throw new IOException("ffmpeg printed no PSNR or SSIM for output " + i + " (no frames compared?)");
            }
            out.add(new Score(psnr[i], ssim[i]));
        }
        return out;
    }

    private static double number(String s) {
        return s.equals("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(s);
    }
}
