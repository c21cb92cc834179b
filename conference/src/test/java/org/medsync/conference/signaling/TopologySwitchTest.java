package org.medsync.conference.signaling;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
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
 * The hub's choice of data path with a recording relay (the real one, on webrtc-java, is tested in readout-relay
 * and in the browser test): above the mesh size the readout goes to the relay and back when it shrinks, signals
 * to the reserved relay id reach the relay, its answers reach the participant, and a relay failure falls back to
 * the mesh. A group that shrinks back waits before returning to the mesh, and a rejoin within that wait keeps
 * it on the relay.
 */
class TopologySwitchTest {
    private static final Codec CODEC = new Codec(Limits.DEFAULT);

    /** Records what the hub asks of the relay; {@code open} fails while {@code broken}. */
    static final class RecordingRelay implements DataRelay {
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile Events events;
        volatile boolean broken;

        @Override
        public Session open(String readoutId, Events events) throws RelayException {
            if (broken) {
                throw new RelayException("natives missing", new UnsatisfiedLinkError("libwebrtc"));
            }
            this.events = events;
            calls.add("open");
            return new Session() {
                @Override
                public void signal(int peer, SignalKind kind, String payload) {
                    calls.add("signal " + peer + " " + kind + " " + payload);
                }

                @Override
                public void floor(int holder) {
                    calls.add("floor " + holder);
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

    private final RecordingRelay relay = new RecordingRelay();
    private final Hub hub = new Hub(CODEC, Hub.Settings.DEFAULT, Clock.systemUTC(), System::nanoTime, who -> List.of());
    private final Readout readout = new Readout(
            "r1", "t", "attending", Instant.now(), List.of(new ServerMessage.WorklistItem("local", "1.2", "CT")), 100);

    {
        hub.attachRelay(relay, null, 2, Duration.ZERO);
    }

    private Hub.Connection join(String name, ReadoutRole role, HubTest.FakeLink link) {
        return hub.connect(readout, new Hub.Identity(name, name, role), link);
    }

    /** The TOPOLOGY of {@code epoch}, skipping earlier ones. */
    static ServerMessage.Topology topology(HubTest.FakeLink l, long epoch) throws InterruptedException {
        while (true) {
            ServerMessage.Topology t = l.next(ServerMessage.Topology.class);
            if (t.epoch() == epoch) {
                return t;
            }
        }
    }

    @Test
    void growsToRelay_signalsBothWays_shrinksBackToMesh() throws Exception {
        HubTest.FakeLink a = new HubTest.FakeLink(), b = new HubTest.FakeLink(), c = new HubTest.FakeLink();
        Hub.Connection ca = join("a", ReadoutRole.ATTENDING, a);
        assertEquals(new ServerMessage.Topology(Mode.MESH, 0, Audio.MESH), a.next(ServerMessage.Topology.class));
        hub.onMessage(ca, CODEC.encode(new ClientMessage.FloorRequest(false)));
        join("b", ReadoutRole.RESIDENT, b);
        assertEquals(new ServerMessage.Topology(Mode.MESH, 0, Audio.MESH), b.next(ServerMessage.Topology.class));
        assertTrue(relay.calls.isEmpty());

        Hub.Connection cc = join("c", ReadoutRole.STUDENT, c);
        for (HubTest.FakeLink l : List.of(a, b, c)) {
            assertEquals(
                    new ServerMessage.Topology(Mode.RELAY, 1, Audio.MESH),
                    l.next(ServerMessage.Topology.class),
                    "no SFU here: the announcement keeps audio on the mesh");
        }
        assertEquals(List.of("open", "floor " + ca.peer()), relay.calls);

        hub.onMessage(cc, CODEC.encode(new ClientMessage.Signal(Codec.RELAY_PEER, SignalKind.OFFER, "v=0")));
        assertEquals("signal " + cc.peer() + " OFFER v=0", relay.calls.get(2));
        relay.events.signal(cc.peer(), SignalKind.ANSWER, "v=0 answer");
        assertEquals(
                new ServerMessage.Signal(Codec.RELAY_PEER, SignalKind.ANSWER, "v=0 answer"),
                c.next(ServerMessage.Signal.class));

        hub.onMessage(ca, CODEC.encode(new ClientMessage.FloorRelease()));
        assertEquals("floor 0", relay.calls.get(3));

        hub.disconnect(cc);
        assertEquals(List.of("leave " + cc.peer(), "close"), relay.calls.subList(4, 6));
        for (HubTest.FakeLink l : List.of(a, b)) {
            assertEquals(new ServerMessage.Topology(Mode.MESH, 2, Audio.MESH), l.next(ServerMessage.Topology.class));
        }
        hub.onMessage(ca, CODEC.encode(new ClientMessage.Signal(Codec.RELAY_PEER, SignalKind.CANDIDATE, "{}")));
        hub.onMessage(ca, CODEC.encode(new ClientMessage.Signal(Codec.RELAY_PEER, SignalKind.OFFER, "v=0")));
        assertEquals("unknown-peer", a.next(ServerMessage.Error.class).code());
        Thread.sleep(100);
        assertTrue(
                a.in.stream().noneMatch(m -> m instanceof ServerMessage.Error),
                "a trailing candidate is dropped without an error");
        assertEquals(6, relay.calls.size(), "nothing reached the closed relay session");
    }

    @Test
    void relayFailure_fallsBackToMesh_withChatIntact() throws Exception {
        HubTest.FakeLink a = new HubTest.FakeLink(), b = new HubTest.FakeLink(), c = new HubTest.FakeLink();
        Hub.Connection ca = join("a", ReadoutRole.ATTENDING, a);
        join("b", ReadoutRole.RESIDENT, b);
        join("c", ReadoutRole.STUDENT, c);
        assertEquals(Mode.RELAY, topology(c, 1).mode());
        relay.events.failed("native send failed");
        for (HubTest.FakeLink l : List.of(a, b, c)) {
            assertEquals(Mode.MESH, topology(l, 2).mode());
        }
        assertTrue(relay.calls.contains("close"));
        hub.onMessage(ca, CODEC.encode(new ClientMessage.Chat("still here")));
        assertEquals("still here", c.next(ServerMessage.Chat.class).text());
    }

    @Test
    void relayThatCannotStart_keepsTheMesh() throws Exception {
        relay.broken = true;
        HubTest.FakeLink a = new HubTest.FakeLink(), b = new HubTest.FakeLink(), c = new HubTest.FakeLink();
        join("a", ReadoutRole.ATTENDING, a);
        join("b", ReadoutRole.RESIDENT, b);
        join("c", ReadoutRole.STUDENT, c);
        assertEquals(new ServerMessage.Topology(Mode.MESH, 0, Audio.MESH), c.next(ServerMessage.Topology.class));
        Thread.sleep(100);
        assertTrue(a.in.stream().noneMatch(m -> m instanceof ServerMessage.Topology t && t.mode() == Mode.RELAY));
    }

    @Test
    void shrunkenGroup_returnsToMeshOnlyAfterTheDelay_aRejoinKeepsTheRelay() throws Exception {
        Hub delayed = new Hub(CODEC, Hub.Settings.DEFAULT, Clock.systemUTC(), System::nanoTime, who -> List.of());
        delayed.attachRelay(relay, null, 2, Duration.ofMillis(400));
        HubTest.FakeLink a = new HubTest.FakeLink(),
                b = new HubTest.FakeLink(),
                c = new HubTest.FakeLink(),
                c2 = new HubTest.FakeLink();
        delayed.connect(readout, new Hub.Identity("a", "a", ReadoutRole.ATTENDING), a);
        delayed.connect(readout, new Hub.Identity("b", "b", ReadoutRole.RESIDENT), b);
        Hub.Connection cc = delayed.connect(readout, new Hub.Identity("c", "c", ReadoutRole.STUDENT), c);
        assertEquals(Mode.RELAY, topology(a, 1).mode());

        // c's network drops and it rejoins within the delay: the group never leaves the relay.
        delayed.disconnect(cc);
        Thread.sleep(150);
        Hub.Connection cc2 = delayed.connect(readout, new Hub.Identity("c", "c", ReadoutRole.STUDENT), c2);
        assertEquals(
                new ServerMessage.Topology(Mode.RELAY, 1, Audio.MESH),
                c2.next(ServerMessage.Topology.class),
                "the rejoiner is told the relay");
        Thread.sleep(600);
        assertTrue(
                a.in.stream().noneMatch(m -> m instanceof ServerMessage.Topology t && t.epoch() > 1),
                "no switch for a rejoin");
        assertFalse(relay.calls.contains("close"));

        // It leaves for good: after the delay, back to the mesh.
        long left = System.nanoTime();
        delayed.disconnect(cc2);
        Thread.sleep(150);
        assertTrue(
                a.in.stream().noneMatch(m -> m instanceof ServerMessage.Topology t && t.epoch() > 1),
                "not before the delay");
        assertEquals(new ServerMessage.Topology(Mode.MESH, 2, Audio.MESH), topology(a, 2));
        assertTrue(System.nanoTime() - left >= Duration.ofMillis(400).toNanos());
        assertEquals(Mode.MESH, topology(b, 2).mode());
        assertTrue(relay.calls.contains("close"));
    }
}
