package org.medsync.server.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.medsync.rtv.metadata.DataElement;
import org.medsync.rtv.metadata.Tags;
import org.medsync.rtv.metadata.Vr;
import org.medsync.rtv.receiver.FlowDescription;
import org.medsync.rtv.receiver.Receiver;
import org.medsync.rtv.receiver.ReceiverConfig;
import org.medsync.rtv.transmitter.Transmitter;
import org.medsync.rtv.transmitter.TransmitterConfig;
import org.medsync.st2110.timing.SystemMediaClock;

/**
 * The OR receiver's recorder ({@code rtv rx --record-to}): when the configurator sets the transmitter up for the next
 * procedure (a new Study Instance UID in its metadata flow), the first procedure's recording is finalized and
 * delivered and the next one begins, each with its own procedure's metadata.
 */
@Timeout(120)
class RtvRecorderTest {
    @TempDir
    Path tmp;

    @Test
    void aNewProcedureOnTheFlow_endsOneRecordingAndStartsTheNext() throws Exception {
        OutboxSink outbox = new OutboxSink(tmp.resolve("outbox"));
        List<RtvRecorder.Recorded> recorded;
        try (Transmitter tx = RtvRecording.transmitter(RecordCommandTest.F, RtvRecording.PROCEDURE);
                Receiver rx = new Receiver("OR monitor", new SystemMediaClock(), "lo")) {
            rx.configure(new ReceiverConfig(
                    List.of(FlowDescription.parse(tx.sdp())),
                    ReceiverConfig.SIDE_BY_SIDE,
                    7,
                    List.of(Tags.PATIENT_NAME),
                    200));
            RtvRecorder recorder = new RtvRecorder(
                    tmp.resolve("work"),
                    new LiveEncoder.Settings("ultrafast", 23, 1),
                    "or-hospital",
                    "",
                    outbox,
                    Clock.systemUTC());
            rx.frames().subscribe(recorder);
            Thread.sleep(2500);
            TransmitterConfig first = tx.config().orElseThrow();
            tx.configure(new TransmitterConfig(
                    first.video(),
                    first.videoDestination(),
                    first.metadataDestination(),
                    first.ttl(),
                    first.sopClassUid(),
                    RtvRecording.PROCEDURE.with(
                            DataElement.text(Tags.PATIENT_ID, Vr.LO, "PID-78"),
                            DataElement.text(Tags.STUDY_INSTANCE_UID, Vr.UI, "1.2.826.0.1.3680043.8.498.78"),
                            DataElement.text(Tags.STUDY_DESCRIPTION, Vr.LO, "Appendectomy"))));
            Thread.sleep(2500);
            recorded = recorder.stop();
            recorder.close();
        }
        assertEquals(2, recorded.size(), recorded.toString());
        RecordingMetadata a = recorded.get(0).metadata();
        RecordingMetadata b = recorded.get(1).metadata();
        assertEquals("1.2.826.0.1.3680043.8.498.77", a.studyUid());
        assertEquals("PID-77", a.patientId());
        assertEquals("Laparoscopic cholecystectomy", a.procedure());
        assertEquals("1.2.826.0.1.3680043.8.498.78", b.studyUid());
        assertEquals("PID-78", b.patientId());
        assertEquals("Appendectomy", b.procedure());
        assertEquals("or-hospital", a.hospital());
        assertTrue(b.startedAt().isAfter(a.startedAt()));
        for (RtvRecorder.Recorded r : recorded) {
            assertTrue(r.delivery().isPresent(), r.failure().orElse(""));
            assertTrue(r.framesEncoded() >= 10, "frames " + r.framesEncoded());
            var probe = RtvRecording.probe(outbox.directory().resolve(r.file().getFileName()));
            assertEquals(
                    "High 4:2:2", probe.get("streams").get(0).get("profile").asText());
        }
    }
}
