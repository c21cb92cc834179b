package org.medsync.archive.fixity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A fixity batch's parameters name blobs or are refused with what is wrong; nothing else. */
class FixityParamsFuzzTest {
    private static final String A = "a".repeat(64);
    private static final String B = "0123456789abcdef".repeat(4);

    @FuzzTest(maxDuration = "10s")
    void paramsNameBlobsOrAreRefused(String params) {
        try {
            List<String> blobs = FixityHandler.parse(params);
            assertTrue(blobs.stream().allMatch(b -> b.matches("[0-9a-f]{64}")));
        } catch (IllegalArgumentException e) {
            assertFalse(e.getMessage().isBlank());
        }
    }

    @Test
    void aBatchRoundTrips() {
        assertEquals(List.of(A, B), FixityHandler.parse(FixityHandler.params(List.of(A, B))));
    }

    @Test
    void garbage_isRefusedPrecisely() {
        assertEquals(
                "params are not JSON",
                assertThrows(IllegalArgumentException.class, () -> FixityHandler.parse("{"))
                        .getMessage());
        assertEquals(
                "params need a \"blobs\" array",
                assertThrows(IllegalArgumentException.class, () -> FixityHandler.parse("{\"blobs\":3}"))
                        .getMessage());
        assertEquals(
                "blob 1 is not a SHA-256 in lower-case hex",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> FixityHandler.parse("{\"blobs\":[\"" + A + "\",\"../etc/passwd\"]}"))
                        .getMessage());
    }
}
