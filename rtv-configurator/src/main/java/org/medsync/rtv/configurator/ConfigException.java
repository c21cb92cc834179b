package org.medsync.rtv.configurator;

import java.util.Locale;
import java.util.Objects;

/**
 * A configuration or request the configurator cannot use; the message names the field
 * ({@code transmitters[1].destination.video.port}) and what is wrong with it. Nothing is pushed to a device.
 */
public final class ConfigException extends Exception {

    /** What kind of refusal: the HTTP interface answers 400, 404 or 409 with {@link #code()} as its error. */
    public enum Reason {
        /** Malformed or invalid input. */
        INVALID,
        /** A procedure or transmitter index that does not exist. */
        NOT_FOUND,
        /** Valid, but not now (e.g. dynamic metadata before any transmitter is known). */
        CONFLICT;

        /** The reason as it reaches the wire: the constant's name in kebab case. */
        public String code() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Reason reason;

    public ConfigException(String message) {
        this(Reason.INVALID, message);
    }

    public ConfigException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
        this.reason = Reason.INVALID;
    }

    public Reason reason() {
        return reason;
    }
}
