package org.medsync.conference.signaling;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.medsync.conference.protocol.ClientMessage;
import org.medsync.conference.protocol.Codec;
import org.medsync.conference.protocol.Limits;
import org.medsync.conference.protocol.ServerMessage;
import org.medsync.conference.protocol.SignalKind;
import org.medsync.conference.readout.Readout;
import org.medsync.conference.readout.ReadoutRole;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;
import org.msgpack.value.ValueType;

class HubTest {
    private static final Codec CODEC = new Codec(Limits.DEFAULT);

    static final class FakeLink implements Link {
        final BlockingQueue<ServerMessage> in = new LinkedBlockingQueue<>();
        volatile int closed;

        @Override
        public void send(byte[] message) {
            try {
                in.add(CODEC.decodeServer(message));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public void close(int code, String reason) {
            closed = code;
        }

        <T extends ServerMessage> T next(Class<T> type) throws InterruptedException {
            while (true) {
                ServerMessage m = in.poll(5, TimeUnit.SECONDS);
                assertNotNull(m, "no " + type.getSimpleName());
                if (type.isInstance(m)) {
                    return type.cast(m);
                }
            }
        }
    }

    private final Hub hub = new Hub(CODEC, Hub.Settings.DEFAULT, Clock.systemUTC(), System::nanoTime, who -> List.of());
    private final Readout readout = new Readout(
            "r1", "t", "attending", Instant.now(), List.of(new ServerMessage.WorklistItem("local", "1.2", "CT")), 100);

    @Test
    void guestCannotPassForAnAttendingInChat() throws Exception {
        FakeLink a = new FakeLink(), g = new FakeLink();
        hub.connect(readout, new Hub.Identity("smith", "Dr Smith", ReadoutRole.ATTENDING), a);
        // A guest who called themselves like the attending: the name is theirs, but the role and the mark are the
        // server's.
        Hub.Connection cg = hub.connect(
                readout, new Hub.Identity(Hub.Identity.GUEST_PREFIX + "1", "Dr Smith", ReadoutRole.STUDENT), g);
        ServerMessage.Roster roster = a.next(ServerMessage.Roster.class);
        while (roster.peers().size() < 2) {
            roster = a.next(ServerMessage.Roster.class);
        }
        assertEquals(
                List.of(false, true),
                roster.peers().stream().map(ServerMessage.Peer::guest).toList());
        hub.onMessage(cg, CODEC.encode(new ClientMessage.Chat("attending here: stop the scan")));
        ServerMessage.Chat line = a.next(ServerMessage.Chat.class);
        assertEquals(cg.peer(), line.from());
        assertEquals("student", line.role());
        assertTrue(line.guest());
        // Late joiners get the history stamped alike.
        FakeLink late = new FakeLink();
        hub.connect(readout, new Hub.Identity("jones", "Dr Jones", ReadoutRole.RESIDENT), late);
        ServerMessage.Chat kept = late.next(ServerMessage.Welcome.class).chat().getFirst();
        assertEquals("student", kept.role());
        assertTrue(kept.guest());
    }

    @Test
    void lateStudentCannotReadChatWrittenBeforeAnyStudentWasThere() throws Exception {
        FakeLink a = new FakeLink(), r = new FakeLink();
        Hub.Connection ca = hub.connect(readout, new Hub.Identity("smith", "Dr Smith", ReadoutRole.ATTENDING), a);
        hub.connect(readout, new Hub.Identity("jones", "Dr Jones", ReadoutRole.RESIDENT), r);
        // Written among clinicians, who saw no warning: it may name the patient.
        hub.onMessage(ca, CODEC.encode(new ClientMessage.Chat("Mrs Doe again, compare with her 2019 scan")));
        a.next(ServerMessage.Chat.class);
        FakeLink s1 = new FakeLink();
        hub.connect(readout, new Hub.Identity(Hub.Identity.GUEST_PREFIX + "1", "Student 1", ReadoutRole.STUDENT), s1);
        assertEquals(
                List.of(),
                s1.next(ServerMessage.Welcome.class).chat(),
                "clinicians' chat from before reaches no student");
        // Written while a student read along (the writer saw the warning): later students get it.
        hub.onMessage(ca, CODEC.encode(new ClientMessage.Chat("note the ring enhancement")));
        a.next(ServerMessage.Chat.class);
        FakeLink s2 = new FakeLink(), late = new FakeLink();
        hub.connect(readout, new Hub.Identity("obs", "Observer", ReadoutRole.OBSERVER), s2);
        assertEquals(
                List.of("note the ring enhancement"),
                s2.next(ServerMessage.Welcome.class).chat().stream()
                        .map(ServerMessage.Chat::text)
                        .toList());
        hub.connect(readout, new Hub.Identity("lee", "Dr Lee", ReadoutRole.RESIDENT), late);
        assertEquals(2, late.next(ServerMessage.Welcome.class).chat().size(), "clinicians get the whole history");
    }

    @Test
    void guestsCannotTakeEverySeat() throws Exception {
        Hub small = new Hub(
                CODEC, new Hub.Settings(4, 2, 256, 60, 240, 50), Clock.systemUTC(), System::nanoTime, who -> List.of());
        for (int i = 0; i < 2; i++) {
            assertNotNull(small.connect(
                    readout,
                    new Hub.Identity(Hub.Identity.GUEST_PREFIX + i, "G" + i, ReadoutRole.STUDENT),
                    new FakeLink()));
        }
        FakeLink third = new FakeLink();
        assertNull(small.connect(
                readout, new Hub.Identity(Hub.Identity.GUEST_PREFIX + "2", "G2", ReadoutRole.STUDENT), third));
        assertEquals(1008, third.closed);
        assertEquals("guest-seats-full", small.rejections().getLast().code());
        // The seats left are the accounts'.
        assertNotNull(
                small.connect(readout, new Hub.Identity("smith", "Dr Smith", ReadoutRole.ATTENDING), new FakeLink()));
        assertNotNull(
                small.connect(readout, new Hub.Identity("jones", "Dr Jones", ReadoutRole.RESIDENT), new FakeLink()));
    }

    @Test
    void signals_goOnlyToTheAddressee_withTheSenderStamped() throws Exception {
        FakeLink a = new FakeLink(), b = new FakeLink(), c = new FakeLink();
        Hub.Connection ca = hub.connect(readout, new Hub.Identity("a", "A", ReadoutRole.ATTENDING), a);
        Hub.Connection cb = hub.connect(readout, new Hub.Identity("b", "B", ReadoutRole.RESIDENT), b);
        hub.connect(readout, new Hub.Identity("c", "C", ReadoutRole.STUDENT), c);
        assertEquals(1, a.next(ServerMessage.Welcome.class).you());
        hub.onMessage(ca, CODEC.encode(new ClientMessage.Signal(cb.peer(), SignalKind.OFFER, "v=0")));
        assertEquals(new ServerMessage.Signal(ca.peer(), SignalKind.OFFER, "v=0"), b.next(ServerMessage.Signal.class));
        Thread.sleep(100);
        assertTrue(c.in.stream().noneMatch(m -> m instanceof ServerMessage.Signal));
    }

    @Test
    void studentFloorRequest_andMalformed_areRefused_othersUndisturbed() throws Exception {
        FakeLink a = new FakeLink(), s = new FakeLink();
        Hub.Connection ca = hub.connect(readout, new Hub.Identity("a", "A", ReadoutRole.ATTENDING), a);
        Hub.Connection cs = hub.connect(readout, new Hub.Identity("s", "S", ReadoutRole.STUDENT), s);
        hub.onMessage(cs, CODEC.encode(new ClientMessage.FloorRequest(false)));
        assertEquals("floor-not-allowed", s.next(ServerMessage.Error.class).code());
        hub.onMessage(cs, new byte[] {(byte) 0xc1});
        assertEquals("malformed", s.next(ServerMessage.Error.class).code());
        hub.onMessage(ca, CODEC.encode(new ClientMessage.FloorRequest(false)));
        assertEquals(ca.peer(), s.next(ServerMessage.Floor.class).holder());
        assertEquals(2, hub.rejections().size());
    }

    @Test
    void studentsAndObservers_getNoWorklistLabels() throws Exception {
        FakeLink a = new FakeLink(), s = new FakeLink(), o = new FakeLink();
        hub.connect(readout, new Hub.Identity("a", "A", ReadoutRole.ATTENDING), a);
        hub.connect(readout, new Hub.Identity("s", "S", ReadoutRole.STUDENT), s);
        hub.connect(readout, new Hub.Identity("o", "O", ReadoutRole.OBSERVER), o);
        assertEquals(
                List.of(new ServerMessage.WorklistItem("local", "1.2", "CT")),
                a.next(ServerMessage.Welcome.class).worklist());
        assertEquals(
                List.of(new ServerMessage.WorklistItem("local", "1.2", "")),
                s.next(ServerMessage.Welcome.class).worklist());
        assertEquals(
                List.of(new ServerMessage.WorklistItem("local", "1.2", "")),
                o.next(ServerMessage.Welcome.class).worklist());
    }

    @Test
    void handOver_onlyByTheDriver_onlyToWhoMayDrive_refusalSaysWhy() throws Exception {
        FakeLink a = new FakeLink(), r = new FakeLink(), s = new FakeLink();
        Hub.Connection ca = hub.connect(readout, new Hub.Identity("a", "A", ReadoutRole.ATTENDING), a);
        Hub.Connection cr = hub.connect(readout, new Hub.Identity("r", "R", ReadoutRole.RESIDENT), r);
        Hub.Connection cs = hub.connect(readout, new Hub.Identity("s", "S", ReadoutRole.STUDENT), s);
        hub.onMessage(ca, CODEC.encode(new ClientMessage.FloorRequest(false)));
        assertEquals(ca.peer(), r.next(ServerMessage.Floor.class).holder());
        assertEquals(ca.peer(), s.next(ServerMessage.Floor.class).holder());
        hub.onMessage(cr, CODEC.encode(new ClientMessage.FloorHandOver(cr.peer())));
        assertEquals(
                new ServerMessage.Error("floor-not-holder", "the driver is peer " + ca.peer()),
                r.next(ServerMessage.Error.class));
        hub.onMessage(ca, CODEC.encode(new ClientMessage.FloorHandOver(cs.peer())));
        assertEquals(
                new ServerMessage.Error("floor-not-allowed", "peer " + cs.peer() + " is student"),
                a.next(ServerMessage.Error.class));
        hub.onMessage(ca, CODEC.encode(new ClientMessage.FloorHandOver(99)));
        assertEquals(new ServerMessage.Error("floor-unknown-peer", "no peer 99"), a.next(ServerMessage.Error.class));
        hub.onMessage(ca, CODEC.encode(new ClientMessage.FloorHandOver(cr.peer())));
        assertEquals(cr.peer(), s.next(ServerMessage.Floor.class).holder());
        assertTrue(hub.rejections().stream()
                .anyMatch(x -> x.peer() == ca.peer() && x.code().equals("floor-not-allowed")));
    }

    @Test
    void floorAnswers_asDocsReadoutProtocolFloorSays() throws Exception {
        FakeLink a = new FakeLink(), r = new FakeLink();
        Hub.Connection ca = hub.connect(readout, new Hub.Identity("a", "A", ReadoutRole.ATTENDING), a);
        Hub.Connection cr = hub.connect(readout, new Hub.Identity("r", "R", ReadoutRole.RESIDENT), r);
        // take by a resident is refused even on a free floor: it is not turned into a plain request.
        hub.onMessage(cr, CODEC.encode(new ClientMessage.FloorRequest(true)));
        assertEquals("floor-not-allowed", r.next(ServerMessage.Error.class).code());
        hub.onMessage(ca, CODEC.encode(new ClientMessage.FloorRequest(false)));
        assertEquals(new ServerMessage.Floor(1, ca.peer(), List.of()), r.next(ServerMessage.Floor.class));
        hub.onMessage(ca, CODEC.encode(new ClientMessage.FloorRequest(true)));
        assertEquals("floor-already-holder", a.next(ServerMessage.Error.class).code());
        hub.onMessage(cr, CODEC.encode(new ClientMessage.FloorRequest(false)));
        assertEquals(new ServerMessage.Floor(2, ca.peer(), List.of(cr.peer())), a.next(ServerMessage.Floor.class));
        assertEquals(new ServerMessage.Floor(2, ca.peer(), List.of(cr.peer())), r.next(ServerMessage.Floor.class));
        // Asking again changes nothing: the same FLOOR, to the asker alone.
        hub.onMessage(cr, CODEC.encode(new ClientMessage.FloorRequest(false)));
        assertEquals(new ServerMessage.Floor(2, ca.peer(), List.of(cr.peer())), r.next(ServerMessage.Floor.class));
        // Released: nobody drives, and the queue stays (the server grants nothing by itself).
        hub.onMessage(ca, CODEC.encode(new ClientMessage.FloorRelease()));
        assertEquals(new ServerMessage.Floor(3, 0, List.of(cr.peer())), a.next(ServerMessage.Floor.class));
        assertEquals(new ServerMessage.Floor(3, 0, List.of(cr.peer())), r.next(ServerMessage.Floor.class));
        assertTrue(a.in.stream().noneMatch(m -> m instanceof ServerMessage.Floor), "the repeat went to the asker only");
        hub.onMessage(ca, CODEC.encode(new ClientMessage.FloorRelease()));
        assertEquals("floor-not-holder", a.next(ServerMessage.Error.class).code());
    }

    @Test
    void driverLeaving_freesTheFloor_lateJoinerGetsChatAndFloor() throws Exception {
        FakeLink a = new FakeLink(), b = new FakeLink();
        Hub.Connection ca = hub.connect(readout, new Hub.Identity("a", "A", ReadoutRole.ATTENDING), a);
        hub.connect(readout, new Hub.Identity("b", "B", ReadoutRole.RESIDENT), b);
        hub.onMessage(ca, CODEC.encode(new ClientMessage.FloorRequest(false)));
        hub.onMessage(ca, CODEC.encode(new ClientMessage.Chat("first")));
        assertEquals(ca.peer(), b.next(ServerMessage.Floor.class).holder());
        hub.disconnect(ca);
        assertEquals(0, b.next(ServerMessage.Floor.class).holder());
        FakeLink late = new FakeLink();
        hub.connect(readout, new Hub.Identity("l", "L", ReadoutRole.RESIDENT), late);
        ServerMessage.Welcome w = late.next(ServerMessage.Welcome.class);
        assertEquals("first", w.chat().getFirst().text());
        assertEquals(0, w.floor().holder());
    }

    @Test
    void lateJoiner_getsTheDriversSnapshotBytes_integersStayIntegers_floatsStayFloats() throws Exception {
        FakeLink a = new FakeLink();
        Hub.Connection ca = hub.connect(readout, new Hub.Identity("a", "A", ReadoutRole.ATTENDING), a);
        hub.onMessage(ca, CODEC.encode(new ClientMessage.FloorRequest(false)));
        a.next(ServerMessage.Floor.class);
        // A full VIEW as a JavaScript driver encodes it: whole numbers as integers (VOI 40..80, crosshair x 0),
        // fractions as float64 (scale) or float32 (pan).
        byte[] view = pack(out -> out.packArrayHeader(4 + 14)
                .packInt(1)
                .packInt(9)
                .packInt(0)
                .packInt(511)
                .packInt(0)
                .packString("1.2.3")
                .packInt(70)
                .packInt(40)
                .packInt(80)
                .packDouble(0.8)
                .packFloat(0.5f)
                .packFloat(0.25f)
                .packBoolean(true)
                .packInt(0)
                .packDouble(0.5)
                .packBoolean(false)
                .packInt(10)
                .packBoolean(false));
        hub.onMessage(ca, pack(out -> {
            out.packArrayHeader(2).packInt(ClientMessage.SNAPSHOT).packBinaryHeader(view.length);
            out.writePayload(view);
        }));
        BlockingQueue<byte[]> raw = new LinkedBlockingQueue<>();
        hub.connect(readout, new Hub.Identity("l", "L", ReadoutRole.RESIDENT), new Link() {
            @Override
            public void send(byte[] message) {
                raw.add(message);
            }

            @Override
            public void close(int code, String reason) {}
        });
        byte[] welcome = raw.poll(5, TimeUnit.SECONDS);
        assertNotNull(welcome, "no WELCOME");
        List<Value> fields;
        try (MessageUnpacker in = MessagePack.newDefaultUnpacker(welcome)) {
            fields = in.unpackValue().asArrayValue().list();
        }
        assertEquals(ServerMessage.WELCOME, fields.getFirst().asIntegerValue().asInt());
        byte[] snapshot = fields.get(9).asBinaryValue().asByteArray();
        assertArrayEquals(view, snapshot, "the driver's bytes, unchanged");
        List<Value> got;
        try (MessageUnpacker in = MessagePack.newDefaultUnpacker(snapshot)) {
            got = in.unpackValue().asArrayValue().list();
        }
        assertEquals(ValueType.INTEGER, got.get(7).getValueType(), "voiLower");
        assertEquals(ValueType.INTEGER, got.get(13).getValueType(), "crosshairX");
        assertEquals(ValueType.FLOAT, got.get(9).getValueType(), "scale");
        assertEquals(0.5, got.get(10).asFloatValue().toDouble(), "panX");
    }

    private interface Packing {
        void pack(MessageBufferPacker out) throws java.io.IOException;
    }

    private static byte[] pack(Packing p) throws java.io.IOException {
        try (MessageBufferPacker out = MessagePack.newDefaultBufferPacker()) {
            p.pack(out);
            return out.toByteArray();
        }
    }

    @Test
    void slowConsumer_isClosed_notWaitedFor() throws Exception {
        Hub small = new Hub(
                CODEC,
                new Hub.Settings(16, 14, 4, 1000, 1000, 50),
                Clock.systemUTC(),
                System::nanoTime,
                who -> List.of());
        Link stuck = new Link() {
            volatile int closed;

            @Override
            public void send(byte[] message) throws java.io.IOException {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    throw new java.io.IOException(e);
                }
            }

            @Override
            public void close(int code, String reason) {
                closed = code;
            }
        };
        FakeLink a = new FakeLink();
        Hub.Connection ca = small.connect(readout, new Hub.Identity("a", "A", ReadoutRole.ATTENDING), a);
        small.connect(readout, new Hub.Identity("s", "S", ReadoutRole.RESIDENT), stuck);
        long t0 = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            small.onMessage(ca, CODEC.encode(new ClientMessage.Chat("m" + i)));
            Thread.sleep(5); // lets the healthy participant's writer drain its 4-message queue
        }
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "broadcast did not block");
        assertEquals(1, readout.size());
    }
}
