package org.medsync.rtv.transmitter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;
import org.medsync.rtv.video.BitmapFont;
import org.medsync.rtv.video.FrameStamp;
import org.medsync.rtv.video.Raster;
import org.medsync.rtv.video.Y4m;
import org.medsync.st2110.video.VideoFormat;

/**
 * Frames from a 4:2:2 Y4M file (8 or 10 bit, planar), looped, packed into pgroups; the frame's RTP
 * timestamp is stamped at (16, 16) like the test pattern. A file whose size or rate differs from
 * the configured format is an alert: we then send a grey "FORMAT MISMATCH" frame instead of
 * guessing. A depth difference is converted (and still reported).
 */
public final class Y4mSource implements VideoSource {

    private final Path file;
    private final VideoFormat format;
    private InputStream in;
    private Y4m.Header header;
    private byte[] scratch;
    private String problem;

    public Y4mSource(Path file, VideoFormat format) {
        this.file = file;
        this.format = format;
        try {
            open();
            problem = header.mismatch(format)
                    .map(m -> file.getFileName() + ": " + m)
                    .orElse(null);
        } catch (IOException e) {
            problem = file.getFileName() + ": " + e.getMessage();
        }
    }

    private void open() throws IOException {
        if (in != null) {
            in.close();
        }
        in = Y4m.open(file);
        header = Y4m.readHeader(in);
        if (scratch == null) {
            scratch = new byte[header.frameBytes()];
        }
    }

    @Override
    public String describe() {
        return "y4m " + file.getFileName();
    }

    @Override
    public Optional<String> mismatch() {
        return Optional.ofNullable(problem);
    }

    private boolean sizeOrRateWrong() {
        return header == null
                || header.width() != format.width()
                || header.height() != format.height()
                || !header.rate().equals(format.rate());
    }

    @Override
    public void fill(long index, long rtpTimestamp, long taiNanos, ByteBuffer frame) {
        boolean ok = false;
        if (!sizeOrRateWrong()) {
            try {
                ok = Y4m.readFrame(in, header, scratch, frame, format);
                if (!ok) {
                    open(); // loop
                    ok = Y4m.readFrame(in, header, scratch, frame, format);
                }
            } catch (IOException e) {
                problem = file.getFileName() + ": " + e.getMessage();
            }
        }
        if (!ok) {
            Raster.fill(frame, format, 0, 0, format.width(), format.height(), 400, Raster.NEUTRAL, Raster.NEUTRAL);
            BitmapFont.draw(frame, format, 16, format.height() / 2, "FORMAT MISMATCH", 4, true);
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

    @Override
    public void close() {
        try {
            if (in != null) {
                in.close();
            }
        } catch (IOException ignored) {
            // closing a read-only file
        }
    }
}
