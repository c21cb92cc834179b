package org.medsync.conference.protocol;

import java.util.List;

/** What the server sends a participant over the signaling WebSocket (docs/readout-protocol.md, "Server to client"). */
public sealed interface ServerMessage {
    int WELCOME = 1,
            ROSTER = 2,
            SIGNAL = 3,
            FLOOR = 4,
            CHAT = 5,
            WORKLIST = 6,
            ERROR = 8,
            TOPOLOGY = 9,
            AUDIO = 10,
            SPEAKING = 11;

    /** One ICE server for RTCPeerConnection: [urls, username|nil, credential|nil]. */
    record IceServer(List<String> urls, String username, String credential) {
        public IceServer {
            urls = List.copyOf(urls);
        }
    }

    /** One worklist entry: [source, studyInstanceUid, label]. */
    record WorklistItem(String source, String studyInstanceUid, String label) {}

    /** One participant: [peer, name, role, worklistIndex, ready, following, muted, guest]. */
    record Peer(
            int id,
            String name,
            String role,
            int worklistIndex,
            boolean ready,
            boolean following,
            boolean muted,
            boolean guest) {}

    /**
     * [1, you, readoutId, role, iceServers, worklist, worklistIndex, floor, chatHistory, snapshot|nil]: the first
     * message on every connection, with everything a late joiner needs to be in sync at once; the snapshot is the
     * driver's full VIEW byte for byte.
     */
    record Welcome(
            int you,
            String readoutId,
            String role,
            List<IceServer> iceServers,
            List<WorklistItem> worklist,
            int worklistIndex,
            Floor floor,
            List<Chat> chat,
            ViewSnapshot snapshot)
            implements ServerMessage {
        public Welcome {
            iceServers = List.copyOf(iceServers);
            worklist = List.copyOf(worklist);
            chat = List.copyOf(chat);
        }
    }

    /** [2, peers]: everyone in the readout, sent to all on every join, leave and status change. */
    record Roster(List<Peer> peers) implements ServerMessage {
        public Roster {
            peers = List.copyOf(peers);
        }
    }

    /** [3, from, kind, payload]: a signal relayed from peer {@code from} (stamped by the server). */
    record Signal(int from, SignalKind kind, String payload) implements ServerMessage {}

    /** [4, epoch, holder, requests]: who drives (0: nobody) and who asked; epoch grows on every change. */
    record Floor(long epoch, int holder, List<Integer> requests) implements ServerMessage {
        public Floor {
            requests = List.copyOf(requests);
        }
    }

    /**
     * [5, seq, from, name, timeMillis, text, role, guest]: a chat line as kept by the server, stamped with the
     * sender's name, role and guest mark as the server authenticated them (a sender cannot choose them).
     */
    record Chat(long seq, int from, String name, long timeMillis, String text, String role, boolean guest)
            implements ServerMessage {}

    /** [6, index]: the readout moved to worklist entry {@code index}. */
    record Worklist(int index) implements ServerMessage {}

    /** [8, code, message]: a refused message; the connection stays open unless the server closes it. */
    record Error(String code, String message) implements ServerMessage {}

    /**
     * [9, mode, epoch, audio]: how view data travels in this readout, peer to peer (0, mesh) or through the server's
     * relay (1), and how audio travels, on the mesh (0), through the server's SFU (1) or mixed by the server (2; both
     * relay mode only). Sent after WELCOME and to all on every change of either; epoch grows by one per change.
     */
    record Topology(Mode mode, long epoch, Audio audio) implements ServerMessage {
        public Topology {
            if (mode == Mode.MESH && audio != Audio.MESH) {
                throw new IllegalArgumentException("the server carries audio only in relay mode");
            }
        }

        /** The data path. */
        public enum Mode {
            MESH(0),
            RELAY(1);

            private final int code;

            Mode(int code) {
                this.code = code;
            }

            public int code() {
                return code;
            }

            static Mode of(long code) throws DecodeException {
                for (Mode m : values()) {
                    if (m.code == code) {
                        return m;
                    }
                }
                throw new DecodeException(DecodeException.Reason.BAD_VALUE, "topology mode " + code);
            }
        }

        /**
         * The audio path: the mesh, or (relay mode with a working room) the server's SFU through AUDIO, or the server's
         * mixer (one connection a participant, which hears one mix of everyone else).
         */
        public enum Audio {
            MESH(0),
            SFU(1),
            MIX(2);

            private final int code;

            Audio(int code) {
                this.code = code;
            }

            public int code() {
                return code;
            }

            static Audio of(long code) throws DecodeException {
                for (Audio a : values()) {
                    if (a.code == code) {
                        return a;
                    }
                }
                throw new DecodeException(DecodeException.Reason.BAD_VALUE, "topology audio " + code);
            }
        }
    }

    /** One stream of a subscriber offer: media id {@code mid} carries peer {@code feed}'s audio. */
    record AudioStream(String mid, int feed) {}

    /**
     * [10, leg, kind, payload, streams]: the SFU's answer to a participant's publish offer, or an offer for its
     * subscribing connection with the feed behind each of its streams (an offer with no streams and an empty
     * payload: nobody else publishes, close the subscribing connection).
     */
    record Audio(AudioLeg leg, SignalKind kind, String payload, List<AudioStream> streams) implements ServerMessage {
        public Audio {
            streams = List.copyOf(streams);
        }
    }

    /**
     * [11, peers]: who is talking now in a mixed readout (the mixer measures each participant's level), in ascending
     * peer order; sent to all on every change. With one mixed stream a browser cannot tell the voices apart itself.
     */
    record Speaking(List<Integer> peers) implements ServerMessage {
        public Speaking {
            peers = List.copyOf(peers);
        }
    }
}
