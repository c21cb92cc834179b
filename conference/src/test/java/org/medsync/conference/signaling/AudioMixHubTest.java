package org.medsync.conference.signaling;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
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
 * The hub's side of mixed audio with a recording SFU (Janus's AudioBridge is tested in the server module and in real
 * Chromium): a relay readout forwards up to the mixing threshold, its next participant moves everyone to a mixing
 * room (TOPOLOGY audio 2, the forwarding room closed), a newcomer to a mixing readout learns it at once, the mixer's
 * talkers reach everyone as SPEAKING and a closed room's do not, a mixer that cannot open leaves forwarding in place,
 * and a threshold of 0 mixes from the first relay moment.
 */
class AudioMixHubTest {
    private static final Codec CODEC = new Codec(Limits.DEFAULT);
    private static final String OFFER =
            "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n";

    /** Records rooms by kind; {@code mixFails} makes openMix throw as a missing AudioBridge would. */
    static final class MixingSfu implements AudioSfu {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<Events> mixEvents = new CopyOnWriteArrayList<>();
        volatile boolean mixFails;

        private Room room(String kind) {
            return new Room() {
                @Override
                public void join(int peer) {
                    calls.add(kind + " join " + peer);
                }

                @Override
                public void publish(int peer, String offerSdp) {
                    calls.add(kind + " publish " + peer);
                }

                @Override
                public void subscribed(int peer, String answerSdp) {
                    calls.add(kind + " subscribed " + peer);
                }

                @Override
                public void candidate(int peer, AudioLeg leg, String candidateJson) {
                    calls.add(kind + " candidate " + peer);
                }

                @Override
                public void leave(int peer) {
                    calls.add(kind + " leave " + peer);
                }

                @Override
                public void close() {
                    calls.add(kind + " close");
                }
            };
        }

        @Override
        public Room open(String readoutId, Events events) {
            calls.add("open sfu");
            return room("sfu");
        }

        @Override
        public Room openMix(String readoutId, Events events) throws DataRelay.RelayException {
            if (mixFails) {
                throw new DataRelay.RelayException("no AudioBridge", null);
            }
            calls.add("open mix");
            mixEvents.add(events);
            return room("mix");
        }
    }

    private final TopologySwitchTest.RecordingRelay relay = new TopologySwitchTest.RecordingRelay();
    private final MixingSfu sfu = new MixingSfu();
    private final Readout readout = new Readout(
            "r1", "t", "attending", Instant.now(), List.of(new ServerMessage.WorklistItem("local", "1.2", "CT")), 100);

    private Hub hub(int mixAbove) {
        Hub hub = new Hub(CODEC, Hub.Settings.DEFAULT, Clock.systemUTC(), System::nanoTime, who -> List.of());
        hub.attachRelay(relay, sfu, 2, mixAbove, Duration.ZERO);
        return hub;
    }

    private Hub.Connection join(Hub hub, String name, HubTest.FakeLink link) {
        return hub.connect(readout, new Hub.Identity(name, name, ReadoutRole.RESIDENT), link);
    }

    private static ServerMessage.Speaking speaking(HubTest.FakeLink l) throws InterruptedException {
        return l.next(ServerMessage.Speaking.class);
    }

    @Test
    void forwardsUpToTheThreshold_mixesAbove_speakingReachesEveryone() throws Exception {
        Hub hub = hub(3);
        HubTest.FakeLink a = new HubTest.FakeLink(), b = new HubTest.FakeLink(), c = new HubTest.FakeLink();
        Hub.Connection ca = join(hub, "a", a);
        Hub.Connection cb = join(hub, "b", b);
        Hub.Connection cc = join(hub, "c", c);
        for (HubTest.FakeLink l : List.of(a, b, c)) {
            assertEquals(new ServerMessage.Topology(Mode.RELAY, 1, Audio.SFU), TopologySwitchTest.topology(l, 1));
        }
        assertFalse(sfu.calls.contains("open mix"), "3 participants, threshold 3: forwarded");

        HubTest.FakeLink d = new HubTest.FakeLink();
        Hub.Connection cd = join(hub, "d", d);
        for (HubTest.FakeLink l : List.of(a, b, c, d)) {
            assertEquals(new ServerMessage.Topology(Mode.RELAY, 2, Audio.MIX), TopologySwitchTest.topology(l, 2));
        }
        int opened = sfu.calls.indexOf("open mix");
        assertTrue(opened > 0, sfu.calls.toString());
        assertEquals(
                List.of(
                        "mix join " + ca.peer(),
                        "mix join " + cb.peer(),
                        "mix join " + cc.peer(),
                        "mix join " + cd.peer(),
                        "sfu close"),
                sfu.calls.subList(opened + 1, opened + 6));

        // The publish leg reaches the mixing room; a newcomer to a mixing readout learns it with its first TOPOLOGY.
        hub.onMessage(cb, CODEC.encode(new ClientMessage.Audio(AudioLeg.PUBLISH, SignalKind.OFFER, cb.peer(), OFFER)));
        assertEquals("mix publish " + cb.peer(), sfu.calls.getLast());
        HubTest.FakeLink e = new HubTest.FakeLink();
        Hub.Connection ce = join(hub, "e", e);
        assertEquals(new ServerMessage.Topology(Mode.RELAY, 2, Audio.MIX), e.next(ServerMessage.Topology.class));
        assertEquals("mix join " + ce.peer(), sfu.calls.getLast());

        // Talkers, in peer order, to everyone.
        AudioSfu.Events mix = sfu.mixEvents.getLast();
        mix.speaking(Set.of(cc.peer(), ca.peer()));
        for (HubTest.FakeLink l : List.of(a, b, c, d, e)) {
            assertEquals(List.of(ca.peer(), cc.peer()), speaking(l).peers());
        }
        mix.speaking(Set.of());
        assertEquals(List.of(), speaking(a).peers());

        // Back below the threshold the readout keeps mixing (no churn); only leaving the relay closes the room.
        hub.disconnect(ce);
        hub.disconnect(cd);
        assertTrue(sfu.calls.subList(opened + 1, sfu.calls.size()).stream().noneMatch(x -> x.startsWith("open")));
        hub.disconnect(cc);
        assertEquals("mix close", sfu.calls.getLast());
        assertEquals(new ServerMessage.Topology(Mode.MESH, 3, Audio.MESH), TopologySwitchTest.topology(a, 3));
        // A closed room's late talkers reach nobody.
        mix.speaking(Set.of(ca.peer()));
        Thread.sleep(50);
        assertTrue(a.in.stream().noneMatch(m -> m instanceof ServerMessage.Speaking));
    }

    @Test
    void aMixerThatCannotOpenLeavesForwarding_thresholdZeroMixesAtOnce() throws Exception {
        sfu.mixFails = true;
        Hub forwarding = hub(2);
        HubTest.FakeLink a = new HubTest.FakeLink(), b = new HubTest.FakeLink(), c = new HubTest.FakeLink();
        join(forwarding, "a", a);
        join(forwarding, "b", b);
        join(forwarding, "c", c);
        assertEquals(new ServerMessage.Topology(Mode.RELAY, 1, Audio.SFU), TopologySwitchTest.topology(a, 1));
        HubTest.FakeLink d = new HubTest.FakeLink();
        join(forwarding, "d", d);
        assertEquals(new ServerMessage.Topology(Mode.RELAY, 1, Audio.SFU), d.next(ServerMessage.Topology.class));
        assertFalse(sfu.calls.contains("sfu close"), "forwarding goes on: " + sfu.calls);

        sfu.mixFails = false;
        sfu.calls.clear();
        Readout other = new Readout(
                "r2",
                "t",
                "attending",
                Instant.now(),
                List.of(new ServerMessage.WorklistItem("local", "1.2", "CT")),
                100);
        Hub always = hub(0);
        HubTest.FakeLink x = new HubTest.FakeLink(), y = new HubTest.FakeLink(), z = new HubTest.FakeLink();
        for (HubTest.FakeLink l : List.of(x, y, z)) {
            always.connect(other, new Hub.Identity("p", "p", ReadoutRole.RESIDENT), l);
        }
        assertEquals(new ServerMessage.Topology(Mode.RELAY, 1, Audio.MIX), TopologySwitchTest.topology(x, 1));
        assertFalse(sfu.calls.contains("open sfu"), sfu.calls.toString());
    }
}
