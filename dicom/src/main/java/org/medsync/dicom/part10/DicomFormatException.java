package org.medsync.dicom.part10;

import java.util.Locale;
import java.util.Objects;

/**
 * A file that is not usable DICOM. Callers branch on {@link #reason()}; the message is for humans and
 * names the file problem (which tag, which offset). Never carries patient data.
 */
public final class DicomFormatException extends Exception {

    /** Why a file was rejected. */
    public enum Reason {
        /** Neither a Part 10 preamble nor anything that parses as a DICOM data set. */
        NOT_DICOM,
        /** The file ends before an element, item, pixel data or sequence delimiter does. */
        TRUNCATED,
        /** A required attribute (e.g. SOP Instance UID, Rows) is absent or empty. */
        MISSING_ATTRIBUTE,
        /** Valid DICOM that we cannot serve or decode (unknown transfer syntax, frame layout). */
        UNSUPPORTED,
        /** I/O failure or a malformed encoding inside an otherwise DICOM-looking file. */
        UNREADABLE,
        /** A deflated data set that expands beyond {@link DecodeLimits} (size or ratio). */
        DECOMPRESSION_BOMB,
        /** An image whose own dimensions ask for more memory than {@link DecodeLimits#maxDecodedBytes()}. */
        TOO_LARGE;

        /** The reason as it reaches the wire: the constant's name in kebab case. */
        public String code() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Reason reason;

    public DicomFormatException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public DicomFormatException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }

    @Override
    public String toString() {
        return "DicomFormatException[" + reason + "]: " + getMessage();
    }
}
