package org.medsync.archive.anonymize;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import org.medsync.archive.jobs.JobHandler;

/** What the anonymize job reads from outside (ffprobe's answer, the job's JSON parameters) never crashes it. */
class AnonymizeParsersFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void probeOutputIsAVideoOrARefusal(String json) {
        try {
            Ffmpeg.Video v = Ffmpeg.parseProbe(json);
            assertTrue(v.width() > 0 && v.height() > 0 && v.durationSeconds() > 0 && v.bitrate() >= 0, "" + v);
        } catch (IOException e) {
            assertFalse(e.getMessage().isBlank());
        }
    }

    @FuzzTest(maxDuration = "10s")
    void jobParametersNameACopyOrFailTheJob(String params) {
        try {
            String id = AnonymizeHandler.copyId(params);
            assertTrue(!id.isBlank() && id.length() <= 100);
        } catch (JobHandler.JobFailure e) {
            assertFalse(e.getMessage().isBlank());
        }
    }
}
