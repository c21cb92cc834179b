package org.medsync.gateway.h264;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_MPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_I;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_NONE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.medsync.gateway.video.I420Picture;
import org.medsync.st2110.timing.FrameRate;
import org.medsync.st2110.video.VideoFormat;

/**
 * x264 through JavaCPP's FFmpeg, in this process: H.264 constrained baseline (no B-frames, CAVLC: what every WebRTC
 * browser decodes, in hardware where there is any), {@code tune=zerolatency} (no lookahead, no frame delay: one
 * frame in, its access unit out of the same call), parameter sets repeated before every keyframe so a viewer can
 * start at any one, no scene-cut keyframes (keyframes only by the GOP or on request). Not thread-safe: one flow's
 * thread owns it. A native failure here would take the JVM with it, so nothing but this class touches FFmpeg.
 */
public final class H264Encoder implements AutoCloseable {
    private static final int CLOCK = 90_000;
    /** Encoders open in this process: what "one encode per flow, whatever the number of viewers" is checked on. */
    private static final AtomicInteger OPEN = new AtomicInteger();

    static {
        // x264 prints its settings at INFO on stderr for every encoder opened.
        av_log_set_level(AV_LOG_ERROR);
    }

    private final AVCodecContext context;
    private final AVFrame frame;
    private final AVPacket packet;
    private final String level;
    private boolean keyframeWanted;
    private boolean closed;

    private H264Encoder(AVCodecContext context, AVFrame frame, AVPacket packet, String level) {
        this.context = context;
        this.frame = frame;
        this.packet = packet;
        this.level = level;
    }

    /**
     * Opens an encoder for pictures of {@code format}'s size at its rate.
     *
     * @throws EncoderException when this FFmpeg has no libx264 or refuses the settings
     */
    public static H264Encoder open(VideoFormat format, EncoderSettings s) throws EncoderException {
        AVCodec codec = avcodec_find_encoder_by_name("libx264");
        if (codec == null) {
            throw new EncoderException(EncoderException.Reason.NO_ENCODER, "this FFmpeg build has no libx264");
        }
        FrameRate rate = format.rate();
        double fps = (double) rate.numerator() / rate.denominator();
        int gop = (int) Math.max(1, Math.round(s.gopSeconds() * fps));
        String level = level(format.width(), format.height(), fps);
        AVCodecContext c = avcodec_alloc_context3(codec);
        c.width(format.width());
        c.height(format.height());
        c.pix_fmt(AV_PIX_FMT_YUV420P);
        c.time_base(av_make_q(1, CLOCK));
        c.framerate(av_make_q((int) rate.numerator(), (int) rate.denominator()));
        c.gop_size(gop);
        c.keyint_min(gop);
        c.max_b_frames(0);
        c.bit_rate(s.bitrateKbps() * 1000L);
        c.rc_max_rate(s.bitrateKbps() * 1000L);
        // Half a second of VBV: large enough for keyframes, small enough that a viewer's jitter buffer stays short.
        c.rc_buffer_size(s.bitrateKbps() * 500);
        c.thread_count(s.threads());
        c.color_range(AVCOL_RANGE_MPEG);
        int[] colour = colour(format.colorimetry());
        c.color_primaries(colour[0]);
        c.color_trc(colour[1]);
        c.colorspace(colour[2]);
        AVDictionary options = new AVDictionary(null);
        av_dict_set(options, "preset", s.preset(), 0);
        av_dict_set(options, "tune", "zerolatency", 0);
        av_dict_set(options, "profile", "baseline", 0);
        av_dict_set(options, "level", level, 0);
        av_dict_set(options, "forced-idr", "1", 0);
        av_dict_set(options, "x264-params", "scenecut=0:repeat-headers=1", 0);
        int r = avcodec_open2(c, codec, options);
        av_dict_free(options);
        if (r < 0) {
            avcodec_free_context(c);
            throw new EncoderException(
                    EncoderException.Reason.REFUSED, "libx264 refused " + format + " with " + s + ": " + text(r));
        }
        AVFrame f = av_frame_alloc();
        f.format(AV_PIX_FMT_YUV420P);
        f.width(format.width());
        f.height(format.height());
        r = av_frame_get_buffer(f, 0);
        if (r < 0) {
            av_frame_free(f);
            avcodec_free_context(c);
            throw new EncoderException(EncoderException.Reason.REFUSED, "no frame buffer: " + text(r));
        }
        OPEN.incrementAndGet();
        return new H264Encoder(c, f, av_packet_alloc(), level);
    }

    /** How many x264 encoders this process has open now. */
    public static int openEncoders() {
        return OPEN.get();
    }

    /**
     * The SDP fmtp of what this encoder sends (RFC 6184): constrained baseline (profile_idc 66 with
     * constraint_set0/1, {@code 42e0}) at the level of the picture size and rate, packetization-mode 1.
     */
    public String fmtp() {
        return fmtp(level);
    }

    /** What {@link #fmtp()} of an encoder opened for {@code format} says, without opening one. */
    public static String fmtp(VideoFormat format) {
        FrameRate rate = format.rate();
        return fmtp(level(format.width(), format.height(), (double) rate.numerator() / rate.denominator()));
    }

    private static String fmtp(String level) {
        int l = (int) Math.round(Double.parseDouble(level) * 10);
        return "profile-level-id=42e0%02x;packetization-mode=1;level-asymmetry-allowed=1".formatted(l);
    }

    /** The next picture given to {@link #encode} becomes an IDR picture (a new viewer starts there). */
    public void requestKeyframe() {
        keyframeWanted = true;
    }

    /**
     * Encodes one picture. With zerolatency and no B-frames the access unit comes out of this very call.
     *
     * @param pts 90 kHz, increasing
     * @return the access units that came out (normally exactly one)
     * @throws EncoderException when x264 fails
     */
    public List<EncodedFrame> encode(I420Picture picture, long pts) throws EncoderException {
        if (closed) {
            throw new IllegalStateException("encoder closed");
        }
        if (picture.width() != frame.width() || picture.height() != frame.height()) {
            throw new IllegalArgumentException("picture " + picture.width() + "x" + picture.height() + ", encoder "
                    + frame.width() + "x" + frame.height());
        }
        int r = av_frame_make_writable(frame);
        if (r < 0) {
            throw new EncoderException(EncoderException.Reason.FAILED, "frame not writable: " + text(r));
        }
        plane(frame.data(0), frame.linesize(0), picture.y(), picture.width(), picture.height());
        plane(frame.data(1), frame.linesize(1), picture.u(), picture.chromaWidth(), picture.chromaHeight());
        plane(frame.data(2), frame.linesize(2), picture.v(), picture.chromaWidth(), picture.chromaHeight());
        frame.pts(pts);
        frame.pict_type(keyframeWanted ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE);
        keyframeWanted = false;
        r = avcodec_send_frame(context, frame);
        if (r < 0) {
            throw new EncoderException(EncoderException.Reason.FAILED, "x264 took no frame: " + text(r));
        }
        List<EncodedFrame> out = new ArrayList<>(1);
        while (true) {
            r = avcodec_receive_packet(context, packet);
            if (r == AVERROR_EAGAIN() || r == AVERROR_EOF) {
                return out;
            }
            if (r < 0) {
                throw new EncoderException(EncoderException.Reason.FAILED, "x264 failed: " + text(r));
            }
            byte[] bytes = new byte[packet.size()];
            packet.data().get(bytes);
            out.add(new EncodedFrame(
                    packet.pts(), (packet.flags() & avcodec.AV_PKT_FLAG_KEY) != 0, AnnexB.split(bytes)));
            av_packet_unref(packet);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        OPEN.decrementAndGet();
        av_packet_free(packet);
        av_frame_free(frame);
        avcodec_free_context(context);
    }

    private static void plane(BytePointer dst, int stride, byte[] src, int width, int height) {
        for (int row = 0; row < height; row++) {
            dst.position((long) row * stride).put(src, row * width, width);
        }
    }

    /**
     * The lowest H.264 level (Table A-1) whose macroblock rate and frame size hold this format; the SDP must not
     * promise less than the stream needs.
     */
    static String level(int width, int height, double fps) {
        long mbs = (long) ((width + 15) / 16) * ((height + 15) / 16);
        double rate = mbs * fps;
        record Level(String name, long maxFrame, long maxRate) {}
        for (Level l : List.of(
                new Level("3.0", 1620, 40_500),
                new Level("3.1", 3600, 108_000),
                new Level("3.2", 5120, 216_000),
                new Level("4.0", 8192, 245_760),
                new Level("4.2", 8704, 522_240),
                new Level("5.0", 22_080, 589_824),
                new Level("5.1", 36_864, 983_040),
                new Level("5.2", 36_864, 2_073_600))) {
            if (mbs <= l.maxFrame() && rate <= l.maxRate()) {
                return l.name();
            }
        }
        return "5.2";
    }

    /** AVCOL_PRI_*, AVCOL_TRC_*, AVCOL_SPC_* of the flow's colorimetry (what the browser converts to RGB with). */
    private static int[] colour(VideoFormat.Colorimetry c) {
        return switch (c) {
            case BT601 ->
                new int[] {avutil.AVCOL_PRI_SMPTE170M, avutil.AVCOL_TRC_SMPTE170M, avutil.AVCOL_SPC_SMPTE170M};
            case BT709 -> new int[] {avutil.AVCOL_PRI_BT709, avutil.AVCOL_TRC_BT709, avutil.AVCOL_SPC_BT709};
            case BT2020 -> new int[] {avutil.AVCOL_PRI_BT2020, avutil.AVCOL_TRC_BT709, avutil.AVCOL_SPC_BT2020_NCL};
        };
    }

    private static String text(int error) {
        BytePointer b = new BytePointer(256);
        av_strerror(error, b, 256);
        return b.getString() + " (" + error + ")";
    }
}
