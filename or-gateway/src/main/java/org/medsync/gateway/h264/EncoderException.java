package org.medsync.gateway.h264;

import java.util.Locale;
import java.util.Objects;

/** The flow's encoder cannot be opened or failed. */
public final class EncoderException extends Exception {
    /** Why. */
    public enum Reason {
        /** The FFmpeg build on the class path has no libx264 (the LGPL build instead of the GPL one). */
        NO_ENCODER,
        /** libx264 refused the format or the settings (a size or rate beyond H.264's levels, an odd size). */
        REFUSED,
        /** x264 failed on a frame: the flow's encoder must be reopened. */
        FAILED;

        /** The constant's name in kebab case. */
        public String code() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Reason reason;

    public EncoderException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
