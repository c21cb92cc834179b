package org.medsync.archive.pacs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The reading of a PACS's STOW-RS answer (PS3.18 JSON from outside): any bytes give a verdict and a reason text,
 * never an exception; under plain surefire the fuzz target replays its seed inputs.
 */
class StowAnswerFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void anyAnswer_givesAVerdict_neverAnException(byte[] answer) {
        StowClient.failedSop(answer);
        assertNotNull(StowClient.failureReason(answer));
    }

    @Test
    void orthancsEmptyFailedSequence_isSuccess_aListedFailure_isNot() {
        byte[] ok = """
                {"00081190":{"vr":"UR","Value":["http://pacs/studies/1"]},"00081198":{"vr":"SQ"},
                 "00081199":{"vr":"SQ","Value":[{"00081150":{"vr":"UI","Value":["1.2"]}}]}}""".getBytes(StandardCharsets.UTF_8);
        byte[] failed = """
                {"00081198":{"vr":"SQ","Value":[{"00081197":{"vr":"US","Value":[49442]}}]}}""".getBytes(StandardCharsets.UTF_8);
        assertFalse(StowClient.failedSop(ok));
        assertTrue(StowClient.failedSop(failed));
        assertEquals(" (Failure Reason 49442)", StowClient.failureReason(failed));
        assertTrue(StowClient.failedSop("<html>".getBytes(StandardCharsets.UTF_8)));
        assertTrue(StowClient.failedSop("[]".getBytes(StandardCharsets.UTF_8)));
        assertTrue(StowClient.failedSop("{\"00081198\":{\"Value\":\"x\"}}".getBytes(StandardCharsets.UTF_8)));
    }
}
