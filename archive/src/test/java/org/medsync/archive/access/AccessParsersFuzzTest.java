package org.medsync.archive.access;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The parsers of what a client sends to the recordings routes refuse garbage with a message and never crash. */
class AccessParsersFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void rangeHeaderYieldsARangeInsideTheObjectOrNone(FuzzedDataProvider data) {
        long size = data.consumeLong(0, 1L << 40);
        String header = data.consumeRemainingAsString();
        if (ByteRange.parse(header, size) instanceof ByteRange.Partial(ByteRange r)) {
            assertTrue(r.start() >= 0 && r.length() > 0 && r.end() < size, header + " over " + size + ": " + r);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void searchParametersParseOrAreRefusedWithAMessage(FuzzedDataProvider data) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        int keys = data.consumeInt(0, 4);
        for (int i = 0; i < keys; i++) {
            String key = data.pickValue(List.of(
                    "patient",
                    "procedure",
                    "room",
                    "surgeon",
                    "from",
                    "to",
                    "study",
                    "status",
                    "limit",
                    "offset",
                    data.consumeString(8)));
            List<String> values = new ArrayList<>();
            int n = data.consumeInt(1, 2);
            for (int j = 0; j < n; j++) {
                values.add(data.consumeString(40));
            }
            query.put(key, values);
        }
        try {
            RecordingSearch s = RecordingSearch.parse(query);
            assertTrue(s.limit() >= 1 && s.offset() >= 0);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
        }
    }
}
