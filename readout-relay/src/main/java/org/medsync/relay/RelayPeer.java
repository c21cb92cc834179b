package org.medsync.relay;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.medsync.conference.protocol.SignalKind;

/**
 * The relay's RTCPeerConnection to one participant. The participant offers (with the "view" data channel,
 * unordered, maxRetransmits 0) and the relay answers; remote ICE candidates wait until the offer is set.
 * Every method runs on the relay's native thread; webrtc-java's callbacks (its own threads) only hand work back
 * to that thread or to {@link Listener#received}, which never blocks.
 */
final class RelayPeer {
    private static final System.Logger log = System.getLogger(RelayPeer.class.getName());

    /** What a connection tells its readout. Called on the native thread unless said otherwise; never blocks. */
    interface Listener {
        /** Runs {@code task} on the native thread; called from webrtc-java's threads. */
        void onNative(Runnable task);

        /** The relay's answer or one of its ICE candidates, for the participant; any thread. */
        void toParticipant(int peer, SignalKind kind, String payload);

        /** webrtc-java refused the participant's offer or candidate, or could not answer; any thread. */
        void refused(int peer, String what, String error);

        /** The data channel opened: the participant can be brought up to date. */
        void opened(RelayPeer p);

        /** The connection failed: the readout drops it. */
        void connectionFailed(RelayPeer p);

        /** A binary message within the size limit; on webrtc-java's thread. */
        void received(int peer, byte[] bytes);

        /** A text message or one over the size limit, not passed on; on webrtc-java's thread. */
        void dropped(int peer, int size, boolean binary);
    }

    private final Listener readout;
    private final String readoutId;
    private final int peer;
    private final int maxMessageBytes;
    private final RTCPeerConnection pc;
    /**
     * Candidates held until the offer is set. A browser gathers a handful; more, or an offer that never sets
     * (it failed), would hold whatever a participant sends for as long as it stays: refused instead.
     */
    static final int MAX_PENDING_CANDIDATES = 64;

    private final List<RTCIceCandidate> pendingCandidates = new ArrayList<>();
    private boolean remoteSet;
    private RTCDataChannel channel;
    private volatile boolean open;
    private boolean closed;
    private boolean sendWarned;

    RelayPeer(
            Listener readout,
            String readoutId,
            int peer,
            int maxMessageBytes,
            PeerConnectionFactory factory,
            RTCConfiguration config) {
        this.readout = readout;
        this.readoutId = readoutId;
        this.peer = peer;
        this.maxMessageBytes = maxMessageBytes;
        this.pc = factory.createPeerConnection(config, new PeerConnectionObserver() {
            @Override
            public void onIceCandidate(RTCIceCandidate candidate) {
                readout.toParticipant(peer, SignalKind.CANDIDATE, IceCandidates.format(candidate));
            }

            @Override
            public void onDataChannel(RTCDataChannel dataChannel) {
                readout.onNative(() -> attach(dataChannel));
            }

            @Override
            public void onConnectionChange(RTCPeerConnectionState state) {
                if (state == RTCPeerConnectionState.FAILED) {
                    readout.onNative(() -> readout.connectionFailed(RelayPeer.this));
                }
            }
        });
        if (pc == null) {
            throw new IllegalStateException("webrtc-java created no peer connection");
        }
    }

    int peer() {
        return peer;
    }

    boolean isOpen() {
        return open;
    }

    /** The participant's offer: set it, answer, then apply the candidates that came early. */
    void offer(String sdp) {
        pc.setRemoteDescription(new RTCSessionDescription(RTCSdpType.OFFER, sdp), new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                readout.onNative(RelayPeer.this::answer);
            }

            @Override
            public void onFailure(String error) {
                readout.refused(peer, "offer", error);
            }
        });
    }

    private void answer() {
        if (closed) {
            return;
        }
        remoteSet = true;
        for (RTCIceCandidate c : pendingCandidates) {
            pc.addIceCandidate(c);
        }
        pendingCandidates.clear();
        pc.createAnswer(new RTCAnswerOptions(), new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription answer) {
                readout.onNative(() -> setLocal(answer));
            }

            @Override
            public void onFailure(String error) {
                readout.refused(peer, "answer", error);
            }
        });
    }

    private void setLocal(RTCSessionDescription answer) {
        if (closed) {
            return;
        }
        pc.setLocalDescription(answer, new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                readout.toParticipant(peer, SignalKind.ANSWER, answer.sdp);
            }

            @Override
            public void onFailure(String error) {
                readout.refused(peer, "answer", error);
            }
        });
    }

    void candidate(RTCIceCandidate c) {
        if (remoteSet) {
            pc.addIceCandidate(c);
        } else if (pendingCandidates.size() < MAX_PENDING_CANDIDATES) {
            pendingCandidates.add(c);
        } else {
            readout.refused(
                    peer, "candidate", "more than " + MAX_PENDING_CANDIDATES + " candidates before the offer was set");
        }
    }

    private void attach(RTCDataChannel dc) {
        if (closed || channel != null || !"view".equals(dc.getLabel())) {
            dc.close();
            dc.dispose();
            return;
        }
        channel = dc;
        dc.registerObserver(new RTCDataChannelObserver() {
            @Override
            public void onBufferedAmountChange(long previousAmount) {}

            @Override
            public void onStateChange() {
                readout.onNative(RelayPeer.this::stateChanged);
            }

            @Override
            public void onMessage(RTCDataChannelBuffer buffer) {
                ByteBuffer data = buffer.data;
                int size = data.remaining();
                if (!buffer.binary || size > maxMessageBytes) {
                    readout.dropped(peer, size, buffer.binary);
                    return;
                }
                byte[] bytes = new byte[size];
                data.get(bytes);
                readout.received(peer, bytes);
            }
        });
        stateChanged();
    }

    private void stateChanged() {
        if (closed || channel == null) {
            return;
        }
        boolean nowOpen = channel.getState() == RTCDataChannelState.OPEN;
        if (nowOpen && !open) {
            open = true;
            readout.opened(this);
        } else if (!nowOpen) {
            open = false;
        }
    }

    /** One send through JNI; false when webrtc-java refused it. */
    boolean send(byte[] bytes) {
        if (!open || closed) {
            return false;
        }
        try {
            channel.send(new RTCDataChannelBuffer(ByteBuffer.wrap(bytes), true));
            return true;
        } catch (Exception e) { // a full or closing channel; logged once per connection
            if (!sendWarned) {
                sendWarned = true;
                log.log(
                        System.Logger.Level.WARNING,
                        "readout {0}: send to peer {1} failed: {2}",
                        readoutId,
                        peer,
                        e.toString());
            }
            return false;
        }
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        open = false;
        if (channel != null) {
            channel.unregisterObserver();
            channel.close();
            channel.dispose();
            channel = null;
        }
        pc.close();
    }
}
