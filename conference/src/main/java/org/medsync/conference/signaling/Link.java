package org.medsync.conference.signaling;

import java.io.IOException;

/** One participant's transport (the server adapts a WebSocket session). Called from one writer thread. */
public interface Link {
    /** Sends one binary message, blocking until the transport took it. */
    void send(byte[] message) throws IOException;

    /** Closes the transport with a WebSocket close code (1000 normal, 1008 policy, 1009 too big, 1013 try again). */
    void close(int code, String reason);
}
