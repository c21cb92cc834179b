package org.medsync.rtv.receiver;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.medsync.rtv.metadata.Dataset;
import org.medsync.rtv.metadata.Tags;
import org.medsync.rtv.video.BitmapFont;
import org.medsync.rtv.video.Raster;
import org.medsync.st2110.video.VideoFormat;

/**
 * Side-by-side mosaic of frames of equal RTP timestamp, and the metadata text in one of the nine
 * zones of a 3x3 grid (1 top-left, 2 top-centre, ..., 9 bottom-right).
 */
public final class Compositor {

    private Compositor() {}

    /** The mosaic format: widths added, the tallest height, the first flow's depth, rate and colorimetry. */
    public static VideoFormat mosaic(List<VideoFormat> inputs) {
        int w = 0;
        int h = 0;
        for (VideoFormat f : inputs) {
            w += f.width();
            h = Math.max(h, f.height());
        }
        VideoFormat first = inputs.getFirst();
        return new VideoFormat(first.depth(), w, h, first.rate(), first.colorimetry());
    }

    /** Frames (null = nothing to show: black) side by side into a new buffer. */
    public static ByteBuffer compose(VideoFormat out, List<VideoFormat> inputs, List<ByteBuffer> frames) {
        ByteBuffer f = ByteBuffer.allocate(out.frameBytes());
        int x = 0;
        for (int i = 0; i < inputs.size(); i++) {
            VideoFormat in = inputs.get(i);
            if (frames.get(i) != null) {
                Raster.blit(frames.get(i), in, f, out, x);
                if (in.height() < out.height()) {
                    Raster.fill(
                            f,
                            out,
                            x,
                            in.height(),
                            in.width(),
                            out.height() - in.height(),
                            Raster.BLACK,
                            Raster.NEUTRAL,
                            Raster.NEUTRAL);
                }
            } else {
                Raster.fill(f, out, x, 0, in.width(), out.height(), Raster.BLACK, Raster.NEUTRAL, Raster.NEUTRAL);
            }
            x += in.width();
        }
        return f;
    }

    /** "Keyword: value" lines for the attributes present in the metadata. */
    public static List<String> lines(Optional<Dataset> metadata, List<Integer> attributes) {
        List<String> out = new ArrayList<>();
        if (metadata.isEmpty()) {
            out.add("NO DICOM METADATA YET");
            return out;
        }
        for (int tag : attributes) {
            if (metadata.get().contains(tag)) {
                out.add(Tags.keyword(tag) + ": " + metadata.get().display(tag));
            }
        }
        return out;
    }

    /** Draws the lines in zone 1..9 of the frame. */
    public static void overlay(ByteBuffer f, VideoFormat fmt, int zone, List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        int scale = Math.max(2, fmt.height() / 360 & ~1);
        int lineH = BitmapFont.height(scale) + 2 * scale;
        int bw = 0;
        for (String l : lines) {
            bw = Math.max(bw, BitmapFont.width(l, scale));
        }
        int bh = lines.size() * lineH;
        int margin = 4 * scale;
        int col = (zone - 1) % 3;
        int row = (zone - 1) / 3;
        int x = col == 0 ? margin : col == 1 ? (fmt.width() - bw) / 2 : fmt.width() - bw - margin;
        int y = row == 0 ? margin : row == 1 ? (fmt.height() - bh) / 2 : fmt.height() - bh - margin;
        x = Math.max(0, x) & ~1;
        y = Math.max(0, y);
        for (int i = 0; i < lines.size(); i++) {
            BitmapFont.draw(f, fmt, x, y + i * lineH, lines.get(i), scale, true);
        }
    }

    /** The pixel rectangle {x, y, w, h} of zone 1..9 in a frame of this size. */
    public static int[] zoneRect(int zone, int width, int height) {
        int col = (zone - 1) % 3;
        int row = (zone - 1) / 3;
        return new int[] {col * width / 3, row * height / 3, width / 3, height / 3};
    }
}
