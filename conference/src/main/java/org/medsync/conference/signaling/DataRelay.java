package org.medsync.conference.signaling;

import org.medsync.conference.protocol.SignalKind;

/**
 * The server's data relay for readouts above the mesh size (docs/readout-protocol.md, "Relay"), as the hub sees
 * it. The implementation is native (the readout-relay module, on webrtc-java) and stays behind this interface:
 * the hub calls these methods under the readout's lock, so they must not block; the relay reports back through
 * {@link Events} from its own threads, and a failure there sends the readout back to the mesh.
 */
public interface DataRelay {
    /** Starts relaying one readout's view data. */
    Session open(String readoutId, Events events) throws RelayException;

    /** One readout on the relay. */
    interface Session {
        /** A SIGNAL a participant addressed to the relay: its offer or an ICE candidate. */
        void signal(int peer, SignalKind kind, String payload);

        /** The floor changed: from now on only {@code holder}'s messages are forwarded (0: nobody's). */
        void floor(int holder);

        /** A participant left the readout: its connection to the relay closes. */
        void leave(int peer);

        /** The readout went back to the mesh or ended: every connection closes. */
        void close();
    }

    /** What the relay tells the hub about one readout. */
    interface Events {
        /** The relay's answer or ICE candidate for {@code peer}, to send over its WebSocket. */
        void signal(int peer, SignalKind kind, String payload);

        /** The relay cannot serve this readout any more; the hub falls back to the mesh. */
        void failed(String reason);
    }

    /** The relay could not start (e.g. its native library did not load). */
    final class RelayException extends Exception {
        public RelayException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
