package org.medsync.archive.capacity;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** A query string from anyone's browser gives an answer or a message, never another exception. */
class StorageQuestionFuzzTest {
    private static final RateTable TABLE = RateTable.shipped();
    private static final String[] NAMES = StorageQuestion.KEYS.toArray(String[]::new);

    @FuzzTest(maxDuration = "10s")
    void answersOrSaysWhy(byte[] data) {
        Map<String, String> params = new HashMap<>();
        String text = new String(data, StandardCharsets.ISO_8859_1);
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                String name = pair.substring(0, eq);
                params.put(name.length() == 1 ? NAMES[name.charAt(0) % NAMES.length] : name, pair.substring(eq + 1));
            }
        }
        try {
            StorageQuestion q = StorageQuestion.parse(params, TABLE);
            assertTrue(q.model().plateauBytes() > 0 && Double.isFinite(q.model().plateauBytes()));
            assertTrue(q.model().curve(q.horizonYears()).size() > 1);
        } catch (IllegalArgumentException e) {
            assertFalse(e.getMessage().isBlank());
        }
    }
}
