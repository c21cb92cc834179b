package org.medsync.rtv.annotation;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import org.medsync.rtv.video.BitmapFont;
import org.medsync.rtv.video.Raster;
import org.medsync.st2110.video.VideoFormat;

/**
 * The "remote annotations" layer of a receiver: strokes a remote expert drew, drawn over every composed frame until
 * they expire or are cleared. Each stroke is outlined in dark grey and labelled "REMOTE &lt;ROLE&gt;" at its first
 * point, so that nobody in the OR mistakes it for the picture or for a local marking. A stroke sent again with the
 * same id replaces the earlier one (a stroke grows while the expert draws). Thread-safe; drawing costs nothing when
 * the layer is empty.
 */
public final class RemoteAnnotations {

    /** Beyond this the oldest stroke goes: a runaway client cannot make every frame expensive to compose. */
    public static final int MAX_STROKES = 64;

    /** A stroke and when it leaves the screen (nanos of the clock). */
    public record Shown(Stroke stroke, long expiresAtNanos) {}

    private final LongSupplier nanos;
    private final Map<String, Shown> strokes = new LinkedHashMap<>();
    private volatile boolean empty = true;

    public RemoteAnnotations(LongSupplier nanos) {
        this.nanos = nanos;
    }

    /** Shows the stroke for {@code ttl} from now, replacing a stroke of the same id. */
    public synchronized void put(Stroke s, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("a stroke is shown for a positive time");
        }
        strokes.remove(s.id());
        strokes.put(s.id(), new Shown(s, nanos.getAsLong() + ttl.toNanos()));
        Iterator<String> oldest = strokes.keySet().iterator();
        while (strokes.size() > MAX_STROKES) {
            oldest.next();
            oldest.remove();
        }
        empty = false;
    }

    /** Removes one stroke; false when none of that id is shown. */
    public synchronized boolean remove(String id) {
        return strokes.remove(id) != null;
    }

    /** Removes every stroke; returns how many were shown. */
    public synchronized int clear() {
        int n = current().size();
        strokes.clear();
        empty = true;
        return n;
    }

    /** The strokes shown now, oldest first (expired ones dropped). */
    public synchronized List<Shown> current() {
        long now = nanos.getAsLong();
        strokes.values().removeIf(s -> now - s.expiresAtNanos() >= 0);
        empty = strokes.isEmpty();
        return List.copyOf(strokes.values());
    }

    /** Draws the strokes shown now over a composed frame. */
    public void draw(ByteBuffer f, VideoFormat fmt) {
        if (empty) {
            return;
        }
        List<Shown> shown = current();
        List<int[]> labels = new ArrayList<>();
        for (Shown s : shown) {
            Stroke k = s.stroke();
            int t = Math.max(2, (int) Math.round(k.width() * fmt.height()));
            int[] ycc = ycbcr(k.rgb());
            polyline(f, fmt, k, t + 4, new int[] {200, Raster.NEUTRAL, Raster.NEUTRAL});
            polyline(f, fmt, k, t, ycc);
            Stroke.Point p = k.points().getFirst();
            labels.add(new int[] {
                (int) Math.round(p.x() * (fmt.width() - 1)), (int) Math.round(p.y() * (fmt.height() - 1))
            });
        }
        // labels last: no stroke hides another's label
        int scale = Math.max(2, fmt.height() / 360 & ~1);
        for (int i = 0; i < shown.size(); i++) {
            String label = "REMOTE " + shown.get(i).stroke().author().toUpperCase(Locale.ROOT);
            int x = Math.min(labels.get(i)[0] + 3 * scale, fmt.width() - BitmapFont.width(label, scale) - scale);
            int y = labels.get(i)[1] - BitmapFont.height(scale) - 3 * scale;
            if (y < scale) {
                y = labels.get(i)[1] + 3 * scale;
            }
            BitmapFont.draw(
                    f,
                    fmt,
                    Math.max(scale, x) & ~1,
                    Math.min(y, fmt.height() - BitmapFont.height(scale)),
                    label,
                    scale,
                    true);
        }
    }

    /** Squares of side {@code t} along each segment, half a side apart: a line of that thickness. */
    private static void polyline(ByteBuffer f, VideoFormat fmt, Stroke k, int t, int[] ycc) {
        List<Stroke.Point> ps = k.points();
        double w = fmt.width() - 1;
        double h = fmt.height() - 1;
        double step = Math.max(1, t / 2.0);
        double px = ps.getFirst().x() * w;
        double py = ps.getFirst().y() * h;
        square(f, fmt, px, py, t, ycc);
        for (int i = 1; i < ps.size(); i++) {
            double qx = ps.get(i).x() * w;
            double qy = ps.get(i).y() * h;
            int n = (int) Math.ceil(Math.hypot(qx - px, qy - py) / step);
            for (int j = 1; j <= n; j++) {
                square(f, fmt, px + (qx - px) * j / n, py + (qy - py) * j / n, t, ycc);
            }
            px = qx;
            py = qy;
        }
    }

    private static void square(ByteBuffer f, VideoFormat fmt, double cx, double cy, int t, int[] ycc) {
        Raster.fill(
                f, fmt, (int) Math.round(cx - t / 2.0), (int) Math.round(cy - t / 2.0), t, t, ycc[0], ycc[1], ycc[2]);
    }

    /** BT.709 narrow range, 10 bit: {Y, Cb, Cr}. */
    public static int[] ycbcr(int rgb) {
        double r = (rgb >> 16 & 0xFF) / 255.0;
        double g = (rgb >> 8 & 0xFF) / 255.0;
        double b = (rgb & 0xFF) / 255.0;
        double y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        double cb = (b - y) / 1.8556;
        double cr = (r - y) / 1.5748;
        return new int[] {
            (int) Math.round(64 + 876 * y), (int) Math.round(512 + 896 * cb), (int) Math.round(512 + 896 * cr)
        };
    }
}
