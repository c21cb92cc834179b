package org.medsync.conference.protocol;

import static org.medsync.conference.protocol.DecodeException.Reason.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessageInsufficientBufferException;
import org.msgpack.core.MessageIntegerOverflowException;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * MessagePack encoding of every readout message (docs/readout-protocol.md). Each message is one array whose
 * first element is its type code; decoding is strict: exact field counts, types, ranges and limits, nothing
 * after the array. Decoders throw {@link DecodeException} and nothing else.
 */
public final class Codec {
    /** Data-channel message types; BATCH only ever comes from the server's relay. */
    public static final int VIEW = 1, POINTER = 2, BATCH = 3;
    /**
     * The peer id of the server's data relay in SIGNAL messages (2^31 - 1): real peers are numbered from 1 and
     * the server never assigns this one, and 0 already means "nobody" in FLOOR.
     */
    public static final int RELAY_PEER = Integer.MAX_VALUE;
    /** Most messages in one BATCH: a full VIEW, the latest delta VIEW on top of it and the latest POINTER. */
    public static final int MAX_BATCH = 3;

    private final Limits limits;

    public Codec(Limits limits) {
        this.limits = limits;
    }

    public Limits limits() {
        return limits;
    }

    // ---------------------------------------------------------------- client -> server

    public ClientMessage decodeClient(byte[] bytes) throws DecodeException {
        return read(bytes, in -> {
            int n = in.header();
            int type = in.typeCode();
            ClientMessage m = switch (type) {
                case ClientMessage.SIGNAL -> {
                    in.count(n, 4);
                    yield new ClientMessage.Signal(
                            in.peer(), SignalKind.of(in.uint(3)), in.string(limits.maxSignalBytes()));
                }
                case ClientMessage.FLOOR_REQUEST -> {
                    in.count(n, 2);
                    yield new ClientMessage.FloorRequest(in.bool());
                }
                case ClientMessage.FLOOR_RELEASE -> {
                    in.count(n, 1);
                    yield new ClientMessage.FloorRelease();
                }
                case ClientMessage.FLOOR_HAND_OVER -> {
                    in.count(n, 2);
                    yield new ClientMessage.FloorHandOver(in.peer());
                }
                case ClientMessage.CHAT -> {
                    in.count(n, 2);
                    String text = in.string(limits.maxChatChars() * 3);
                    if (text.length() > limits.maxChatChars()) {
                        throw new DecodeException(TOO_LARGE, "chat of " + text.length() + " chars");
                    }
                    if (text.isBlank()) {
                        throw new DecodeException(BAD_VALUE, "empty chat");
                    }
                    yield new ClientMessage.Chat(text);
                }
                case ClientMessage.WORKLIST_GOTO -> {
                    in.count(n, 2);
                    yield new ClientMessage.WorklistGoto((int) in.uint(limits.maxListItems() - 1));
                }
                case ClientMessage.STATUS -> {
                    in.count(n, 5);
                    long index = in.integer(-1, limits.maxListItems() - 1);
                    yield new ClientMessage.Status((int) index, in.bool(), in.bool(), in.bool());
                }
                case ClientMessage.SNAPSHOT -> {
                    in.count(n, 2);
                    yield new ClientMessage.Snapshot(snapshot(in.binary(limits.maxMessageBytes())));
                }
                case ClientMessage.AUDIO -> {
                    in.count(n, 5);
                    yield new ClientMessage.Audio(
                            AudioLeg.of(in.uint(255)),
                            SignalKind.of(in.uint(3)),
                            in.peer(),
                            in.string(limits.maxSignalBytes()));
                }
                default -> throw new DecodeException(UNKNOWN_TYPE, "client message type " + type);
            };
            return m;
        });
    }

    public byte[] encode(ClientMessage m) {
        return write(out -> {
            switch (m) {
                case ClientMessage.Signal s -> {
                    out.packArrayHeader(4)
                            .packInt(ClientMessage.SIGNAL)
                            .packInt(s.to())
                            .packInt(s.kind().code())
                            .packString(s.payload());
                }
                case ClientMessage.Audio a ->
                    out.packArrayHeader(5)
                            .packInt(ClientMessage.AUDIO)
                            .packInt(a.leg().code())
                            .packInt(a.kind().code())
                            .packInt(a.feed())
                            .packString(a.payload());
                case ClientMessage.FloorRequest r ->
                    out.packArrayHeader(2).packInt(ClientMessage.FLOOR_REQUEST).packBoolean(r.take());
                case ClientMessage.FloorRelease r -> out.packArrayHeader(1).packInt(ClientMessage.FLOOR_RELEASE);
                case ClientMessage.FloorHandOver h ->
                    out.packArrayHeader(2)
                            .packInt(ClientMessage.FLOOR_HAND_OVER)
                            .packInt(h.to());
                case ClientMessage.Chat c ->
                    out.packArrayHeader(2).packInt(ClientMessage.CHAT).packString(c.text());
                case ClientMessage.WorklistGoto g ->
                    out.packArrayHeader(2).packInt(ClientMessage.WORKLIST_GOTO).packInt(g.index());
                case ClientMessage.Status s ->
                    out.packArrayHeader(5)
                            .packInt(ClientMessage.STATUS)
                            .packInt(s.worklistIndex())
                            .packBoolean(s.ready())
                            .packBoolean(s.following())
                            .packBoolean(s.muted());
                case ClientMessage.Snapshot s -> {
                    out.packArrayHeader(2)
                            .packInt(ClientMessage.SNAPSHOT)
                            .packBinaryHeader(s.view().length());
                    out.writePayload(s.view().unsafeBytes());
                }
            }
        });
    }

    // ---------------------------------------------------------------- server -> client

    public byte[] encode(ServerMessage m) {
        return write(out -> {
            switch (m) {
                case ServerMessage.Welcome w -> {
                    out.packArrayHeader(10)
                            .packInt(ServerMessage.WELCOME)
                            .packInt(w.you())
                            .packString(w.readoutId())
                            .packString(w.role());
                    out.packArrayHeader(w.iceServers().size());
                    for (ServerMessage.IceServer s : w.iceServers()) {
                        out.packArrayHeader(3).packArrayHeader(s.urls().size());
                        for (String u : s.urls()) {
                            out.packString(u);
                        }
                        nullableString(out, s.username());
                        nullableString(out, s.credential());
                    }
                    out.packArrayHeader(w.worklist().size());
                    for (ServerMessage.WorklistItem i : w.worklist()) {
                        out.packArrayHeader(3)
                                .packString(i.source())
                                .packString(i.studyInstanceUid())
                                .packString(i.label());
                    }
                    out.packInt(w.worklistIndex());
                    floor(out, w.floor());
                    out.packArrayHeader(w.chat().size());
                    for (ServerMessage.Chat c : w.chat()) {
                        chat(out, c);
                    }
                    if (w.snapshot() == null) {
                        out.packNil();
                    } else {
                        out.packBinaryHeader(w.snapshot().length());
                        out.writePayload(w.snapshot().unsafeBytes());
                    }
                }
                case ServerMessage.Roster r -> {
                    out.packArrayHeader(2)
                            .packInt(ServerMessage.ROSTER)
                            .packArrayHeader(r.peers().size());
                    for (ServerMessage.Peer p : r.peers()) {
                        out.packArrayHeader(8)
                                .packInt(p.id())
                                .packString(p.name())
                                .packString(p.role())
                                .packInt(p.worklistIndex())
                                .packBoolean(p.ready())
                                .packBoolean(p.following())
                                .packBoolean(p.muted())
                                .packBoolean(p.guest());
                    }
                }
                case ServerMessage.Signal s ->
                    out.packArrayHeader(4)
                            .packInt(ServerMessage.SIGNAL)
                            .packInt(s.from())
                            .packInt(s.kind().code())
                            .packString(s.payload());
                case ServerMessage.Floor f -> floor(out, f);
                case ServerMessage.Chat c -> chat(out, c);
                case ServerMessage.Worklist w ->
                    out.packArrayHeader(2).packInt(ServerMessage.WORKLIST).packInt(w.index());
                case ServerMessage.Error e ->
                    out.packArrayHeader(3)
                            .packInt(ServerMessage.ERROR)
                            .packString(e.code())
                            .packString(e.message());
                case ServerMessage.Topology t ->
                    out.packArrayHeader(4)
                            .packInt(ServerMessage.TOPOLOGY)
                            .packInt(t.mode().code())
                            .packLong(t.epoch())
                            .packInt(t.audio().code());
                case ServerMessage.Audio a -> {
                    out.packArrayHeader(5)
                            .packInt(ServerMessage.AUDIO)
                            .packInt(a.leg().code())
                            .packInt(a.kind().code())
                            .packString(a.payload());
                    out.packArrayHeader(a.streams().size());
                    for (ServerMessage.AudioStream st : a.streams()) {
                        out.packArrayHeader(2).packString(st.mid()).packInt(st.feed());
                    }
                }
                case ServerMessage.Speaking sp -> {
                    out.packArrayHeader(2).packInt(ServerMessage.SPEAKING);
                    out.packArrayHeader(sp.peers().size());
                    for (int peer : sp.peers()) {
                        out.packInt(peer);
                    }
                }
            }
        });
    }

    public ServerMessage decodeServer(byte[] bytes) throws DecodeException {
        return read(bytes, in -> {
            int n = in.header();
            int type = in.typeCode();
            return switch (type) {
                case ServerMessage.WELCOME -> {
                    in.count(n, 10);
                    int you = in.peer();
                    String readout = in.string(limits.maxStringBytes());
                    String role = in.string(limits.maxStringBytes());
                    List<ServerMessage.IceServer> ice = new ArrayList<>();
                    for (int i = in.list(); i > 0; i--) {
                        in.count(in.list(), 3);
                        List<String> urls = new ArrayList<>();
                        for (int j = in.list(); j > 0; j--) {
                            urls.add(in.string(limits.maxStringBytes()));
                        }
                        ice.add(new ServerMessage.IceServer(urls, in.nullableString(), in.nullableString()));
                    }
                    List<ServerMessage.WorklistItem> worklist = new ArrayList<>();
                    for (int i = in.list(); i > 0; i--) {
                        in.count(in.list(), 3);
                        worklist.add(new ServerMessage.WorklistItem(
                                in.string(limits.maxStringBytes()),
                                in.string(limits.maxStringBytes()),
                                in.string(limits.maxStringBytes())));
                    }
                    int index = (int) in.uint(limits.maxListItems());
                    in.count(in.header(), 4);
                    in.expectType(ServerMessage.FLOOR);
                    ServerMessage.Floor floor = floorBody(in);
                    List<ServerMessage.Chat> chat = new ArrayList<>();
                    for (int i = in.list(); i > 0; i--) {
                        in.count(in.header(), 8);
                        in.expectType(ServerMessage.CHAT);
                        chat.add(chatBody(in));
                    }
                    ViewSnapshot snapshot = in.nil() ? null : snapshot(in.binary(limits.maxMessageBytes()));
                    yield new ServerMessage.Welcome(you, readout, role, ice, worklist, index, floor, chat, snapshot);
                }
                case ServerMessage.ROSTER -> {
                    in.count(n, 2);
                    List<ServerMessage.Peer> peers = new ArrayList<>();
                    for (int i = in.list(); i > 0; i--) {
                        in.count(in.list(), 8);
                        peers.add(new ServerMessage.Peer(
                                in.peer(),
                                in.string(limits.maxStringBytes()),
                                in.string(limits.maxStringBytes()),
                                (int) in.integer(-1, limits.maxListItems()),
                                in.bool(),
                                in.bool(),
                                in.bool(),
                                in.bool()));
                    }
                    yield new ServerMessage.Roster(peers);
                }
                case ServerMessage.SIGNAL -> {
                    in.count(n, 4);
                    yield new ServerMessage.Signal(
                            in.peer(), SignalKind.of(in.uint(3)), in.string(limits.maxSignalBytes()));
                }
                case ServerMessage.FLOOR -> {
                    in.count(n, 4);
                    yield floorBody(in);
                }
                case ServerMessage.CHAT -> {
                    in.count(n, 8);
                    yield chatBody(in);
                }
                case ServerMessage.WORKLIST -> {
                    in.count(n, 2);
                    yield new ServerMessage.Worklist((int) in.uint(limits.maxListItems()));
                }
                case ServerMessage.ERROR -> {
                    in.count(n, 3);
                    yield new ServerMessage.Error(
                            in.string(limits.maxStringBytes()), in.string(limits.maxChatChars() * 3));
                }
                case ServerMessage.TOPOLOGY -> {
                    in.count(n, 4);
                    ServerMessage.Topology.Mode mode = ServerMessage.Topology.Mode.of(in.uint(1));
                    long epoch = in.uint(Long.MAX_VALUE);
                    ServerMessage.Topology.Audio audio = ServerMessage.Topology.Audio.of(in.uint(2));
                    if (mode == ServerMessage.Topology.Mode.MESH && audio != ServerMessage.Topology.Audio.MESH) {
                        throw new DecodeException(
                                BAD_VALUE, "topology: " + audio.name().toLowerCase(Locale.ROOT) + " audio on the mesh");
                    }
                    yield new ServerMessage.Topology(mode, epoch, audio);
                }
                case ServerMessage.AUDIO -> {
                    in.count(n, 5);
                    AudioLeg leg = AudioLeg.of(in.uint(2));
                    SignalKind kind = SignalKind.of(in.uint(3));
                    String payload = in.string(limits.maxSignalBytes());
                    List<ServerMessage.AudioStream> streams = new ArrayList<>();
                    for (int i = in.list(); i > 0; i--) {
                        in.count(in.list(), 2);
                        streams.add(new ServerMessage.AudioStream(in.string(limits.maxStringBytes()), in.peer()));
                    }
                    yield new ServerMessage.Audio(leg, kind, payload, streams);
                }
                case ServerMessage.SPEAKING -> {
                    in.count(n, 2);
                    List<Integer> peers = new ArrayList<>();
                    for (int i = in.list(); i > 0; i--) {
                        peers.add(in.peer());
                    }
                    yield new ServerMessage.Speaking(peers);
                }
                default -> throw new DecodeException(UNKNOWN_TYPE, "server message type " + type);
            };
        });
    }

    private ServerMessage.Floor floorBody(Reader in) throws DecodeException, IOException {
        long epoch = in.uint(Long.MAX_VALUE);
        int holder = (int) in.uint(Integer.MAX_VALUE);
        List<Integer> requests = new ArrayList<>();
        for (int i = in.list(); i > 0; i--) {
            requests.add(in.peer());
        }
        return new ServerMessage.Floor(epoch, holder, requests);
    }

    private ServerMessage.Chat chatBody(Reader in) throws DecodeException, IOException {
        return new ServerMessage.Chat(
                in.uint(Long.MAX_VALUE),
                in.peer(),
                in.string(limits.maxStringBytes()),
                in.uint(Long.MAX_VALUE),
                in.string(limits.maxChatChars() * 3),
                in.string(limits.maxStringBytes()),
                in.bool());
    }

    private static void floor(MessageBufferPacker out, ServerMessage.Floor f) throws IOException {
        out.packArrayHeader(4)
                .packInt(ServerMessage.FLOOR)
                .packLong(f.epoch())
                .packInt(f.holder())
                .packArrayHeader(f.requests().size());
        for (int r : f.requests()) {
            out.packInt(r);
        }
    }

    private static void chat(MessageBufferPacker out, ServerMessage.Chat c) throws IOException {
        out.packArrayHeader(8)
                .packInt(ServerMessage.CHAT)
                .packLong(c.seq())
                .packInt(c.from())
                .packString(c.name())
                .packLong(c.timeMillis())
                .packString(c.text())
                .packString(c.role())
                .packBoolean(c.guest());
    }

    private static void nullableString(MessageBufferPacker out, String s) throws IOException {
        if (s == null) {
            out.packNil();
        } else {
            out.packString(s);
        }
    }

    // ---------------------------------------------------------------- data channel: VIEW

    /**
     * <pre>
     * [1, seq, baseDelta, mask, worklistIndex?, seriesUid?, imageIndex?, voiLower?, voiUpper?, scale?,
     *  panX?, panY?, crosshairOn?, crosshairX?, crosshairY?, cineOn?, cineFps?, smoothing?]
     * </pre>
     * Only the fields whose mask bit is set are present, in this order; baseSeq = seq - baseDelta.
     */
    public ViewUpdate decodeView(byte[] bytes) throws DecodeException {
        return read(bytes, in -> {
            int n = in.header();
            int type = in.typeCode();
            if (type != VIEW) {
                throw new DecodeException(UNKNOWN_TYPE, "view message type " + type);
            }
            return viewBody(in, n);
        });
    }

    private ViewUpdate viewBody(Reader in, int n) throws DecodeException, IOException {
        long seq = in.uint(0xFFFF_FFFFL);
        long delta = in.uint(seq);
        int mask = (int) in.uint(ViewUpdate.ALL);
        int expected = 4 + fieldCount(mask);
        in.count(n, expected);
        int worklist = 0, image = 0, fps = 0;
        String series = "";
        double c = 0, w = 1, scale = 1, px = 0, py = 0, cx = 0, cy = 0;
        boolean cross = false, cine = false, smooth = false;
        if ((mask & ViewUpdate.WORKLIST) != 0) worklist = (int) in.uint(limits.maxListItems() - 1);
        if ((mask & ViewUpdate.SERIES) != 0) series = in.string(limits.maxStringBytes());
        if ((mask & ViewUpdate.IMAGE) != 0) image = (int) in.uint(1 << 20);
        if ((mask & ViewUpdate.VOI) != 0) {
            c = in.number(-1e7, 1e7);
            w = in.number(-1e7, 1e7);
            if (!(w > c)) {
                throw new DecodeException(BAD_VALUE, "VOI upper " + w + " not above lower " + c);
            }
        }
        if ((mask & ViewUpdate.SCALE) != 0) scale = in.number(1e-3, 1e3);
        if ((mask & ViewUpdate.PAN) != 0) {
            px = in.number(-1e3, 1e3);
            py = in.number(-1e3, 1e3);
        }
        if ((mask & ViewUpdate.CROSSHAIR) != 0) {
            cross = in.bool();
            cx = in.number(-1e3, 1e3);
            cy = in.number(-1e3, 1e3);
        }
        if ((mask & ViewUpdate.CINE) != 0) {
            cine = in.bool();
            fps = (int) in.uint(60);
        }
        if ((mask & ViewUpdate.SMOOTHING) != 0) smooth = in.bool();
        return new ViewUpdate(
                seq, seq - delta, mask, worklist, series, image, c, w, scale, px, py, cross, cx, cy, cine, fps, smooth);
    }

    /** A full VIEW for SNAPSHOT or WELCOME, encoded here (a Java driver's, or a test's). */
    public ViewSnapshot snapshot(ViewUpdate full) {
        if (!full.isFull()) {
            throw new IllegalArgumentException("a snapshot is a full view state, not mask " + full.mask());
        }
        return new ViewSnapshot(full, encodeView(full));
    }

    /** A snapshot as its driver encoded it: strictly a full VIEW, kept byte for byte. */
    private ViewSnapshot snapshot(byte[] view) throws DecodeException {
        ViewUpdate v = decodeView(view);
        if (!v.isFull()) {
            throw new DecodeException(BAD_VALUE, "a snapshot must be a full view state");
        }
        return new ViewSnapshot(v, view);
    }

    public byte[] encodeView(ViewUpdate v) {
        return write(out -> {
            int mask = v.mask();
            out.packArrayHeader(4 + fieldCount(mask))
                    .packInt(VIEW)
                    .packLong(v.seq())
                    .packLong(v.seq() - v.baseSeq())
                    .packInt(mask);
            if (v.has(ViewUpdate.WORKLIST)) out.packInt(v.worklistIndex());
            if (v.has(ViewUpdate.SERIES)) out.packString(v.seriesUid());
            if (v.has(ViewUpdate.IMAGE)) out.packInt(v.imageIndex());
            if (v.has(ViewUpdate.VOI)) out.packDouble(v.voiLower()).packDouble(v.voiUpper());
            if (v.has(ViewUpdate.SCALE)) out.packDouble(v.scale());
            if (v.has(ViewUpdate.PAN)) out.packDouble(v.panX()).packDouble(v.panY());
            if (v.has(ViewUpdate.CROSSHAIR))
                out.packBoolean(v.crosshair()).packDouble(v.crosshairX()).packDouble(v.crosshairY());
            if (v.has(ViewUpdate.CINE)) out.packBoolean(v.cine()).packInt(v.cineFps());
            if (v.has(ViewUpdate.SMOOTHING)) out.packBoolean(v.smoothing());
        });
    }

    // ---------------------------------------------------------------- data channel: POINTER, any peer message, BATCH

    /**
     * <pre>
     * [2, seq:uint32, visible:bool, x:float, y:float]     x, y in image widths / heights, -1000..1000
     * </pre>
     * Browsers send x and y as float32; float64 and integers are accepted too.
     */
    public PointerUpdate decodePointer(byte[] bytes) throws DecodeException {
        return read(bytes, in -> {
            int n = in.header();
            in.expectType(POINTER);
            return pointerBody(in, n);
        });
    }

    private static PointerUpdate pointerBody(Reader in, int n) throws DecodeException, IOException {
        in.count(n, 5);
        return new PointerUpdate(in.uint(0xFFFF_FFFFL), in.bool(), in.number(-1e3, 1e3), in.number(-1e3, 1e3));
    }

    public byte[] encodePointer(PointerUpdate p) {
        return write(out -> out.packArrayHeader(5)
                .packInt(POINTER)
                .packLong(p.seq())
                .packBoolean(p.visible())
                .packFloat((float) p.x())
                .packFloat((float) p.y()));
    }

    /** A VIEW or a POINTER, strictly: what a driver may put on the "view" data channel. */
    public PeerMessage decodePeer(byte[] bytes) throws DecodeException {
        return read(bytes, in -> {
            int n = in.header();
            return peerBody(in, n, in.typeCode());
        });
    }

    private PeerMessage peerBody(Reader in, int n, int type) throws DecodeException, IOException {
        return switch (type) {
            case VIEW -> viewBody(in, n);
            case POINTER -> pointerBody(in, n);
            default -> throw new DecodeException(UNKNOWN_TYPE, "peer message type " + type);
        };
    }

    /** What the relay sends a receiver once a tick: the driver {@code from} and up to {@link #MAX_BATCH} of its messages. */
    public record Batch(int from, List<PeerMessage> messages) {
        public Batch {
            messages = List.copyOf(messages);
        }
    }

    /**
     * <pre>
     * [3, from:peer, m1, m2?, m3?]     each m is a whole VIEW or POINTER array, byte for byte as the driver sent it
     * </pre>
     * The messages are embedded as MessagePack values (not wrapped in bin), so a batch costs 2 + (1..5) bytes
     * more than its messages. {@code messages} must each be one valid VIEW or POINTER (the relay decoded them).
     */
    public byte[] encodeBatch(int from, List<byte[]> messages) {
        if (messages.isEmpty() || messages.size() > MAX_BATCH) {
            throw new IllegalArgumentException("a batch holds 1.." + MAX_BATCH + " messages, not " + messages.size());
        }
        return write(out -> {
            out.packArrayHeader(2 + messages.size()).packInt(BATCH).packInt(from);
            for (byte[] m : messages) {
                out.writePayload(m);
            }
        });
    }

    public Batch decodeBatch(byte[] bytes) throws DecodeException {
        return read(bytes, in -> {
            int n = in.header();
            in.expectType(BATCH);
            if (n < 3 || n > 2 + MAX_BATCH) {
                throw new DecodeException(BAD_FIELD_COUNT, n + " fields, expected 3.." + (2 + MAX_BATCH));
            }
            int from = in.peer();
            List<PeerMessage> messages = new ArrayList<>();
            for (int i = 2; i < n; i++) {
                int m = in.header();
                messages.add(peerBody(in, m, in.typeCode()));
            }
            return new Batch(from, messages);
        });
    }

    static int fieldCount(int mask) {
        int n = 0;
        n += (mask & ViewUpdate.WORKLIST) != 0 ? 1 : 0;
        n += (mask & ViewUpdate.SERIES) != 0 ? 1 : 0;
        n += (mask & ViewUpdate.IMAGE) != 0 ? 1 : 0;
        n += (mask & ViewUpdate.VOI) != 0 ? 2 : 0;
        n += (mask & ViewUpdate.SCALE) != 0 ? 1 : 0;
        n += (mask & ViewUpdate.PAN) != 0 ? 2 : 0;
        n += (mask & ViewUpdate.CROSSHAIR) != 0 ? 3 : 0;
        n += (mask & ViewUpdate.CINE) != 0 ? 2 : 0;
        n += (mask & ViewUpdate.SMOOTHING) != 0 ? 1 : 0;
        return n;
    }

    // ---------------------------------------------------------------- plumbing

    private interface Body<T> {
        T read(Reader in) throws DecodeException, IOException;
    }

    private interface Writer {
        void write(MessageBufferPacker out) throws IOException;
    }

    private <T> T read(byte[] bytes, Body<T> body) throws DecodeException {
        if (bytes == null || bytes.length == 0) {
            throw new DecodeException(TRUNCATED, "empty message");
        }
        if (bytes.length > limits.maxMessageBytes()) {
            throw new DecodeException(TOO_LARGE, bytes.length + " bytes");
        }
        try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(bytes)) {
            T value = body.read(new Reader(unpacker, limits));
            if (unpacker.hasNext()) {
                throw new DecodeException(
                        TRAILING_BYTES, (bytes.length - unpacker.getTotalReadBytes()) + " bytes after the message");
            }
            return value;
        } catch (MessageInsufficientBufferException e) {
            throw new DecodeException(TRUNCATED, "message ends inside a value");
        } catch (IOException | RuntimeException e) {
            throw new DecodeException(NOT_MSGPACK, String.valueOf(e.getMessage()));
        }
    }

    private static byte[] write(Writer w) {
        try (MessageBufferPacker out = MessagePack.newDefaultBufferPacker()) {
            w.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Strict readers over one unpacker. */
    private static final class Reader {
        private final MessageUnpacker in;
        private final Limits limits;

        Reader(MessageUnpacker in, Limits limits) {
            this.in = in;
            this.limits = limits;
        }

        private ValueType next() throws IOException, DecodeException {
            if (!in.hasNext()) {
                throw new DecodeException(TRUNCATED, "message ends early");
            }
            MessageFormat f = in.getNextFormat();
            if (f == MessageFormat.NEVER_USED) {
                throw new DecodeException(NOT_MSGPACK, "byte 0xC1");
            }
            return f.getValueType();
        }

        int header() throws IOException, DecodeException {
            if (next() != ValueType.ARRAY) {
                throw new DecodeException(NOT_AN_ARRAY, "top level is not an array");
            }
            int n = in.unpackArrayHeader();
            if (n < 1) {
                throw new DecodeException(NOT_AN_ARRAY, "empty array");
            }
            return n;
        }

        int typeCode() throws IOException, DecodeException {
            if (next() != ValueType.INTEGER) {
                throw new DecodeException(NOT_AN_ARRAY, "type code is not an integer");
            }
            long t = in.unpackLong();
            if (t < 0 || t > 127) {
                throw new DecodeException(UNKNOWN_TYPE, "type " + t);
            }
            return (int) t;
        }

        void expectType(int type) throws IOException, DecodeException {
            int t = typeCode();
            if (t != type) {
                throw new DecodeException(UNKNOWN_TYPE, "expected type " + type + ", got " + t);
            }
        }

        void count(int actual, int expected) throws DecodeException {
            if (actual != expected) {
                throw new DecodeException(BAD_FIELD_COUNT, actual + " fields, expected " + expected);
            }
        }

        int list() throws IOException, DecodeException {
            if (next() != ValueType.ARRAY) {
                throw new DecodeException(BAD_FIELD_TYPE, "expected an array");
            }
            int n = in.unpackArrayHeader();
            if (n > limits.maxListItems()) {
                throw new DecodeException(TOO_LARGE, "list of " + n);
            }
            return n;
        }

        long integer(long min, long max) throws IOException, DecodeException {
            if (next() != ValueType.INTEGER) {
                throw new DecodeException(BAD_FIELD_TYPE, "expected an integer");
            }
            long v;
            try {
                v = in.unpackLong();
            } catch (MessageIntegerOverflowException e) {
                throw new DecodeException(BAD_VALUE, "integer beyond 64 bits");
            }
            if (v < min || v > max) {
                throw new DecodeException(BAD_VALUE, v + " outside " + min + ".." + max);
            }
            return v;
        }

        long uint(long max) throws IOException, DecodeException {
            return integer(0, max);
        }

        int peer() throws IOException, DecodeException {
            return (int) integer(1, Integer.MAX_VALUE);
        }

        double number(double min, double max) throws IOException, DecodeException {
            ValueType t = next();
            double v;
            if (t == ValueType.INTEGER) {
                v = integer(Long.MIN_VALUE, Long.MAX_VALUE);
            } else if (t == ValueType.FLOAT) {
                v = in.unpackDouble();
            } else {
                throw new DecodeException(BAD_FIELD_TYPE, "expected a number");
            }
            if (!(v >= min && v <= max)) {
                throw new DecodeException(BAD_VALUE, v + " outside " + min + ".." + max);
            }
            return v;
        }

        boolean bool() throws IOException, DecodeException {
            if (next() != ValueType.BOOLEAN) {
                throw new DecodeException(BAD_FIELD_TYPE, "expected a boolean");
            }
            return in.unpackBoolean();
        }

        boolean nil() throws IOException, DecodeException {
            if (next() == ValueType.NIL) {
                in.unpackNil();
                return true;
            }
            return false;
        }

        String nullableString() throws IOException, DecodeException {
            return nil() ? null : string(limits.maxStringBytes());
        }

        String string(int maxBytes) throws IOException, DecodeException {
            if (next() != ValueType.STRING) {
                throw new DecodeException(BAD_FIELD_TYPE, "expected a string");
            }
            int len = in.unpackRawStringHeader();
            if (len < 0 || len > maxBytes) {
                throw new DecodeException(TOO_LARGE, "string of " + len + " bytes");
            }
            byte[] raw = in.readPayload(len);
            try {
                return StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(raw))
                        .toString();
            } catch (CharacterCodingException e) {
                throw new DecodeException(BAD_VALUE, "string is not UTF-8");
            }
        }

        byte[] binary(int maxBytes) throws IOException, DecodeException {
            if (next() != ValueType.BINARY) {
                throw new DecodeException(BAD_FIELD_TYPE, "expected binary");
            }
            int len = in.unpackBinaryHeader();
            if (len < 0 || len > maxBytes) {
                throw new DecodeException(TOO_LARGE, "binary of " + len + " bytes");
            }
            return in.readPayload(len);
        }
    }
}
