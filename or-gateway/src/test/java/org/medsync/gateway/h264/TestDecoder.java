package org.medsync.gateway.h264;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/** FFmpeg's own H.264 decoder: an independent check that what we send is a stream a decoder shows. */
public final class TestDecoder implements AutoCloseable {
    /** A decoded picture's luma plane (width x height, tightly packed) and its pts. */
    public record Luma(long pts, int width, int height, byte[] y) {
        public int at(int x, int row) {
            return y[row * width + x] & 0xFF;
        }
    }

    private final AVCodecContext context;
    private final AVPacket packet = av_packet_alloc();
    private final AVFrame frame = av_frame_alloc();

    public TestDecoder() {
        context = avcodec_alloc_context3(avcodec_find_decoder(AV_CODEC_ID_H264));
        if (avcodec_open2(context, avcodec_find_decoder(AV_CODEC_ID_H264), (AVDictionary) null) < 0) {
            throw new IllegalStateException("no H.264 decoder");
        }
    }

    /** Decodes one access unit given as NAL units; returns the pictures that came out. */
    public List<Luma> decode(List<ByteBuffer> nals, long pts) {
        ByteArrayOutputStream annexB = new ByteArrayOutputStream();
        for (ByteBuffer n : nals) {
            annexB.writeBytes(new byte[] {0, 0, 0, 1});
            byte[] b = new byte[n.remaining()];
            n.duplicate().get(b);
            annexB.writeBytes(b);
        }
        byte[] bytes = annexB.toByteArray();
        av_new_packet(packet, bytes.length);
        packet.data().put(bytes);
        packet.pts(pts);
        List<Luma> out = new ArrayList<>();
        if (avcodec_send_packet(context, packet) < 0) {
            av_packet_unref(packet);
            return out;
        }
        av_packet_unref(packet);
        while (avcodec_receive_frame(context, frame) == 0) {
            int w = frame.width();
            int h = frame.height();
            byte[] y = new byte[w * h];
            for (int row = 0; row < h; row++) {
                frame.data(0).position((long) row * frame.linesize(0)).get(y, row * w, w);
            }
            out.add(new Luma(frame.pts(), w, h, y));
        }
        return out;
    }

    /** The FrameStamp (rtv's 32 cells of 8 pixels at 16,16) read from 8-bit luma, or -1 when absent. */
    public static long stamp(Luma l) {
        int cy = 16 + 4;
        if (l.at(16 + 4, cy) < 180 || l.at(16 + 33 * 8 + 4, cy) > 60) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < 32; i++) {
            v = v << 1 | (l.at(16 + (i + 1) * 8 + 4, cy) > 126 ? 1 : 0);
        }
        return v;
    }

    @Override
    public void close() {
        av_packet_free(packet);
        av_frame_free(frame);
        avcodec_free_context(context);
    }
}
