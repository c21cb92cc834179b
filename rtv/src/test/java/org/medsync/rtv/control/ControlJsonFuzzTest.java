package org.medsync.rtv.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Any request body a control port receives: the JSON reader either parses it or throws JsonException, and
 * what it parses writes back to text that parses to the same value; the three body parsers behind it
 * (TransmitterConfig, ReceiverConfig, DICOM JSON) refuse with only the exceptions the control server turns
 * into 400s. Regression mode (plain surefire) runs the seeds; JAZZER_FUZZ=1 fuzzes (scripts/fuzz).
 */
class ControlJsonFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void anyText_parsesOrIsRefused_andWritesBackTheSame(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        Object v;
        try {
            v = Json.parse(text);
        } catch (Json.JsonException refused) {
            return;
        }
        assertEquals(v, Json.parse(Json.write(v)));
    }

    @FuzzTest(maxDuration = "10s")
    void anyBody_isAppliedOrRefusedWithA400(byte[] data) throws Exception {
        String body = new String(data, StandardCharsets.UTF_8);
        refusedCleanly(() -> TransmitterControl.config(body));
        refusedCleanly(() -> ReceiverControl.config(body, (url, flow) -> {
            throw new ControlServer.Refused(400, "bad-sdp", "not fetched while fuzzing: " + url);
        }));
        refusedCleanly(() -> DicomJson.toDataset(Json.parse(body)));
    }

    @FunctionalInterface
    interface Parse {
        Object run() throws Exception;
    }

    /** JsonException, IllegalArgumentException and Refused are the 400s of ControlServer; anything else is a bug. */
    static void refusedCleanly(Parse p) throws Exception {
        try {
            p.run();
        } catch (Json.JsonException | IllegalArgumentException | ControlServer.Refused expected) {
            // a 400 with a message
        }
    }
}
