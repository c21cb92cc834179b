package org.medsync.conference.protocol;

/** What a participant sends the server over the signaling WebSocket (docs/readout-protocol.md, "Client to server"). */
public sealed interface ClientMessage {
    int SIGNAL = 16,
            FLOOR_REQUEST = 17,
            FLOOR_RELEASE = 18,
            FLOOR_HAND_OVER = 19,
            CHAT = 20,
            WORKLIST_GOTO = 21,
            STATUS = 22,
            SNAPSHOT = 23,
            AUDIO = 24;

    /** [16, to, kind, payload]: an SDP or ICE candidate for peer {@code to}; the server stamps the sender. */
    record Signal(int to, SignalKind kind, String payload) implements ClientMessage {}

    /** [17, take]: ask for the floor; {@code take} (attending only) takes it from the current driver. */
    record FloorRequest(boolean take) implements ClientMessage {}

    /** [18]: the driver gives the floor up. */
    record FloorRelease() implements ClientMessage {}

    /** [19, to]: the driver hands the floor to peer {@code to}. */
    record FloorHandOver(int to) implements ClientMessage {}

    /** [20, text]: a chat line. */
    record Chat(String text) implements ClientMessage {}

    /** [21, index]: the driver moves the readout to worklist entry {@code index}. */
    record WorklistGoto(int index) implements ClientMessage {}

    /** [22, worklistIndex, ready, following, muted]: this participant's state (worklistIndex -1: none loaded). */
    record Status(int worklistIndex, boolean ready, boolean following, boolean muted) implements ClientMessage {}

    /**
     * [23, view]: the driver's full view state (a VIEW message with every field), kept for late joiners as the
     * driver encoded it.
     */
    record Snapshot(ViewSnapshot view) implements ClientMessage {}

    /**
     * [24, leg, kind, feed, payload]: audio in relay mode, for the server to pass to its SFU: the participant's
     * publishing connection (offer, candidates) or its subscribing connection (answer, candidates). {@code feed}
     * names whose audio this is about, and must be the sender itself.
     */
    record Audio(AudioLeg leg, SignalKind kind, int feed, String payload) implements ClientMessage {}
}
