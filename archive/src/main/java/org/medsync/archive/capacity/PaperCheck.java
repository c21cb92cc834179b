package org.medsync.archive.capacity;

import java.util.List;
import java.util.Locale;

/**
 * The paper's storage figures (issue 14 item 7; /work/shared/seeds/002, "Video encoding"), each recomputed from its
 * own inputs. The paper states 6 Mb/s, 951 hospitals, 8 ORs, 3.2 surgeries a day, life expectancy 75 and mean patient
 * age 56.87, 20 years after the last visit, but no surgery duration: the duration is what 189.8 GB a day implies.
 */
public final class PaperCheck {
    public static final int HOSPITALS = 951;
    public static final int ORS = 8;
    public static final double SURGERIES_PER_OR_PER_DAY = 3.2;
    public static final double MEGABITS_PER_SECOND = 6;
    public static final double LIFE_EXPECTANCY = 75;
    public static final double MEAN_PATIENT_AGE = 56.87;
    public static final double YEARS_AFTER_LAST_VISIT = 20;

    public static final double PAPER_GB_PER_DAY = 189.8;
    public static final double PAPER_TB_PER_YEAR = 67.7;
    public static final double PAPER_PB_PER_YEAR = 62.9;
    public static final double PAPER_RETENTION_YEARS = 38.13;
    public static final double PAPER_PB_BEFORE_DELETION = 2325.3;

    private static final double GB = 1e9;
    private static final double GIB = 1024.0 * 1024 * 1024;

    /** One figure: what the paper says, what its inputs give, and whether the two agree to the paper's digits. */
    public record Row(String figure, String paper, String recomputed, boolean agrees, String why) {}

    private PaperCheck() {}

    /** Minutes a surgery must last for 189.8 GB (decimal) a day at 6 Mb/s: about 164.8. */
    public static double impliedMinutes() {
        return minutesFor(PAPER_GB_PER_DAY * GB);
    }

    /** The same if the paper's "GB" were GiB, as its later divisions by 1024 suggest: about 176.9. */
    public static double impliedMinutesIfBinary() {
        return minutesFor(PAPER_GB_PER_DAY * GIB);
    }

    private static double minutesFor(double bytesPerDay) {
        return bytesPerDay / (ORS * SURGERIES_PER_OR_PER_DAY) / (MEGABITS_PER_SECOND * 1e6 / 8) / 60;
    }

    /** Life expectancy minus mean age, plus 20 years after the last visit: 38.13. */
    public static double retentionYears() {
        return LIFE_EXPECTANCY - MEAN_PATIENT_AGE + YEARS_AFTER_LAST_VISIT;
    }

    /** The paper's model with the implied duration, one copy, in the clear. */
    public static StorageModel model() {
        return new StorageModel(
                HOSPITALS,
                ORS,
                SURGERIES_PER_OR_PER_DAY,
                impliedMinutes(),
                MEGABITS_PER_SECOND,
                retentionYears(),
                1,
                false);
    }

    public static List<Row> rows() {
        StorageModel m = model();
        double perDayGb = m.dailyBytesPerHospital() / GB;
        // The paper's own chain: each step divides by 1024 while the unit keeps its decimal name.
        double tbBinaryChain = PAPER_GB_PER_DAY * StorageModel.DAYS_PER_YEAR / 1024;
        double pbFromRounded = PAPER_TB_PER_YEAR * HOSPITALS / 1024;
        double pbBinaryChain = tbBinaryChain * HOSPITALS / 1024;
        double tbDecimal = m.yearlyBytesPerHospital() / 1e12;
        double pbDecimal = m.yearlyBytes() / 1e15;
        double peakFromPaper = PAPER_PB_PER_YEAR * PAPER_RETENTION_YEARS;
        double yearsInPaperPeak = PAPER_PB_BEFORE_DELETION / PAPER_PB_PER_YEAR;
        double peakDecimal = m.plateauBytes() / 1e15;
        return List.of(
                new Row(
                        "GB per day per hospital",
                        "189.8 GB",
                        f("%.1f GB at %.1f min a surgery (%.2f h)", perDayGb, impliedMinutes(), impliedMinutes() / 60),
                        true,
                        f(
                                "the paper gives no surgery duration; 189.8 GB = 8 ORs x 3.2 surgeries x 6 Mb/s x"
                                        + " %.1f min (%.1f min if its GB is GiB); 6 Mb/s = %.2f GB an hour",
                                impliedMinutes(), impliedMinutesIfBinary(), MEGABITS_PER_SECOND * 1e6 / 8 * 3600 / GB)),
                new Row(
                        "TB per year per hospital",
                        "67.7 TB",
                        f("%.1f TB (365 d); the paper's %.1f is 189.8 x 365 / 1024", tbDecimal, tbBinaryChain),
                        false,
                        f(
                                "189.8 GB x 365 = %.0f GB = %.1f TB; 67.7 is that divided by 1024, i.e. TiB if the"
                                        + " 189.8 were GiB. With 365.25 days it is %.2f: the year length is not"
                                        + " the cause, the unit is",
                                PAPER_GB_PER_DAY * 365, tbDecimal, PAPER_GB_PER_DAY * 365.25 / 1024)),
                new Row(
                        "PB per year, Poland (951 hospitals)",
                        "62.9 PB",
                        f("%.1f PB; the paper's 62.9 is 67.7 x 951 / 1024 = %.2f", pbDecimal, pbFromRounded),
                        false,
                        f(
                                "67.7 x 951 = %.0f TB = %.1f PB; the paper divided by 1024 again. Unrounded"
                                        + " (67.65 x 951 / 1024) it is %.2f, i.e. 62.8: the 62.9 comes from the"
                                        + " rounded 67.7",
                                PAPER_TB_PER_YEAR * HOSPITALS, PAPER_TB_PER_YEAR * HOSPITALS / 1000, pbBinaryChain)),
                new Row(
                        "Years a recording is kept",
                        "38.13 years",
                        f("%.2f years = 75 - 56.87 + 20", retentionYears()),
                        Math.abs(retentionYears() - PAPER_RETENTION_YEARS) < 0.005,
                        "arithmetic right; the premise is weak: 75 is life expectancy at birth, and a 57-year-old's"
                                + " remaining life expectancy is longer than 18.13 years, so 38.13 underestimates"),
                new Row(
                        "Stored before any deletion, Poland",
                        "2325.3 PB",
                        f("%.1f PB = 62.9 x 38.13 (decimal throughout: %.1f PB)", peakFromPaper, peakDecimal),
                        false,
                        f(
                                "with constant production the stored volume grows linearly and levels off when the"
                                        + " first recordings expire, at yearly x retention = %.1f; 2325.3 is %.1f %%"
                                        + " less, i.e. %.2f years of production, not 38.13",
                                peakFromPaper,
                                (1 - PAPER_PB_BEFORE_DELETION / peakFromPaper) * 100,
                                yearsInPaperPeak)));
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
