package org.medsync.rtv.ffmpeg;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.medsync.rtv.transmitter.TestPatternSource;
import org.medsync.rtv.transmitter.VideoSource;
import org.medsync.rtv.video.BitmapFont;
import org.medsync.rtv.video.FrameStamp;
import org.medsync.rtv.video.Raster;
import org.medsync.st2110.video.VideoFormat;

/**
 * Frames from anything FFmpeg opens (a file, or a V4L2 device such as {@code /dev/video0}, which is
 * opened with the {@code video4linux2} input format), decoded through JavaCV, scaled by swscale to the
 * configured size as packed 8-bit 4:2:2 ({@code AV_PIX_FMT_UYVY422}) and packed into pgroups: 8 bit is
 * copied as is (UYVY = the 8-bit pgroup), 10 bit widens each sample by {@code << 2} into 5-byte pgroups.
 * Frames are sent in decode order, one per {@link #fill}; at end of file the input is reopened (loop).
 * The frame's RTP timestamp is stamped at (16, 16) like the other sources.
 *
 * <p>An input whose native size or frame rate differs from the configured format is still scaled and
 * sent, and {@link #mismatch()} reports it (the transmitter raises an alert). Opening failures throw
 * {@link FfmpegSourceException} naming the input; a decoding failure later is reported through
 * {@link #mismatch()} and a grey "DECODE ERROR" frame is sent.
 */
public final class FfmpegVideoSource implements VideoSource {

    /** Relative frame rate difference tolerated before reporting a mismatch (59.94 vs 60 is a mismatch). */
    private static final double RATE_TOLERANCE = 1e-4;

    static {
        // FFmpeg's own stderr chatter would interleave with ours; errors surface as exceptions instead.
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }

    private final String input;
    private final VideoFormat format;
    private final String inputFormat;
    private final String formatProblem;
    private FFmpegFrameGrabber grabber;
    private String decodeProblem;
    private long framesDecoded;
    private int loops;
    private final int nativeWidth;
    private final int nativeHeight;
    private final double nativeRate;

    /**
     * Opens {@code input} (a path; {@code /dev/video*} is opened as V4L2) for {@code format}.
     *
     * @throws FfmpegSourceException when FFmpeg cannot open it or it has no video stream
     */
    public FfmpegVideoSource(String input, VideoFormat format) {
        this(input, input.startsWith("/dev/video") ? "video4linux2" : null, format);
    }

    /**
     * Opens {@code input} with an explicit FFmpeg input format ({@code null}: probe).
     *
     * @throws FfmpegSourceException when FFmpeg cannot open it or it has no video stream
     */
    public FfmpegVideoSource(String input, String inputFormat, VideoFormat format) {
        this.input = Objects.requireNonNull(input, "input");
        this.format = Objects.requireNonNull(format, "format");
        this.inputFormat = inputFormat;
        this.grabber = open();
        this.nativeWidth = grabber.getImageWidth();
        this.nativeHeight = grabber.getImageHeight();
        this.nativeRate = grabber.getVideoFrameRate() > 0 ? grabber.getVideoFrameRate() : grabber.getFrameRate();
        configureOutput(grabber);
        this.formatProblem = compare();
    }

    private FFmpegFrameGrabber open() {
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(input);
        if (inputFormat != null) {
            g.setFormat(inputFormat);
            if ("video4linux2".equals(inputFormat)) {
                // ask the device for our size and rate; it may still pick another one (then: mismatch)
                g.setImageWidth(format.width());
                g.setImageHeight(format.height());
                g.setFrameRate(
                        format.rate().numerator() / (double) format.rate().denominator());
            }
        }
        try {
            g.start();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            release(g);
            throw new FfmpegSourceException("FFmpeg cannot open " + input + ": " + e.getMessage(), e);
        }
        if (g.getVideoStream() < 0 || g.getImageWidth() <= 0 || g.getImageHeight() <= 0) {
            release(g);
            throw new FfmpegSourceException("FFmpeg found no video stream in " + input);
        }
        return g;
    }

    private void configureOutput(FFmpegFrameGrabber g) {
        // processImage() reads these per frame and (re)builds its swscale context from them
        g.setImageWidth(format.width());
        g.setImageHeight(format.height());
        g.setPixelFormat(avutil.AV_PIX_FMT_UYVY422);
    }

    private String compare() {
        StringBuilder why = new StringBuilder();
        if (nativeWidth != format.width() || nativeHeight != format.height()) {
            why.append("size ")
                    .append(nativeWidth)
                    .append('x')
                    .append(nativeHeight)
                    .append(", configured ")
                    .append(format.width())
                    .append('x')
                    .append(format.height());
        }
        double configured = format.rate().numerator() / (double) format.rate().denominator();
        if (!(nativeRate > 0) || Math.abs(nativeRate - configured) > configured * RATE_TOLERANCE) {
            if (!why.isEmpty()) {
                why.append("; ");
            }
            why.append(String.format(Locale.ROOT, "frame rate %.3f, configured %.3f", nativeRate, configured));
        }
        return why.isEmpty() ? null : input + ": " + why;
    }

    /** The input's own size and rate, as FFmpeg reported them when opening. */
    public int nativeWidth() {
        return nativeWidth;
    }

    public int nativeHeight() {
        return nativeHeight;
    }

    public double nativeFrameRate() {
        return nativeRate;
    }

    /** Frames decoded so far (over all loops). */
    public long framesDecoded() {
        return framesDecoded;
    }

    /** How many times the input was reopened at its end. */
    public int loops() {
        return loops;
    }

    @Override
    public String describe() {
        return "ffmpeg " + input;
    }

    @Override
    public Optional<String> mismatch() {
        if (decodeProblem != null) {
            return Optional.of(formatProblem == null ? decodeProblem : formatProblem + "; " + decodeProblem);
        }
        return Optional.ofNullable(formatProblem);
    }

    @Override
    public void fill(long index, long rtpTimestamp, long taiNanos, ByteBuffer frame) {
        boolean ok = false;
        try {
            Frame f = next();
            if (f != null) {
                pack(f, frame);
                ok = true;
                decodeProblem = null;
            }
        } catch (FrameGrabber.Exception | RuntimeException e) {
            decodeProblem = "FFmpeg cannot decode " + input + ": " + e.getMessage();
        }
        if (!ok) {
            Raster.fill(frame, format, 0, 0, format.width(), format.height(), 400, Raster.NEUTRAL, Raster.NEUTRAL);
            BitmapFont.draw(frame, format, 16, format.height() / 2, "DECODE ERROR", 4, true);
        }
        Raster.fill(
                frame,
                format,
                TestPatternSource.STAMP_X - 4,
                TestPatternSource.STAMP_Y - 4,
                FrameStamp.WIDTH + 8,
                FrameStamp.CELL + 8,
                Raster.BLACK,
                Raster.NEUTRAL,
                Raster.NEUTRAL);
        FrameStamp.burn(frame, format, TestPatternSource.STAMP_X, TestPatternSource.STAMP_Y, rtpTimestamp);
    }

    /** The next decoded picture, reopening the input once at its end; null when there is none. */
    private Frame next() throws FrameGrabber.Exception {
        if (grabber == null) {
            grabber = open();
            configureOutput(grabber);
        }
        Frame f = grabber.grabImage();
        if (f == null) {
            release(grabber);
            grabber = null;
            grabber = open();
            configureOutput(grabber);
            loops++;
            f = grabber.grabImage();
            if (f == null) {
                decodeProblem = input + ": no decodable picture";
            }
        }
        if (f != null) {
            framesDecoded++;
        }
        return f;
    }

    /** Copies a UYVY422 picture of the configured size into pgroups (8 bit) or widens it to 10-bit pgroups. */
    private void pack(Frame f, ByteBuffer frame) {
        if (f.imageWidth != format.width()
                || f.imageHeight != format.height()
                || f.image == null
                || f.image.length == 0) {
            throw new IllegalStateException("swscale gave " + f.imageWidth + "x" + f.imageHeight + ", wanted "
                    + format.width() + "x" + format.height());
        }
        ByteBuffer src = ((ByteBuffer) f.image[0]).duplicate();
        int stride = f.imageStride; // in bytes for 8-bit depth images
        int srcLine = format.width() * 2;
        int lineBytes = format.lineBytes();
        byte[] line = new byte[srcLine];
        byte[] out = format.depth() == 10 ? new byte[lineBytes] : null;
        int base = 0; // frames are addressed from 0, as Raster does
        for (int y = 0; y < format.height(); y++) {
            src.position(y * stride);
            src.get(line, 0, srcLine);
            int at = base + y * lineBytes;
            if (out == null) {
                frame.put(at, line, 0, srcLine);
            } else {
                for (int i = 0, o = 0; i < srcLine; i += 4, o += 5) {
                    int cb = (line[i] & 0xFF) << 2;
                    int y0 = (line[i + 1] & 0xFF) << 2;
                    int cr = (line[i + 2] & 0xFF) << 2;
                    int y1 = (line[i + 3] & 0xFF) << 2;
                    out[o] = (byte) (cb >>> 2);
                    out[o + 1] = (byte) ((cb & 0x3) << 6 | y0 >>> 4);
                    out[o + 2] = (byte) ((y0 & 0xF) << 4 | cr >>> 6);
                    out[o + 3] = (byte) ((cr & 0x3F) << 2 | y1 >>> 8);
                    out[o + 4] = (byte) y1;
                }
                frame.put(at, out, 0, lineBytes);
            }
        }
    }

    private static void release(FFmpegFrameGrabber g) {
        try {
            g.close();
        } catch (FrameGrabber.Exception | RuntimeException ignored) {
            // closing after a failure: nothing more to report
        }
    }

    @Override
    public void close() {
        if (grabber != null) {
            release(grabber);
            grabber = null;
        }
    }
}
