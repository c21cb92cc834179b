package org.medsync.rtv.e2e;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.medsync.rtv.metadata.Dataset;
import org.medsync.rtv.metadata.RtvMeta;
import org.medsync.rtv.receiver.Receiver;
import org.medsync.rtv.transmitter.TestPatternSource;
import org.medsync.rtv.transmitter.TransmitterConfig;
import org.medsync.st2110.timing.FrameClock;
import org.medsync.st2110.timing.FrameRate;
import org.medsync.st2110.timing.MediaClock;
import org.medsync.st2110.video.VideoFormat;
import org.medsync.st2110.video.VideoFrame;

/**
 * What the ST 2022-7 tests share: a redundant transmitter's config, and a check of every frame the receiver
 * reassembled against the test pattern the transmitter rendered for that RTP timestamp (bit-exact).
 */
final class RedundantFlow {

    // 5 fps, as TwoSourcesEndToEndTest: the build host is two busy cores; the merge does not depend on the rate
    static final VideoFormat F = new VideoFormat(10, 1280, 720, new FrameRate(5, 1), VideoFormat.Colorimetry.BT709);
    static final String LABEL = "REDUNDANT";

    private RedundantFlow() {}

    static TransmitterConfig config(int video1, int meta1, int video2, int meta2) {
        return new TransmitterConfig(
                F,
                new TransmitterConfig.Endpoint("127.0.0.1", video1),
                new TransmitterConfig.Endpoint("127.0.0.1", meta1),
                1,
                RtvMeta.VIDEO_ENDOSCOPIC_IMAGE_RTC,
                Dataset.EMPTY,
                Optional.of(new TransmitterConfig.Redundancy(
                        new TransmitterConfig.Endpoint("127.0.0.1", video2),
                        new TransmitterConfig.Endpoint("127.0.0.1", meta2),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty())));
    }

    /** Records every reassembled frame and whether it equals what the transmitter rendered for its timestamp. */
    static final class Frames implements BiConsumer<Integer, VideoFrame> {
        private final MediaClock clock;
        private final FrameClock frameClock = FrameClock.video(F.rate());
        private final TestPatternSource pattern = new TestPatternSource(LABEL, F);
        private final ByteBuffer expected = ByteBuffer.allocate(F.frameBytes());
        private final List<Long> timestamps = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();

        Frames(MediaClock clock) {
            this.clock = clock;
        }

        @Override
        public synchronized void accept(Integer flow, VideoFrame f) {
            timestamps.add(f.rtpTimestamp());
            if (!f.complete()) {
                problems.add("incomplete frame " + f.rtpTimestamp());
                return;
            }
            long now = frameClock.frameAtOrBefore(clock.taiNanos());
            for (long n = now + 2; n > now - 100; n--) {
                if (frameClock.rtpTimestamp(n) == f.rtpTimestamp()) {
                    pattern.fill(n, f.rtpTimestamp(), frameClock.alignmentNanos(n), expected.clear());
                    if (!expected.clear().equals(f.data())) {
                        problems.add("frame " + f.rtpTimestamp() + " differs from what was sent");
                    }
                    return;
                }
            }
            problems.add("frame " + f.rtpTimestamp() + " is no frame of the last 100");
        }

        synchronized int count() {
            return timestamps.size();
        }

        /** Problems: frames broken or different from the sent ones. */
        synchronized List<String> problems() {
            return List.copyOf(problems);
        }

        /** Frame timestamps missing between the first and the last received frame. */
        synchronized long missing() {
            long step = FrameClock.VIDEO_CLOCK_RATE
                    * F.rate().denominator()
                    / F.rate().numerator();
            long missing = 0;
            for (int i = 1; i < timestamps.size(); i++) {
                long d = (timestamps.get(i) - timestamps.get(i - 1)) & 0xFFFF_FFFFL;
                missing += d / step - 1;
            }
            return missing;
        }
    }

    static Optional<Receiver.Alert> pathDown(Receiver rx, String path) {
        return rx.status().alerts().stream()
                .filter(a -> a.code().equals(Receiver.PATH_DOWN) && a.message().contains(": the " + path + " path ("))
                .findFirst();
    }

    static void await(BooleanSupplier condition, long timeoutMs, String what) throws InterruptedException {
        long end = System.nanoTime() + timeoutMs * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }
}
