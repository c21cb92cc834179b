package org.medsync.relay;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.medsync.conference.protocol.SignalKind;
import org.medsync.conference.signaling.DataRelay;

/**
 * A participant as a browser would be, on webrtc-java: it offers with the "view" data channel (unordered,
 * maxRetransmits 0) to the relay, trickles candidates, and records what arrives with its arrival time.
 * Its native calls run on one executor of the test (never inside webrtc-java's callbacks).
 */
final class TestPeer {
    record Arrival(long nanos, byte[] bytes) {}

    final int id;
    final BlockingQueue<Arrival> received = new LinkedBlockingQueue<>();
    private final CountDownLatch open = new CountDownLatch(1);
    private final ExecutorService thread;
    private final List<RTCIceCandidate> pending = new ArrayList<>();
    private boolean remoteSet;
    private RTCPeerConnection pc;
    private RTCDataChannel channel;

    TestPeer(int id, ExecutorService thread) {
        this.id = id;
        this.thread = thread;
    }

    /** Starts the offer; signals go to the relay session as the hub would pass them. */
    void connect(PeerConnectionFactory factory, DataRelay.Session relay) {
        thread.execute(() -> {
            pc = factory.createPeerConnection(new RTCConfiguration(), new PeerConnectionObserver() {
                @Override
                public void onIceCandidate(RTCIceCandidate c) {
                    relay.signal(id, SignalKind.CANDIDATE, IceCandidates.format(c));
                }
            });
            RTCDataChannelInit init = new RTCDataChannelInit();
            init.ordered = false;
            init.maxRetransmits = 0;
            channel = pc.createDataChannel("view", init);
            channel.registerObserver(new RTCDataChannelObserver() {
                @Override
                public void onBufferedAmountChange(long previousAmount) {}

                @Override
                public void onStateChange() {
                    if (channel.getState() == RTCDataChannelState.OPEN) {
                        open.countDown();
                    }
                }

                @Override
                public void onMessage(RTCDataChannelBuffer buffer) {
                    long now = System.nanoTime();
                    byte[] b = new byte[buffer.data.remaining()];
                    buffer.data.get(b);
                    received.add(new Arrival(now, b));
                }
            });
            pc.createOffer(new RTCOfferOptions(), new CreateSessionDescriptionObserver() {
                @Override
                public void onSuccess(RTCSessionDescription offer) {
                    thread.execute(() -> pc.setLocalDescription(offer, new SetSessionDescriptionObserver() {
                        @Override
                        public void onSuccess() {
                            relay.signal(id, SignalKind.OFFER, offer.sdp);
                        }

                        @Override
                        public void onFailure(String error) {
                            throw new AssertionError(error);
                        }
                    }));
                }

                @Override
                public void onFailure(String error) {
                    throw new AssertionError(error);
                }
            });
        });
    }

    /** What the relay sent this peer over "the WebSocket". */
    void fromRelay(SignalKind kind, String payload) {
        thread.execute(() -> {
            if (kind == SignalKind.ANSWER) {
                pc.setRemoteDescription(
                        new RTCSessionDescription(RTCSdpType.ANSWER, payload), new SetSessionDescriptionObserver() {
                            @Override
                            public void onSuccess() {
                                thread.execute(() -> {
                                    remoteSet = true;
                                    pending.forEach(pc::addIceCandidate);
                                    pending.clear();
                                });
                            }

                            @Override
                            public void onFailure(String error) {
                                throw new AssertionError(error);
                            }
                        });
            } else if (kind == SignalKind.CANDIDATE) {
                RTCIceCandidate c = IceCandidates.parse(payload).toNative();
                if (remoteSet) {
                    pc.addIceCandidate(c);
                } else {
                    pending.add(c);
                }
            }
        });
    }

    boolean awaitOpen(long seconds) throws InterruptedException {
        return open.await(seconds, TimeUnit.SECONDS);
    }

    void send(byte[] bytes) {
        thread.execute(() -> {
            try {
                channel.send(new RTCDataChannelBuffer(ByteBuffer.wrap(bytes), true));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    void close() {
        thread.execute(() -> {
            if (channel != null) {
                channel.unregisterObserver();
                channel.close();
                channel.dispose();
            }
            if (pc != null) {
                pc.close();
            }
        });
    }
}
