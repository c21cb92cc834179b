package org.medsync.rtv.configurator;

import java.util.Objects;

/**
 * A configuration or request the configurator cannot use; the message names the field
 * ({@code transmitters[1].destination.video.port}) and what is wrong with it. Nothing is pushed to a device.
 */
public final class ConfigException extends Exception {

    /** What kind of refusal: the HTTP interface answers 400, 404 or 409. */
    public enum Kind {
        /** Malformed or invalid input. */
        INVALID,
        /** A procedure or transmitter index that does not exist. */
        NOT_FOUND,
        /** Valid, but not now (e.g. dynamic metadata before any transmitter is known). */
        CONFLICT
    }

    private final Kind kind;

    public ConfigException(String message) {
        this(Kind.INVALID, message);
    }

    public ConfigException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
        this.kind = Kind.INVALID;
    }

    public Kind kind() {
        return kind;
    }
}
