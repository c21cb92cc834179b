package org.medsync.archive.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StorageQuestionTest {
    private static final RateTable TABLE = RateTable.shipped();

    @Test
    void noParametersAskThePapersQuestion() {
        StorageQuestion q = StorageQuestion.parse(Map.of(), TABLE);
        assertEquals(PaperCheck.model(), q.model());
        assertEquals(RateTable.PAPER, q.preset().id());
        assertEquals(58, q.horizonYears());
    }

    @Test
    void aHospitalsOwnInputs() {
        StorageQuestion q = StorageQuestion.parse(
                Map.of(
                        "hospitals", "1",
                        "ors", "12",
                        "surgeriesPerDay", "2",
                        "hoursPerDay", "6",
                        "preset", "x265-fast-crf23",
                        "years", "20",
                        "copies", "2",
                        "encrypted", "true",
                        "horizon", "30"),
                TABLE);
        assertEquals(180, q.model().minutesPerSurgery(), 1e-9);
        assertEquals(0.8867, q.model().megabitsPerSecond(), 1e-4);
        assertEquals(2, q.model().copies());
        assertTrue(q.model().encrypted());
        assertEquals(30, q.horizonYears());
        // 12 ORs x 6 h x 0.399 GB/h x 2 copies, plus 16 B a 64 KiB chunk.
        assertEquals(12 * 6 * 0.399 * 2, q.model().dailyBytesPerHospital() / 1e9, 0.05);
        assertEquals(
                4.0, StorageQuestion.parse(Map.of("rate", "4"), TABLE).model().megabitsPerSecond());
    }

    @Test
    void rejectsWhatAFormCannotMean() {
        expect(Map.of("hospital", "1"), "unknown parameter");
        expect(Map.of("rate", "NaN"), "rate: expected a number");
        expect(Map.of("rate", "1e3"), "rate: expected a number");
        expect(Map.of("rate", "0"), "rate must be a positive");
        expect(Map.of("ors", "-1"), "ors: expected a whole number");
        expect(Map.of("ors", "9999999999"), "ors: expected a whole number");
        expect(Map.of("preset", "av1"), "unknown preset");
        expect(Map.of("preset", "paper-h264-6m", "rate", "6"), "not both");
        expect(Map.of("minutes", "60", "hoursPerDay", "6"), "not both");
        expect(Map.of("encrypted", "yes"), "encrypted");
        expect(Map.of("horizon", "0"), "horizon");
        expect(Map.of("years", "1".repeat(41)), "at most 40");
    }

    private static void expect(Map<String, String> params, String inMessage) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> StorageQuestion.parse(params, TABLE));
        assertTrue(e.getMessage().contains(inMessage), e.getMessage());
    }
}
