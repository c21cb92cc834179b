package org.medsync.dicom.part10;

import java.util.Objects;

/**
 * How much work one file of outside bytes may cost: a 100 KB Deflated Explicit VR Little Endian file can
 * expand to 100 MB, and a 64-byte JPEG header can declare a 65535 x 65535 image. Every inflation and every
 * pixel buffer that a file's own numbers size is checked against these limits before (or while) the work is
 * done, so refusing a bad file costs about as much as reading a good one.
 *
 * <p>Process-wide, like the JDK's own {@code jdk.xml.*} limits: the server installs its configured values once
 * at start ({@link #use}); until then {@link #defaults()} apply. Tests that need other values pass them
 * explicitly where an API takes them.
 *
 * @param maxInflatedBytes  most bytes a deflated data set may inflate to ({@code dicom.max-inflated-bytes})
 * @param maxInflationRatio most inflated bytes per deflated byte once more than {@link #RATIO_GRACE_BYTES} came
 *                          out ({@code dicom.max-inflation-ratio}); real deflated images stay far below 100
 * @param maxDecodedBytes   most bytes a decoded image may need: all frames of decompressed pixel data, or one
 *                          frame of rendered values ({@code dicom.max-decoded-bytes})
 */
public record DecodeLimits(long maxInflatedBytes, int maxInflationRatio, long maxDecodedBytes) {

    /** Below this much output a high ratio costs nothing worth refusing (a small all-zero image compresses 1000:1). */
    public static final long RATIO_GRACE_BYTES = 8L << 20;

    /** Byte arrays end a little below 2 GiB. */
    private static final long ARRAY_LIMIT = Integer.MAX_VALUE - 16;

    private static volatile DecodeLimits current = defaults();

    public DecodeLimits {
        if (maxInflatedBytes <= 0 || maxInflatedBytes > ARRAY_LIMIT) {
            throw new IllegalArgumentException("dicom.max-inflated-bytes must be 1.." + ARRAY_LIMIT);
        }
        if (maxInflationRatio < 2) {
            throw new IllegalArgumentException("dicom.max-inflation-ratio must be at least 2");
        }
        if (maxDecodedBytes <= 0 || maxDecodedBytes > ARRAY_LIMIT) {
            throw new IllegalArgumentException("dicom.max-decoded-bytes must be 1.." + ARRAY_LIMIT);
        }
    }

    /** 1 GiB inflated (the default upload limit), ratio 100, 1 GiB decoded. */
    public static DecodeLimits defaults() {
        return new DecodeLimits(1L << 30, 100, 1L << 30);
    }

    /** The limits every read of a stored or uploaded file applies. */
    public static DecodeLimits current() {
        return current;
    }

    /** Installs the configured limits for the whole process (at server start). */
    public static void use(DecodeLimits limits) {
        current = Objects.requireNonNull(limits, "limits");
    }
}
