package org.medsync.conference.cluster;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.medsync.conference.readout.ReadoutRole;

/**
 * One node-to-node frame of a bridged participant (docs/architecture.md, "Bridge frames"). Every frame is
 * published on the channel of the node it is for:
 * <pre>
 *  0        1        2                 2+1+n             10+1+n
 *  +--------+--------+--------+--------+-----------------+--------------
 *  | ver=1  |  type  | n      | from (n bytes, node id)  | bridge (u64) | body (by type)
 *  +--------+--------+--------+--------------------------+--------------+--------------
 *  1 JOIN    forwarding → home  str readout, str username, str display name, str role
 *  2 CLIENT  forwarding → home  the participant's message, as received (the rest of the frame)
 *  3 LEAVE   forwarding → home  u16 WebSocket close code
 *  4 SERVER  home → forwarding  a message for the participant (the rest of the frame)
 *  5 CLOSE   home → forwarding  u16 close code, str reason
 * </pre>
 * {@code str} is a u8 byte count and that many bytes of UTF-8; integers are big-endian. {@code from} is the
 * sending node; {@code bridge} is chosen by the forwarding node, unique among its bridges, and names the
 * participant together with that node's id.
 */
public sealed interface BridgeFrame {
    int VERSION = 1;
    /** Larger than any message a participant's transport accepts (Jetty: 64 KiB). */
    int MAX_MESSAGE = 1 << 20;

    String from();

    long bridge();

    record Join(String from, long bridge, String readoutId, String username, String displayName, ReadoutRole role)
            implements BridgeFrame {}

    /** Message bytes are never modified; records compare them by identity, so compare encodings instead. */
    record Client(String from, long bridge, byte[] message) implements BridgeFrame {}

    record Leave(String from, long bridge, int code) implements BridgeFrame {}

    record Server(String from, long bridge, byte[] message) implements BridgeFrame {}

    record Close(String from, long bridge, int code, String reason) implements BridgeFrame {}

    /** Why a frame was refused. */
    final class MalformedException extends Exception {
        public enum Reason {
            /** The frame ends inside a field. */
            TRUNCATED,
            /** A frame version this node does not speak (a node of another release). */
            UNKNOWN_VERSION,
            /** A frame type this version does not have. */
            UNKNOWN_TYPE,
            /** A field out of its range (a node id that is not one, a negative count). */
            BAD_VALUE,
            /** The frame or one of its fields exceeds its limit. */
            TOO_LARGE,
            /** Bytes follow the frame. */
            TRAILING_BYTES
        }

        private final Reason reason;

        MalformedException(Reason reason, String detail) {
            super(reason + ": " + detail);
            this.reason = Objects.requireNonNull(reason, "reason");
        }

        public Reason reason() {
            return reason;
        }
    }

    /** Node ids: what the channel name and the home-node column may hold. */
    static boolean isNodeId(String s) {
        return s != null && s.matches("[A-Za-z0-9._-]{1,64}");
    }

    static byte[] encode(BridgeFrame f) {
        if (!isNodeId(f.from())) {
            throw new IllegalArgumentException("bad node id");
        }
        ByteBuffer b = ByteBuffer.allocate(2
                + 256
                + 8
                + 4 * 256
                + switch (f) {
                    case Client c -> c.message().length;
                    case Server s -> s.message().length;
                    default -> 0;
                });
        b.put((byte) VERSION);
        b.put((byte)
                switch (f) {
                    case Join j -> 1;
                    case Client c -> 2;
                    case Leave l -> 3;
                    case Server s -> 4;
                    case Close c -> 5;
                });
        putStr(b, f.from());
        b.putLong(f.bridge());
        switch (f) {
            case Join j -> {
                putStr(b, j.readoutId());
                putStr(b, j.username());
                putStr(b, j.displayName());
                putStr(b, j.role().wireName());
            }
            case Client c -> b.put(c.message());
            case Leave l -> b.putShort((short) l.code());
            case Server s -> b.put(s.message());
            case Close c -> {
                b.putShort((short) c.code());
                putStr(b, c.reason());
            }
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    static BridgeFrame decode(byte[] data) throws MalformedException {
        if (data.length > MAX_MESSAGE + 2 + 256 + 8) {
            throw new MalformedException(MalformedException.Reason.TOO_LARGE, data.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        try {
            int version = b.get() & 0xff;
            if (version != VERSION) {
                throw new MalformedException(MalformedException.Reason.UNKNOWN_VERSION, "version " + version);
            }
            int type = b.get() & 0xff;
            String from = str(b, "from");
            if (!isNodeId(from)) {
                throw new MalformedException(MalformedException.Reason.BAD_VALUE, "node id");
            }
            long bridge = b.getLong();
            BridgeFrame f = switch (type) {
                case 1 -> {
                    String readout = str(b, "readout");
                    String user = str(b, "username");
                    String name = str(b, "display name");
                    String role = str(b, "role");
                    if (readout.isEmpty() || user.isEmpty()) {
                        throw new MalformedException(MalformedException.Reason.BAD_VALUE, "empty readout or username");
                    }
                    try {
                        yield new Join(from, bridge, readout, user, name, ReadoutRole.parse(role));
                    } catch (IllegalArgumentException e) {
                        throw new MalformedException(MalformedException.Reason.BAD_VALUE, "role");
                    }
                }
                case 2 -> new Client(from, bridge, rest(b));
                case 3 -> new Leave(from, bridge, b.getShort() & 0xffff);
                case 4 -> new Server(from, bridge, rest(b));
                case 5 -> new Close(from, bridge, b.getShort() & 0xffff, str(b, "reason"));
                default -> throw new MalformedException(MalformedException.Reason.UNKNOWN_TYPE, "type " + type);
            };
            if (b.hasRemaining()) {
                throw new MalformedException(
                        MalformedException.Reason.TRAILING_BYTES, b.remaining() + " bytes after the frame");
            }
            return f;
        } catch (BufferUnderflowException e) {
            throw new MalformedException(MalformedException.Reason.TRUNCATED, data.length + " bytes");
        }
    }

    private static byte[] rest(ByteBuffer b) throws MalformedException {
        if (!b.hasRemaining()) {
            throw new MalformedException(MalformedException.Reason.TRUNCATED, "no message");
        }
        if (b.remaining() > MAX_MESSAGE) {
            throw new MalformedException(MalformedException.Reason.TOO_LARGE, b.remaining() + " bytes of message");
        }
        byte[] m = new byte[b.remaining()];
        b.get(m);
        return m;
    }

    private static void putStr(ByteBuffer b, String s) {
        byte[] u = s.getBytes(StandardCharsets.UTF_8);
        if (u.length > 255) {
            throw new IllegalArgumentException("string over 255 bytes");
        }
        b.put((byte) u.length);
        b.put(u);
    }

    private static String str(ByteBuffer b, String field) throws MalformedException {
        int n = b.get() & 0xff;
        if (n > b.remaining()) {
            throw new BufferUnderflowException();
        }
        ByteBuffer slice = b.slice(b.position(), n);
        b.position(b.position() + n);
        try {
            CharBuffer c = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(slice);
            return c.toString();
        } catch (CharacterCodingException e) {
            throw new MalformedException(MalformedException.Reason.BAD_VALUE, field + " is not UTF-8");
        }
    }
}
