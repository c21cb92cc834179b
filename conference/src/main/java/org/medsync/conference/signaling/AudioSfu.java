package org.medsync.conference.signaling;

import java.util.Set;
import org.medsync.conference.protocol.AudioLeg;
import org.medsync.conference.protocol.ServerMessage;

/**
 * The audio SFU that carries a readout's audio in relay mode (docs/readout-protocol.md, "Audio in relay mode"), as
 * the hub sees it: Janus's VideoRoom in the server module. The hub calls these methods under the readout's lock:
 * they check their input at once and queue the work, they never wait for the SFU. The SFU reports back through
 * {@link Events} from its own threads.
 */
public interface AudioSfu {
    /** Opens the readout's room on the SFU. */
    Room open(String readoutId, Events events) throws DataRelay.RelayException;

    /**
     * Opens a mixing room for the readout (docs/readout-protocol.md, "Mixed audio"): each participant has one
     * connection (its publish leg, sendrecv) that carries its microphone up and one mix of everyone else down, and the
     * room reports who talks through {@link Events#speaking}. A participant's download then no longer grows with the
     * group. Without a mixer this throws, and the readout keeps forwarding.
     */
    default Room openMix(String readoutId, Events events) throws DataRelay.RelayException {
        throw new DataRelay.RelayException("this audio SFU does not mix", null);
    }

    /** One readout's room: every participant publishes its own feed and subscribes to everyone else's. */
    interface Room {
        /** A participant is in the readout: it gets a subscribe offer for everyone else's feeds (even without a microphone). */
        void join(int peer);

        /** {@code peer}'s publish offer (SDP); replaces its earlier feed. */
        void publish(int peer, String offerSdp);

        /** {@code peer}'s answer (SDP) to the latest subscribe offer the SFU sent it. */
        void subscribed(int peer, String answerSdp);

        /**
         * An ICE candidate of {@code peer}'s connection {@code leg}: JSON of RTCIceCandidateInit.
         *
         * @throws IllegalArgumentException when it is not such a JSON object (the hub refuses it)
         */
        void candidate(int peer, AudioLeg leg, String candidateJson);

        /** A participant left: its feed and subscription go. */
        void leave(int peer);

        /** The readout went back to the mesh or ended: the room is destroyed. */
        void close();
    }

    /** What the SFU tells the hub about one room. */
    interface Events {
        /** An answer or subscribe offer for {@code peer}. */
        void send(int peer, ServerMessage.Audio message);

        /** The SFU refused {@code peer}'s request (its reason, no patient data): the peer gets ERROR {@code audio-refused}. */
        void refused(int peer, String detail);

        /** The SFU cannot serve the room any more: everyone gets TOPOLOGY with mesh audio and goes back to the mesh. */
        void failed(String reason);

        /** A mixing room's talkers changed: everyone gets SPEAKING with {@code peers}. */
        default void speaking(Set<Integer> peers) {}
    }
}
