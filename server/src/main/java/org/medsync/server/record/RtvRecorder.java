package org.medsync.server.record;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.medsync.archive.media.FfmpegProgram;
import org.medsync.rtv.metadata.Dataset;
import org.medsync.rtv.metadata.Tags;
import org.medsync.rtv.receiver.ComposedFrame;
import org.medsync.st2110.video.VideoFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a receiver's composed frames ({@code Receiver.frames()}) into the archive: each procedure becomes one
 * recording, encoded as it goes by a {@link LiveEncoder}, finalized when the procedure ends and delivered to a
 * {@link RecordingSink} with the procedure's metadata from the PS3.22 flow. A procedure ends when the flow's Study
 * Instance UID or the composed format changes (the configurator set the OR up for the next procedure) or when the
 * recorder stops.
 *
 * <p>The output timeline is the RTP timeline: a frame the recorder missed (the publisher drops frames for a slow
 * subscriber) is replaced by repeating the previous one, up to half a second per gap, so the recording's duration
 * is the procedure's. Longer gaps mean the encoder does not keep up with the format: they are counted
 * ({@code framesLost}) and logged, and a faster preset is needed. Patient data is never logged.
 */
public final class RtvRecorder implements Flow.Subscriber<ComposedFrame>, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RtvRecorder.class);
    private static final DateTimeFormatter NAME_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /** A recording delivered (or kept, when delivery failed). */
    public record Recorded(
            Path file,
            RecordingMetadata metadata,
            long framesEncoded,
            long framesRepeated,
            long framesLost,
            Optional<RecordingSink.Delivery> delivery,
            Optional<String> failure) {}

    private final Path workDir;
    private final LiveEncoder.Settings settings;
    private final String hospital;
    private final String operatingRoom;
    private final RecordingSink sink;
    private final Clock clock;
    private final FfmpegProgram ffmpeg;
    private final ExecutorService delivering = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "recording-delivery");
        t.setDaemon(true);
        return t;
    });
    private final List<Future<Recorded>> deliveries = new ArrayList<>();
    private Flow.Subscription subscription;
    private Session session;
    private boolean closed;

    public RtvRecorder(
            Path workDir,
            LiveEncoder.Settings settings,
            String hospital,
            String operatingRoom,
            RecordingSink sink,
            Clock clock)
            throws IOException {
        this.workDir = Files.createDirectories(workDir);
        this.settings = settings;
        this.hospital = hospital;
        this.operatingRoom = operatingRoom;
        this.sink = sink;
        this.clock = clock;
        this.ffmpeg = FfmpegProgram.ffmpeg();
    }

    @Override
    public synchronized void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(Long.MAX_VALUE);
    }

    @Override
    public synchronized void onNext(ComposedFrame f) {
        if (closed) {
            return;
        }
        Optional<Dataset> meta =
                f.metadata().isEmpty() ? Optional.empty() : f.metadata().getFirst();
        String study = meta.map(d -> d.string(Tags.STUDY_INSTANCE_UID)).orElse("");
        try {
            if (session != null
                    && (!session.format.equals(f.format())
                            || (!study.isEmpty() && !session.study.isEmpty() && !study.equals(session.study)))) {
                endSession("the procedure changed");
            }
            if (session == null) {
                session = new Session(f.format(), Instant.now(clock));
            }
            session.add(f, meta, study);
        } catch (IOException | RuntimeException e) {
            log.error("Recording failed: {}", e.getMessage());
            if (session != null) {
                session.encoder.close();
                session = null;
            }
        }
    }

    @Override
    public void onError(Throwable t) {
        log.warn("The receiver's frames ended with an error: {}", t.toString());
        stop();
    }

    @Override
    public void onComplete() {
        stop();
    }

    /** Ends the current recording (if any) and hands it to the sink; recording goes on with the next frame. */
    public synchronized void split() {
        if (session != null) {
            endSession("split");
        }
    }

    /**
     * Stops recording: the current recording is finalized and delivered; returns every recording of this recorder
     * once all deliveries are done.
     */
    public List<Recorded> stop() {
        synchronized (this) {
            if (!closed) {
                closed = true;
                if (subscription != null) {
                    subscription.cancel();
                }
                if (session != null) {
                    endSession("recorder stopped");
                }
            }
        }
        List<Recorded> out = new ArrayList<>();
        List<Future<Recorded>> all;
        synchronized (this) {
            all = List.copyOf(deliveries);
        }
        for (Future<Recorded> d : all) {
            try {
                out.add(d.get());
            } catch (Exception e) {
                throw new IllegalStateException("delivering a recording failed: " + e.getMessage(), e);
            }
        }
        return out;
    }

    @Override
    public void close() {
        stop();
        delivering.shutdown();
        try {
            delivering.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void endSession(String why) {
        Session s = session;
        session = null;
        log.info(
                "Recording {} ends ({}): {} frames, {} repeated, {} lost",
                s.file.getFileName(),
                why,
                s.encoder.frames(),
                s.repeated,
                s.lost);
        deliveries.add(delivering.submit(() -> s.finishAndDeliver()));
    }

    /** One recording: one procedure, one format, one ffmpeg. */
    private final class Session {
        final VideoFormat format;
        final Instant startedAt;
        final Path file;
        final LiveEncoder encoder;
        final double ticksPerFrame;
        final long maxRepeat;
        String study = "";
        Dataset metadata;
        ByteBuffer last;
        long lastTs = -1;
        long repeated;
        long lost;

        Session(VideoFormat format, Instant startedAt) throws IOException {
            this.format = format;
            this.startedAt = startedAt;
            boolean master = settings.masterLive(format);
            this.file = workDir.resolve("rec-" + NAME_TIME.format(startedAt) + "-"
                    + UUID.randomUUID().toString().substring(0, 8) + (master ? ".mp4" : LiveEncoder.MEZZANINE_SUFFIX));
            this.encoder = LiveEncoder.start(ffmpeg, format, settings, master, file);
            this.ticksPerFrame =
                    90_000.0 * format.rate().denominator() / format.rate().numerator();
            this.maxRepeat =
                    Math.max(1, format.rate().numerator() / format.rate().denominator() / 2);
            log.info(
                    "Recording {}: {}x{} {}-bit 4:2:2 at {} fps, {}",
                    file.getFileName(),
                    format.width(),
                    format.height(),
                    format.depth(),
                    format.rate(),
                    master
                            ? "x264 " + settings.preset() + " CRF " + settings.crf()
                            : "FFV1 mezzanine (x264 " + settings.preset() + " does not keep up with this format here)");
        }

        void add(ComposedFrame f, Optional<Dataset> meta, String frameStudy) throws IOException {
            if (metadata == null && meta.isPresent()) {
                metadata = meta.get();
                study = frameStudy;
            }
            if (lastTs >= 0) {
                long missing = Math.round(((f.rtpTimestamp() - lastTs) & 0xFFFF_FFFFL) / ticksPerFrame) - 1;
                if (missing > 0) {
                    long fill = Math.min(missing, maxRepeat);
                    for (long i = 0; i < fill; i++) {
                        encoder.write(last);
                    }
                    repeated += fill;
                    if (missing > fill) {
                        lost += missing - fill;
                        log.warn(
                                "Recording {}: {} frames lost (the encoder is behind: use a faster preset)",
                                file.getFileName(),
                                missing - fill);
                    }
                }
            }
            ByteBuffer frame = f.frame();
            encoder.write(frame);
            last = frame;
            lastTs = f.rtpTimestamp();
        }

        Recorded finishAndDeliver() throws InterruptedException {
            RecordingMetadata m = RecordingMetadata.fromRtv(
                    metadata == null ? Dataset.EMPTY : metadata, hospital, operatingRoom, startedAt);
            try {
                encoder.finish();
                String sha = RecordingSink.sha256(file);
                RecordingSink.Delivery d = sink.deliver(file, sha, m);
                log.info("Recording {} delivered as {} ({} bytes)", file.getFileName(), d.id(), d.bytes());
                return new Recorded(file, m, encoder.frames(), repeated, lost, Optional.of(d), Optional.empty());
            } catch (IOException e) {
                log.error("Recording {} not delivered, kept in {}: {}", file.getFileName(), workDir, e.getMessage());
                return new Recorded(
                        file, m, encoder.frames(), repeated, lost, Optional.empty(), Optional.of(e.getMessage()));
            }
        }
    }
}
