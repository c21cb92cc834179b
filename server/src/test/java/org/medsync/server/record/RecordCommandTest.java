package org.medsync.server.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.medsync.rtv.transmitter.Transmitter;
import org.medsync.server.cli.Main;
import org.medsync.st2110.timing.FrameRate;
import org.medsync.st2110.video.VideoFormat;
import picocli.CommandLine;

/**
 * {@code medsync record --sdp FILE --duration 3 --archive file:OUTBOX} against a real transmitter on loopback: the
 * recording is H.264 High 4:2:2 10-bit, 3 s long with the transmitter's frames, and its declared metadata is the
 * procedure of the PS3.22 flow.
 */
@Timeout(120)
class RecordCommandTest {
    // 720 lines is the smallest the transmitter paces; 10 fps keeps the 2-core build host out of the way.
    static final VideoFormat F = new VideoFormat(10, 1280, 720, new FrameRate(10, 1), VideoFormat.Colorimetry.BT709);

    @TempDir
    Path tmp;

    @Test
    void recordsAnRtvFlow_h264High422_10bit_withTheFlowsProcedure() throws Exception {
        Path outbox = tmp.resolve("outbox");
        Instant before = Instant.now();
        StringWriter err = new StringWriter();
        int code;
        try (Transmitter tx = RtvRecording.transmitter(F, RtvRecording.PROCEDURE)) {
            Path sdp = Files.writeString(tmp.resolve("endoscope.sdp"), tx.sdp());
            code = new CommandLine(new Main())
                    .setErr(new PrintWriter(err))
                    .execute(
                            "record",
                            "--sdp",
                            sdp.toString(),
                            "--duration",
                            "3",
                            "--archive",
                            outbox.toUri().toString(),
                            "--work-dir",
                            tmp.resolve("work").toString(),
                            "--preset",
                            "ultrafast");
        }
        Instant after = Instant.now();
        assertEquals(0, code, err.toString());
        List<Path> files;
        try (Stream<Path> s = Files.list(outbox)) {
            files = s.sorted().toList();
        }
        assertEquals(2, files.size(), files.toString());
        Path mp4 = files.stream()
                .filter(p -> p.toString().endsWith(".mp4"))
                .findFirst()
                .orElseThrow();
        Path json = files.stream()
                .filter(p -> p.toString().endsWith(".json"))
                .findFirst()
                .orElseThrow();

        JsonNode probe = RtvRecording.probe(mp4);
        JsonNode v = probe.get("streams").get(0);
        assertEquals("h264", v.get("codec_name").asText());
        assertEquals("High 4:2:2", v.get("profile").asText());
        assertEquals("yuv422p10le", v.get("pix_fmt").asText());
        assertEquals(1280, v.get("width").asInt());
        assertEquals(720, v.get("height").asInt());
        int frames = v.get("nb_read_frames").asInt();
        assertTrue(frames >= 27 && frames <= 33, "3 s at 10 fps, recorded " + frames + " frames");
        double seconds = probe.get("format").get("duration").asDouble();
        assertEquals(3.0, seconds, 0.35, "duration");

        Map<String, String> declared = new ObjectMapper().readValue(json.toFile(), new TypeReference<>() {});
        assertEquals(mp4.getFileName().toString(), declared.get("filename"));
        assertEquals(RecordingSink.sha256(mp4), declared.get("sha256"));
        assertEquals("DOE^JANE", declared.get("patientName"));
        assertEquals("PID-77", declared.get("patientId"));
        assertEquals("1.2.826.0.1.3680043.8.498.77", declared.get("studyUid"));
        assertEquals("ACC-2026-0042", declared.get("accession"));
        assertEquals("Laparoscopic cholecystectomy", declared.get("procedure"));
        assertEquals("HOUSE^GREGORY", declared.get("operator"));
        assertEquals("OR-3-ENDO", declared.get("operatingRoom"));
        Instant started = Instant.parse(declared.get("startedAt"));
        // the first frame's time: after the command began, and about 3 s (the recording) before it returned
        assertTrue(
                !started.isBefore(before) && started.isBefore(after.minus(Duration.ofMillis(2500))),
                "started " + started + ", command ran " + before + " to " + after);
        assertTrue(!declared.containsKey("hospital"), "the archive takes the device's hospital");
    }
}
