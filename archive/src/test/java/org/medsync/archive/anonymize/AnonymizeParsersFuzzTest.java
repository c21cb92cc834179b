package org.medsync.archive.anonymize;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.medsync.archive.jobs.JobHandler;

/** The anonymize job's JSON parameters never crash it (media.ProbeFuzzTest covers ffprobe's answer). */
class AnonymizeParsersFuzzTest {
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
