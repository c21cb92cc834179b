package org.medsync.rtv.configurator;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * A device control request that failed. {@link #reason()} for callers; the message names the device, the
 * request and what the device said ({@code {"error","message"}} of docs/rtv-control.md).
 */
public final class DeviceException extends Exception {

    /** Why a device request failed. */
    public enum Reason {
        /** Connection refused, unknown host, no route. */
        UNREACHABLE,
        /** No answer within the device timeout. */
        TIMEOUT,
        /** The device answered 4xx: it refused the request and keeps its previous configuration. */
        REFUSED,
        /** 5xx, an unexpected status, or an answer that is not what the control API promises. */
        FAILED;

        /** The reason as it reaches the wire: the constant's name in kebab case. */
        public String code() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Reason reason;
    private final URI device;
    private final int status;
    private final String deviceError;

    DeviceException(Reason reason, URI device, int status, String deviceError, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.device = device;
        this.status = status;
        this.deviceError = deviceError;
    }

    public Reason reason() {
        return reason;
    }

    /** The control URL of the device. */
    public URI device() {
        return device;
    }

    /** The HTTP status the device answered, 0 if none. */
    public int status() {
        return status;
    }

    /** The device's {@code error} code, null if none. */
    public String deviceError() {
        return deviceError;
    }

    @Override
    public String toString() {
        return "DeviceException[" + reason + "]: " + getMessage();
    }
}
