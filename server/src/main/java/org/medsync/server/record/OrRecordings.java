package org.medsync.server.record;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.medsync.server.or.FlowSdp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's recordings of OR flows into the archive, started and stopped by people (the route
 * {@code /api/archive/or-recordings}): at most one per flow of an OR. Each runs an {@link OrFlowRecorder} that
 * delivers every procedure as a recording owned by whoever started it. Stopping the node stops them all, each
 * finalized and delivered.
 */
public final class OrRecordings implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OrRecordings.class);

    /** A recording in progress. */
    public record Active(String or, String flow, String hospital, String startedBy, Instant since) {}

    /** What a stopped recording delivered: the archive's recording ids, and the failures (files kept). */
    public record Stopped(Active active, List<String> recordings, List<String> failures) {}

    /** The flow to record: the OR's name (the room declared) and where the flow's SDP is (a file or an http URL). */
    public record Source(String orId, String orName, String flow, String sdp) {}

    private final Path workDir;
    private final OrFlowRecorder.Settings settings;
    private final Function<String, RecordingSink> sinkFor;
    private final Clock clock;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final Map<String, Running> running = new LinkedHashMap<>();

    private record Running(Active active, OrFlowRecorder recorder) {}

    /**
     * @param sinkFor where a user's recordings go (the archive of this node, owned by that user)
     */
    public OrRecordings(
            Path workDir, OrFlowRecorder.Settings settings, Function<String, RecordingSink> sinkFor, Clock clock) {
        this.workDir = workDir;
        this.settings = settings;
        this.sinkFor = sinkFor;
        this.clock = clock;
    }

    /**
     * Starts recording a flow for a hospital.
     *
     * @throws IllegalStateException when the flow is being recorded already
     * @throws IOException when the flow's SDP cannot be read
     * @throws IllegalArgumentException when the SDP is no RTV flow
     */
    public synchronized Active start(Source source, String hospital, String user) throws IOException {
        String key = key(source.orId(), source.flow());
        Running r = running.get(key);
        if (r != null) {
            throw new IllegalStateException(
                    "flow " + source.flow() + " of " + source.orId() + " is being recorded" + " since "
                            + r.active().since() + " (started by " + r.active().startedBy() + ")");
        }
        String sdp = FlowSdp.read(http, source.sdp());
        Active active = new Active(source.orId(), source.flow(), hospital, user, clock.instant());
        OrFlowRecorder recorder = OrFlowRecorder.start(
                source.orId() + "-" + source.flow(),
                sdp,
                hospital,
                source.orName(),
                sinkFor.apply(user),
                workDir.resolve(source.orId()).resolve(source.flow()),
                settings,
                clock);
        running.put(key, new Running(active, recorder));
        log.info(
                "Recording flow {} of OR {} for hospital {} (started by {})",
                source.flow(),
                source.orId(),
                hospital,
                user);
        return active;
    }

    /** Stops recording a flow; empty when it was not being recorded. Waits for the last recording's delivery. */
    public Optional<Stopped> stop(String orId, String flow) {
        Running r;
        synchronized (this) {
            r = running.remove(key(orId, flow));
        }
        if (r == null) {
            return Optional.empty();
        }
        List<String> ids = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (RtvRecorder.Recorded rec : r.recorder().stop()) {
            rec.delivery().ifPresent(d -> ids.add(d.id()));
            rec.failure().ifPresent(failures::add);
        }
        log.info(
                "Recording flow {} of OR {} stopped: {} recordings delivered, {} kept",
                flow,
                orId,
                ids.size(),
                failures.size());
        return Optional.of(new Stopped(r.active(), List.copyOf(ids), List.copyOf(failures)));
    }

    public synchronized List<Active> active() {
        return running.values().stream().map(Running::active).toList();
    }

    public synchronized Optional<Active> active(String orId, String flow) {
        return Optional.ofNullable(running.get(key(orId, flow))).map(Running::active);
    }

    @Override
    public void close() {
        for (Active a : active()) {
            stop(a.or(), a.flow());
        }
    }

    private static String key(String orId, String flow) {
        return orId + "\n" + flow;
    }
}
