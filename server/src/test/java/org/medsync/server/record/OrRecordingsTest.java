package org.medsync.server.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.medsync.archive.catalog.Hospital;
import org.medsync.archive.catalog.Hospitals;
import org.medsync.archive.catalog.Recording;
import org.medsync.archive.catalog.Recordings;
import org.medsync.archive.keys.LocalKeyFile;
import org.medsync.archive.store.FileObjectStore;
import org.medsync.archive.vault.Vault;
import org.medsync.library.database.Database;
import org.medsync.rtv.transmitter.Transmitter;

/**
 * An OR's flow recorded into the archive from the server (what {@code POST /api/archive/or-recordings} runs): a real
 * RTV transmitter on loopback (test pattern and a PS3.22 metadata flow declaring the procedure), the flow's SDP in a
 * file as the OR configuration names it, the node's archive on an embedded PostgreSQL with encryption at rest. The
 * recording lands in the archive encoded (H.264 High 4:2:2), declared with the flow's procedure and the OR's name,
 * owned by whoever started it, and queued for its transcode.
 */
@Timeout(180)
class OrRecordingsTest {
    @Test
    void anOrFlow_isRecordedIntoTheArchive_withTheProceduresMetadata() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "medsync-or-recordings-");
        try (Database db = Database.start(Database.Settings.embedded(dir.resolve("pg"), 0));
                Vault vault = new Vault(
                        db.dataSource(),
                        new FileObjectStore(dir.resolve("objects")),
                        new LocalKeyFile(dir.resolve("keys/archive.keys")),
                        dir.resolve("scratch"));
                Transmitter tx = RtvRecording.transmitter(RecordCommandTest.F, RtvRecording.PROCEDURE)) {
            new Hospitals(db.dataSource())
                    .save(new Hospital("north", "North", Hospital.MasterPolicy.KEEP, 45, List.of()));
            Recordings recordings = new Recordings(db.dataSource());
            List<Recording> queued = new ArrayList<>();
            Path sdp = Files.writeString(dir.resolve("endoscope.sdp"), tx.sdp());
            OrRecordings.Stopped stopped;
            try (OrRecordings ors = new OrRecordings(
                    dir.resolve("work"),
                    new OrFlowRecorder.Settings(new LiveEncoder.Settings("ultrafast", 23, 1), 200, "lo"),
                    user -> new LocalArchiveSink(vault, recordings, user, null, queued::add),
                    Clock.systemUTC())) {
                OrRecordings.Source source = new OrRecordings.Source("or-3", "OR 3", "endoscope", sdp.toString());
                OrRecordings.Active active = ors.start(source, "north", "grey");
                assertEquals(List.of(active), ors.active());
                assertThrows(IllegalStateException.class, () -> ors.start(source, "north", "house"));
                Thread.sleep(3000);
                stopped = ors.stop("or-3", "endoscope").orElseThrow();
                assertTrue(ors.active().isEmpty());
                assertTrue(ors.stop("or-3", "endoscope").isEmpty(), "stopped once");
            }
            assertEquals(List.of(), stopped.failures());
            assertEquals(1, stopped.recordings().size(), stopped.toString());
            Recording r = recordings.find(stopped.recordings().getFirst()).orElseThrow();
            assertEquals(List.of(r.id()), queued.stream().map(Recording::id).toList());
            assertEquals("north", r.hospitalId());
            assertEquals("OR 3", r.operatingRoom());
            assertEquals("grey", r.owner());
            assertEquals("1.2.826.0.1.3680043.8.498.77", r.studyUid());
            assertEquals("ACC-2026-0042", r.accession());
            assertEquals("Laparoscopic cholecystectomy", r.procedure());
            assertEquals("PID-77", r.patientId());
            Path copy = dir.resolve("copy.mp4");
            try (InputStream in = vault.open(r.sourceObject(), 0, -1)) {
                Files.copy(in, copy);
            }
            var probe = RtvRecording.probe(copy).get("streams").get(0);
            assertEquals("h264", probe.get("codec_name").asText());
            assertEquals("High 4:2:2", probe.get("profile").asText());
            assertEquals(1280, probe.get("width").asInt());
            assertTrue(probe.get("nb_read_frames").asInt() >= 10, probe.toString());
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
