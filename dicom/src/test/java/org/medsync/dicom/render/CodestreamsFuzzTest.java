package org.medsync.dicom.render;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer target for the codestream header reader, which reads compressed frames of uploaded files. Under plain
 * surefire it replays src/test/resources/.../CodestreamsFuzzTestInputs; with JAZZER_FUZZ=1 it fuzzes for
 * maxDuration. Nothing may escape, and a size it reads is positive and fits the 32-bit fields of a header.
 */
class CodestreamsFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void size_neverThrows_andIsPositiveAndFitsAHeader(byte[] data) {
        Codestreams.Size size = Codestreams.size(data);
        if (size != null) {
            assertTrue(size.width() >= 1 && size.height() >= 1, size.toString());
            assertTrue(size.width() <= 0xFFFFFFFFL && size.height() <= 0xFFFFFFFFL, size.toString());
        }
    }
}
