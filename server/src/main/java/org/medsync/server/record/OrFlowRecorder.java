package org.medsync.server.record;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.medsync.rtv.receiver.FlowDescription;
import org.medsync.rtv.receiver.Receiver;
import org.medsync.rtv.receiver.ReceiverConfig;
import org.medsync.st2110.timing.SystemMediaClock;

/**
 * Records one flow of an operating room (an RTV flow by its SDP, as the OR gateway shows it) into the archive from
 * inside a MedSync node: a receiver of its own subscribes to the flow and an {@link RtvRecorder} encodes its frames
 * as they arrive (the archival master: H.264 High 4:2:2, the flow's depth kept) and delivers each procedure with its
 * PS3.22 metadata to a {@link RecordingSink}. The picture is recorded clean (no overlay), as the gateway sends it.
 *
 * <p>Why not the gateway's own H.264: the gateway encodes once per flow for viewers (constrained baseline, 8-bit
 * 4:2:0, zero latency), which is a viewing copy, not a diagnostic master; the recorder encodes the flow once more,
 * for the archive, at the quality a master must keep (docs/archive.md "Recording an OR's flow").
 */
public final class OrFlowRecorder implements AutoCloseable {
    /**
     * @param latencyMs the recorder's playout latency: it can wait longer for late packets than a live view
     */
    public record Settings(LiveEncoder.Settings encoder, int latencyMs, String multicastInterface) {
        public static final Settings DEFAULT = new Settings(LiveEncoder.Settings.DEFAULT, 200, "lo");

        public Settings {
            Objects.requireNonNull(encoder, "encoder");
            Objects.requireNonNull(multicastInterface, "multicastInterface");
        }
    }

    private final Receiver receiver;
    private final RtvRecorder recorder;

    private OrFlowRecorder(Receiver receiver, RtvRecorder recorder) {
        this.receiver = receiver;
        this.recorder = recorder;
    }

    /**
     * Starts recording the flow {@code sdp} describes.
     *
     * @param operatingRoom the room the recordings are declared for (the OR's name)
     * @throws IllegalArgumentException when the SDP is no RTV flow the receiver takes (its message says why)
     */
    public static OrFlowRecorder start(
            String name,
            String sdp,
            String hospital,
            String operatingRoom,
            RecordingSink sink,
            Path workDir,
            Settings settings,
            Clock clock)
            throws IOException {
        FlowDescription flow = FlowDescription.parse(sdp);
        RtvRecorder recorder = new RtvRecorder(workDir, settings.encoder(), hospital, operatingRoom, sink, clock);
        Receiver receiver = new Receiver("record-" + name, new SystemMediaClock(), settings.multicastInterface());
        try {
            receiver.configure(
                    new ReceiverConfig(List.of(flow), ReceiverConfig.SIDE_BY_SIDE, 9, List.of(), settings.latencyMs()));
            receiver.frames().subscribe(recorder);
            return new OrFlowRecorder(receiver, recorder);
        } catch (IOException | RuntimeException e) {
            receiver.close();
            recorder.close();
            throw e;
        }
    }

    /** Stops: the recording in progress is finalized and delivered; returns every recording made. */
    public List<RtvRecorder.Recorded> stop() {
        receiver.close();
        List<RtvRecorder.Recorded> recorded = recorder.stop();
        recorder.close();
        return recorded;
    }

    @Override
    public void close() {
        stop();
    }
}
