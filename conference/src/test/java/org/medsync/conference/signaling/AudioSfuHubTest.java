package org.medsync.conference.signaling;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.medsync.conference.protocol.AudioLeg;
import org.medsync.conference.protocol.ClientMessage;
import org.medsync.conference.protocol.Codec;
import org.medsync.conference.protocol.Limits;
import org.medsync.conference.protocol.ServerMessage;
import org.medsync.conference.protocol.ServerMessage.Topology.Audio;
import org.medsync.conference.protocol.ServerMessage.Topology.Mode;
import org.medsync.conference.protocol.SignalKind;
import org.medsync.conference.readout.Readout;
import org.medsync.conference.readout.ReadoutRole;

/**
 * The hub's side of audio in relay mode with a recording SFU (the real one, Janus, is tested in the server module
 * and in real Chromium): the room opens with the relay and every participant joins it, a participant's own AUDIO
 * reaches the room, forged feeds, wrong legs and kinds and non-audio SDP are refused with precise codes, answers
 * and Janus's refusals reach the participant, a failed SFU sends everyone back to mesh audio, and the room closes
 * with the relay.
 */
class AudioSfuHubTest {
    private static final Codec CODEC = new Codec(Limits.DEFAULT);
    private static final String OFFER =
            "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n";

    static final class RecordingSfu implements AudioSfu {
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile Events events;

        @Override
        public Room open(String readoutId, Events events) {
            this.events = events;
            calls.add("open " + readoutId);
            return new Room() {
                @Override
                public void join(int peer) {
                    calls.add("join " + peer);
                }

                @Override
                public void publish(int peer, String offerSdp) {
                    calls.add("publish " + peer);
                }

                @Override
                public void subscribed(int peer, String answerSdp) {
                    calls.add("subscribed " + peer);
                }

                @Override
                public void candidate(int peer, AudioLeg leg, String candidateJson) {
                    if (!candidateJson.startsWith("{")) {
                        throw new IllegalArgumentException("candidate is not JSON");
                    }
                    calls.add("candidate " + peer + " " + leg);
                }

                @Override
                public void leave(int peer) {
                    calls.add("leave " + peer);
                }

                @Override
                public void close() {
                    calls.add("close");
                }
            };
        }
    }

    private final TopologySwitchTest.RecordingRelay relay = new TopologySwitchTest.RecordingRelay();
    private final RecordingSfu sfu = new RecordingSfu();
    private final Hub hub = new Hub(CODEC, Hub.Settings.DEFAULT, Clock.systemUTC(), System::nanoTime, who -> List.of());
    private final Readout readout = new Readout(
            "r1", "t", "attending", Instant.now(), List.of(new ServerMessage.WorklistItem("local", "1.2", "CT")), 100);

    {
        hub.attachRelay(relay, sfu, 2, Duration.ZERO);
    }

    private Hub.Connection join(String name, HubTest.FakeLink link) {
        return hub.connect(readout, new Hub.Identity(name, name, ReadoutRole.RESIDENT), link);
    }

    private void send(Hub.Connection c, AudioLeg leg, SignalKind kind, int feed, String payload) {
        hub.onMessage(c, CODEC.encode(new ClientMessage.Audio(leg, kind, feed, payload)));
    }

    private static String error(HubTest.FakeLink l) throws InterruptedException {
        ServerMessage.Error e = l.next(ServerMessage.Error.class);
        return e.code() + ": " + e.message();
    }

    @Test
    void relayModeAudio_ownFeedOnly_preciseRefusals_roomClosesWithTheRelay() throws Exception {
        HubTest.FakeLink a = new HubTest.FakeLink(), b = new HubTest.FakeLink(), c = new HubTest.FakeLink();
        Hub.Connection ca = join("a", a);
        Hub.Connection cb = join("b", b);
        send(ca, AudioLeg.PUBLISH, SignalKind.OFFER, ca.peer(), OFFER);
        assertEquals("audio-not-relay: this readout's audio is on the mesh", error(a));
        assertTrue(sfu.calls.isEmpty(), "no room on the mesh");

        Hub.Connection cc = join("c", c);
        for (HubTest.FakeLink l : List.of(a, b, c)) {
            assertEquals(new ServerMessage.Topology(Mode.RELAY, 1, Audio.SFU), TopologySwitchTest.topology(l, 1));
        }
        assertEquals(List.of("open r1", "join " + ca.peer(), "join " + cb.peer(), "join " + cc.peer()), sfu.calls);

        send(cb, AudioLeg.PUBLISH, SignalKind.OFFER, cb.peer(), OFFER);
        send(cb, AudioLeg.PUBLISH, SignalKind.CANDIDATE, cb.peer(), "{\"candidate\":\"\"}");
        send(cb, AudioLeg.SUBSCRIBE, SignalKind.ANSWER, cb.peer(), OFFER);
        send(cb, AudioLeg.SUBSCRIBE, SignalKind.CANDIDATE, cb.peer(), "{\"candidate\":\"\"}");
        assertEquals(
                List.of(
                        "publish " + cb.peer(),
                        "candidate " + cb.peer() + " PUBLISH",
                        "subscribed " + cb.peer(),
                        "candidate " + cb.peer() + " SUBSCRIBE"),
                sfu.calls.subList(4, 8));

        // The SFU's answer and its refusals reach only the participant concerned.
        sfu.events.send(
                cb.peer(), new ServerMessage.Audio(AudioLeg.PUBLISH, SignalKind.ANSWER, "v=0 answer", List.of()));
        assertEquals("v=0 answer", b.next(ServerMessage.Audio.class).payload());
        sfu.events.refused(cb.peer(), "publish: no such room");
        assertEquals("audio-refused: publish: no such room", error(b));

        // Forged and malformed input: refused, logged, nothing reaches the room.
        int before = sfu.calls.size();
        send(cb, AudioLeg.PUBLISH, SignalKind.OFFER, ca.peer(), OFFER);
        assertEquals(
                "audio-not-yours: peer " + cb.peer() + " sent audio for feed " + ca.peer()
                        + "; a participant publishes and subscribes only as itself",
                error(b));
        send(cb, AudioLeg.SUBSCRIBE, SignalKind.ANSWER, cc.peer(), OFFER);
        assertTrue(error(b).startsWith("audio-not-yours"));
        send(cb, AudioLeg.PUBLISH, SignalKind.ANSWER, cb.peer(), OFFER);
        assertTrue(error(b).startsWith("audio-bad-kind: publish leg takes no answer"));
        send(cb, AudioLeg.SUBSCRIBE, SignalKind.OFFER, cb.peer(), OFFER);
        assertTrue(error(b).startsWith("audio-bad-kind: subscribe leg takes no offer"));
        send(cb, AudioLeg.PUBLISH, SignalKind.OFFER, cb.peer(), "hello");
        assertEquals("audio-bad-jsep: not an SDP (it must start with v=0)", error(b));
        send(cb, AudioLeg.PUBLISH, SignalKind.OFFER, cb.peer(), OFFER + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n");
        assertEquals("audio-bad-jsep: media section 2 is not audio; the SFU carries audio only", error(b));
        send(cb, AudioLeg.PUBLISH, SignalKind.OFFER, cb.peer(), OFFER + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n");
        assertEquals("audio-bad-jsep: 2 media sections; a participant publishes one microphone", error(b));
        send(cb, AudioLeg.PUBLISH, SignalKind.OFFER, cb.peer(), "v=0\r\ns=-\r\n");
        assertEquals("audio-bad-jsep: no audio media section", error(b));
        send(cb, AudioLeg.PUBLISH, SignalKind.CANDIDATE, cb.peer(), "not json");
        assertEquals("audio-bad-jsep: candidate is not JSON", error(b));
        hub.onMessage(cb, new byte[] {(byte) 0x95, 0x18, 0x07, 0x01, 0x01, (byte) 0xa3, 'v', '=', '0'});
        assertEquals("malformed: BAD_VALUE: audio leg 7", error(b));
        assertEquals(before, sfu.calls.size(), "nothing refused reached the SFU");
        assertTrue(hub.rejections().stream()
                .anyMatch(r -> r.peer() == cb.peer() && r.code().equals("audio-not-yours")));

        // A failed SFU: everyone is told that audio goes on the mesh again; the relay stays for data.
        sfu.events.failed("Janus went away");
        for (HubTest.FakeLink l : List.of(a, b, c)) {
            assertEquals(new ServerMessage.Topology(Mode.RELAY, 2, Audio.MESH), TopologySwitchTest.topology(l, 2));
        }
        assertTrue(sfu.calls.contains("close"));
        assertTrue(
                a.in.stream()
                        .noneMatch(m ->
                                m instanceof ServerMessage.Error e && e.code().equals("audio-unavailable")),
                "the audio path is announced, not signalled by an error");
        HubTest.FakeLink d = new HubTest.FakeLink();
        join("d", d);
        assertEquals(
                new ServerMessage.Topology(Mode.RELAY, 2, Audio.MESH),
                d.next(ServerMessage.Topology.class),
                "a newcomer after the failure learns mesh audio");
        // An AUDIO that crossed the announcement is refused.
        send(ca, AudioLeg.PUBLISH, SignalKind.OFFER, ca.peer(), OFFER);
        assertEquals("audio-unavailable: no audio SFU for this readout; audio goes on the mesh", error(a));
    }

    @Test
    void roomClosesWhenTheReadoutShrinksToTheMesh_andTrailingCandidatesAreDropped() throws Exception {
        HubTest.FakeLink a = new HubTest.FakeLink(), b = new HubTest.FakeLink(), c = new HubTest.FakeLink();
        Hub.Connection ca = join("a", a);
        join("b", b);
        Hub.Connection cc = join("c", c);
        hub.disconnect(cc);
        assertEquals(List.of("leave " + cc.peer(), "close"), sfu.calls.subList(sfu.calls.size() - 2, sfu.calls.size()));
        send(ca, AudioLeg.PUBLISH, SignalKind.CANDIDATE, ca.peer(), "{\"candidate\":\"\"}");
        send(ca, AudioLeg.PUBLISH, SignalKind.OFFER, ca.peer(), OFFER);
        assertEquals("audio-not-relay: this readout's audio is on the mesh", error(a));
        Thread.sleep(100);
        assertTrue(
                a.in.stream().noneMatch(m -> m instanceof ServerMessage.Error),
                "a trailing candidate is dropped without an error");
    }
}
