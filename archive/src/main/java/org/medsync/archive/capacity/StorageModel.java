package org.medsync.archive.capacity;

import java.util.ArrayList;
import java.util.List;

/**
 * How much video a set of hospitals stores, the paper's model made explicit: every surgery in every OR is recorded
 * as one stream at a constant bit rate, production is the same every day, and each recording is deleted exactly
 * {@code retentionYears} after it was made. Stored volume then grows linearly and levels off (the plateau) once the
 * first recordings expire, at {@link #yearlyBytes()} x retention. Bytes are bytes (10^9 B = 1 GB; {@link Units}
 * prints binary units on request). A year is {@value #DAYS_PER_YEAR} days, as in the paper.
 *
 * <p>Encryption at rest (issue 14) adds, per recording, a 16-byte AES-GCM tag per 64 KiB chunk plus one header of
 * {@value #ENCRYPTION_HEADER_BYTES} bytes (wrapped data key, nonce prefix, ids): an assumption about the crypt
 * format, not a measurement of it. Copies (a second location for fixity) multiply everything stored.
 */
public record StorageModel(
        int hospitals,
        int orsPerHospital,
        double surgeriesPerOrPerDay,
        double minutesPerSurgery,
        double megabitsPerSecond,
        double retentionYears,
        int copies,
        boolean encrypted) {
    public static final double DAYS_PER_YEAR = 365;
    public static final int CHUNK_BYTES = 64 * 1024;
    public static final int TAG_BYTES = 16;
    public static final int ENCRYPTION_HEADER_BYTES = 256;

    /** The largest inputs accepted: beyond them the model describes no health system on Earth. */
    private static final int MAX_HOSPITALS = 1_000_000;

    public StorageModel {
        require(hospitals >= 1 && hospitals <= MAX_HOSPITALS, "hospitals must be from 1 to " + MAX_HOSPITALS);
        require(orsPerHospital >= 1 && orsPerHospital <= 1000, "ORs per hospital must be from 1 to 1000");
        require(
                surgeriesPerOrPerDay > 0 && surgeriesPerOrPerDay <= 100,
                "surgeries per OR per day must be more than 0 and at most 100");
        require(
                minutesPerSurgery > 0 && minutesPerSurgery <= 24 * 60,
                "minutes per surgery must be more than 0 and at most 1440");
        require(
                surgeriesPerOrPerDay * minutesPerSurgery <= 24 * 60,
                "an OR cannot record more than 24 hours a day (surgeries x minutes = "
                        + surgeriesPerOrPerDay * minutesPerSurgery + ")");
        require(
                megabitsPerSecond > 0 && megabitsPerSecond <= 10_000,
                "rate must be more than 0 and at most 10000 Mb/s");
        require(retentionYears > 0 && retentionYears <= 500, "retention must be more than 0 and at most 500 years");
        require(copies >= 1 && copies <= 10, "copies must be from 1 to 10");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** One recording as it leaves the encoder. */
    public double videoBytesPerSurgery() {
        return megabitsPerSecond * 1e6 / 8 * minutesPerSurgery * 60;
    }

    /** One recording as it rests in one location: the video, plus the encryption's tags and header. */
    public double storedBytesPerSurgery() {
        double video = videoBytesPerSurgery();
        return encrypted ? video + Math.ceil(video / CHUNK_BYTES) * TAG_BYTES + ENCRYPTION_HEADER_BYTES : video;
    }

    public double recordedHoursPerHospitalPerDay() {
        return orsPerHospital * surgeriesPerOrPerDay * minutesPerSurgery / 60;
    }

    /** What one hospital adds in a day, in all its copies. */
    public double dailyBytesPerHospital() {
        return orsPerHospital * surgeriesPerOrPerDay * storedBytesPerSurgery() * copies;
    }

    public double yearlyBytesPerHospital() {
        return dailyBytesPerHospital() * DAYS_PER_YEAR;
    }

    /** What all the hospitals add in a year. */
    public double yearlyBytes() {
        return yearlyBytesPerHospital() * hospitals;
    }

    /** Stored after {@code years} of recording: linear until the first recordings expire, then flat. */
    public double storedBytesAfter(double years) {
        require(years >= 0, "years must not be negative");
        return yearlyBytes() * Math.min(years, retentionYears);
    }

    /** The most that is ever stored: reached when the first recordings expire, and kept from then on. */
    public double plateauBytes() {
        return storedBytesAfter(retentionYears);
    }

    /** A point of the stored-volume curve. */
    public record Point(double years, double bytes) {}

    /**
     * The stored volume at every whole year from 0 to {@code horizonYears}, plus the knee at the retention if it
     * falls inside (a plot through whole years alone would cut the corner).
     */
    public List<Point> curve(int horizonYears) {
        require(horizonYears >= 1 && horizonYears <= 1000, "horizon must be from 1 to 1000 years");
        List<Point> points = new ArrayList<>();
        for (int y = 0; y <= horizonYears; y++) {
            if (y > retentionYears && y - 1 < retentionYears) {
                points.add(new Point(retentionYears, plateauBytes()));
            }
            points.add(new Point(y, storedBytesAfter(y)));
        }
        return points;
    }
}
