package org.medsync.archive.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class StorageModelTest {
    private static final double GB = 1e9;
    private static final double GIB = 1L << 30;
    private static final double TIB = 1L << 40;
    private static final double PIB = 1L << 50;

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static StorageModel binaryReading() {
        return new StorageModel(
                951, 8, 3.2, PaperCheck.impliedMinutesIfBinary(), 6, PaperCheck.retentionYears(), 1, false);
    }

    @Test
    void sixMegabitsASecondIsTwoPointSevenGigabytesAnHour() {
        assertEquals(2.7, RateTable.shipped().require(RateTable.PAPER).gigabytesPerHour(), 1e-12);
    }

    /** 189.8 GB a day is 25.6 surgeries of 164.8 min at 6 Mb/s; the paper states no duration. */
    @Test
    void paperDayNeedsSurgeriesOfAboutTwoHoursFortyFive() {
        assertEquals(164.76, PaperCheck.impliedMinutes(), 0.01);
        assertEquals(176.91, PaperCheck.impliedMinutesIfBinary(), 0.01);
        StorageModel m = PaperCheck.model();
        assertEquals(189.8, m.dailyBytesPerHospital() / GB, 1e-9);
        assertEquals(70.30, m.recordedHoursPerHospitalPerDay(), 0.01);
    }

    /** The paper's 67.7 TB and 62.9 PB are its decimal figures divided by 1024 at each step. */
    @Test
    void paperYearFiguresAreBinaryDivisionsOfDecimalOnes() {
        StorageModel decimal = PaperCheck.model();
        assertEquals(69.3, round1(decimal.yearlyBytesPerHospital() / 1e12));
        assertEquals(65.9, round1(decimal.yearlyBytes() / 1e15));

        // Read as GiB a day, the chain is TiB and PiB: the year matches, Poland only through the rounded 67.7.
        StorageModel binary = binaryReading();
        assertEquals(189.8, binary.dailyBytesPerHospital() / GIB, 1e-9);
        assertEquals(67.7, round1(binary.yearlyBytesPerHospital() / TIB));
        assertEquals(62.8, round1(binary.yearlyBytes() / PIB));
        assertEquals(62.9, round1(67.7 * 951 / 1024));
        // 365.25 days would also give 62.9, but the model (and the paper's 189.8 x 365) uses 365.
        assertEquals(62.9, round1(189.8 * 365.25 / 1024 * 951 / 1024));
    }

    @Test
    void retentionIsLifeExpectancyMinusAgePlusTwenty() {
        assertEquals(38.13, PaperCheck.retentionYears(), 1e-9);
    }

    /** Stored volume levels off at yearly x retention: 62.9 x 38.13 = 2398.4 PB, not the paper's 2325.3. */
    @Test
    void paperPeakIsThreePercentShortOfYearlyTimesRetention() {
        assertEquals(2398.4, round1(62.9 * 38.13));
        assertEquals(36.97, PaperCheck.PAPER_PB_BEFORE_DELETION / PaperCheck.PAPER_PB_PER_YEAR, 0.01);
        assertEquals(2512.1, round1(PaperCheck.model().plateauBytes() / 1e15));
        assertEquals(2395.7, round1(binaryReading().plateauBytes() / PIB));
        assertNotEquals(
                PaperCheck.PAPER_PB_BEFORE_DELETION, round1(binaryReading().plateauBytes() / PIB));
    }

    @Test
    void paperCheckFlagsTheThreeFiguresThatDoNotFollow() {
        List<PaperCheck.Row> rows = PaperCheck.rows();
        assertEquals(
                List.of("189.8 GB", "67.7 TB", "62.9 PB", "38.13 years", "2325.3 PB"),
                rows.stream().map(PaperCheck.Row::paper).toList());
        assertEquals(
                List.of(true, false, false, true, false),
                rows.stream().map(PaperCheck.Row::agrees).toList());
        assertTrue(rows.get(0).recomputed().contains("164.8 min"), rows.get(0).recomputed());
        assertTrue(rows.get(1).recomputed().contains("69.3 TB"), rows.get(1).recomputed());
        assertTrue(rows.get(2).recomputed().contains("65.9 PB"), rows.get(2).recomputed());
        assertTrue(rows.get(2).recomputed().contains("62.87"), rows.get(2).recomputed());
        assertTrue(rows.get(4).recomputed().contains("2398.4 PB"), rows.get(4).recomputed());
        assertTrue(rows.get(4).why().contains("36.97 years"), rows.get(4).why());
    }

    @Test
    void storedVolumeGrowsLinearlyThenLevelsOffWhenDeletionStarts() {
        StorageModel m = new StorageModel(1, 8, 3, 120, 6, 10.5, 1, false);
        double year = m.yearlyBytes();
        assertEquals(8 * 3 * 2 * 2.7e9 * 365, year, 1.0);
        assertEquals(4 * year, m.storedBytesAfter(4), 1.0);
        assertEquals(10.5 * year, m.storedBytesAfter(10.5), 1.0);
        assertEquals(m.plateauBytes(), m.storedBytesAfter(40));
        List<StorageModel.Point> curve = m.curve(15);
        assertEquals(17, curve.size());
        assertEquals(new StorageModel.Point(10.5, m.plateauBytes()), curve.get(11));
        assertTrue(curve.get(10).bytes() < curve.get(11).bytes());
        assertEquals(curve.get(12).bytes(), curve.get(16).bytes());
        assertEquals(0, curve.get(0).bytes());
    }

    @Test
    void copiesMultiplyAndEncryptionAddsATagPerChunk() {
        StorageModel plain = new StorageModel(2, 4, 2, 60, 6, 20, 1, false);
        StorageModel twice = new StorageModel(2, 4, 2, 60, 6, 20, 2, false);
        StorageModel sealed = new StorageModel(2, 4, 2, 60, 6, 20, 1, true);
        assertEquals(2 * plain.plateauBytes(), twice.plateauBytes(), 1.0);
        double video = 2.7e9; // one hour at 6 Mb/s
        assertEquals(video, plain.storedBytesPerSurgery());
        assertEquals(
                video + Math.ceil(video / 65536) * 16 + StorageModel.ENCRYPTION_HEADER_BYTES,
                sealed.storedBytesPerSurgery());
        assertEquals(16.0 / 65536, sealed.yearlyBytes() / plain.yearlyBytes() - 1, 1e-6);
    }

    @Test
    void rejectsInputsThatDescribeNoHospital() {
        expect("hospitals", () -> new StorageModel(0, 8, 3, 60, 6, 20, 1, false));
        expect("24 hours", () -> new StorageModel(1, 8, 10, 180, 6, 20, 1, false));
        expect("rate", () -> new StorageModel(1, 8, 3, 60, Double.NaN, 20, 1, false));
        expect("retention", () -> new StorageModel(1, 8, 3, 60, 6, 0, 1, false));
        expect("copies", () -> new StorageModel(1, 8, 3, 60, 6, 20, 0, false));
        expect("horizon", () -> new StorageModel(1, 8, 3, 60, 6, 20, 1, false).curve(0));
    }

    private static void expect(String inMessage, Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(inMessage), x.getMessage());
    }

    @Test
    void unitsPrintDecimalAndBinary() {
        assertEquals("189.8 GB", Units.decimal(189.8e9));
        assertEquals("189.8 GiB", Units.binary(189.8 * GIB));
        assertEquals("2512.1 PB", Units.decimal(2.5121e18));
        assertEquals(2512.1, Units.in(2.5121e18, "PB"), 1e-9);
    }
}
