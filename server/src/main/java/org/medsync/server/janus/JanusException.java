package org.medsync.server.janus;

/** Janus refused a request, answered something unexpected, or could not be reached. */
public final class JanusException extends Exception {
    public JanusException(String message) {
        super(message);
    }

    public JanusException(String message, Throwable cause) {
        super(message, cause);
    }
}
