package org.medsync.ptp.management;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * IEEE 1588-2008 management messages (clause 15) as ptp4l's UNIX socket carries them: the 34-octet
 * common header, the 14-octet management header, one TLV. We write GETs and read RESPONSEs; the
 * layout is in docs/rtv.md "Time". Everything is big-endian.
 */
public record ManagementMessage(
        int domainNumber, PortIdentity source, int sequenceId, PortIdentity target, Action action, DataSet body) {

    public enum Action {
        GET,
        SET,
        RESPONSE,
        COMMAND,
        ACKNOWLEDGE
    }

    static final int HEADER = 34;
    static final int MANAGEMENT_HEADER = 14;
    private static final int TLV_MANAGEMENT = 0x0001;
    private static final int TLV_MANAGEMENT_ERROR_STATUS = 0x0002;
    private static final int MESSAGE_TYPE_MANAGEMENT = 0x0D;
    private static final int CONTROL_MANAGEMENT = 0x04;

    /**
     * A GET of one data set, addressed to every clock and port, not forwarded (boundaryHops 0), as
     * {@code pmc -u -b 0} sends it: 54 octets.
     */
    public static byte[] get(ManagementId id, int domainNumber, PortIdentity source, int sequenceId) {
        if (domainNumber < 0 || domainNumber > 255) {
            throw new IllegalArgumentException("domainNumber " + domainNumber + " is not 0..255");
        }
        ByteBuffer b = ByteBuffer.allocate(HEADER + MANAGEMENT_HEADER + 6);
        b.put((byte) MESSAGE_TYPE_MANAGEMENT).put((byte) 2).putShort((short) b.capacity());
        b.put((byte) domainNumber).put((byte) 0).putShort((short) 0).putLong(0).putInt(0);
        putPort(b, source);
        b.putShort((short) sequenceId).put((byte) CONTROL_MANAGEMENT).put((byte) 0x7F);
        putPort(b, PortIdentity.WILDCARD);
        b.put((byte) 0).put((byte) 0).put((byte) Action.GET.ordinal()).put((byte) 0);
        b.putShort((short) TLV_MANAGEMENT).putShort((short) 2).putShort((short) id.code);
        return b.array();
    }

    /**
     * Reads one management message carrying one of the data sets of {@link ManagementId} or an
     * error status. @throws PtpFormatException for anything else, naming the field
     */
    public static ManagementMessage decode(byte[] datagram) throws PtpFormatException {
        ByteBuffer b = ByteBuffer.wrap(datagram);
        if (datagram.length < HEADER + MANAGEMENT_HEADER + 4) {
            throw new PtpFormatException(
                    "truncated: " + datagram.length + " octets, a management message has at least 52");
        }
        int type = b.get(0) & 0x0F;
        if (type != MESSAGE_TYPE_MANAGEMENT) {
            throw new PtpFormatException("messageType " + type + " is not management (13)");
        }
        int version = b.get(1) & 0x0F;
        if (version != 2) {
            throw new PtpFormatException("versionPTP " + version + " is not 2");
        }
        int length = b.getShort(2) & 0xFFFF;
        if (length < HEADER + MANAGEMENT_HEADER + 4 || length > datagram.length) {
            throw new PtpFormatException(
                    "messageLength " + length + " does not fit the datagram of " + datagram.length + " octets");
        }
        int domain = b.get(4) & 0xFF;
        b.position(20);
        PortIdentity source = port(b);
        int sequenceId = b.getShort() & 0xFFFF;
        b.position(HEADER);
        PortIdentity target = port(b);
        b.position(46);
        int actionCode = b.get() & 0x0F;
        if (actionCode >= Action.values().length) {
            throw new PtpFormatException("actionField " + actionCode + " is not 0..4");
        }
        Action action = Action.values()[actionCode];
        b.position(HEADER + MANAGEMENT_HEADER);
        int tlvType = b.getShort() & 0xFFFF;
        int tlvLength = b.getShort() & 0xFFFF;
        if (tlvLength > length - HEADER - MANAGEMENT_HEADER - 4) {
            throw new PtpFormatException("TLV lengthField " + tlvLength + " runs past messageLength " + length);
        }
        if (tlvLength % 2 != 0) {
            throw new PtpFormatException("TLV lengthField " + tlvLength + " is odd");
        }
        ByteBuffer value = b.slice(b.position(), tlvLength);
        DataSet body = switch (tlvType) {
            case TLV_MANAGEMENT -> management(value, action);
            case TLV_MANAGEMENT_ERROR_STATUS -> error(value);
            default ->
                throw new PtpFormatException(
                        "tlvType " + tlvType + " is not MANAGEMENT (1) or " + "MANAGEMENT_ERROR_STATUS (2)");
        };
        return new ManagementMessage(domain, source, sequenceId, target, action, body);
    }

    private static DataSet management(ByteBuffer v, Action action) throws PtpFormatException {
        if (v.remaining() < 2) {
            throw new PtpFormatException("MANAGEMENT TLV of " + v.remaining() + " octets has no managementId");
        }
        int code = v.getShort() & 0xFFFF;
        ManagementId id = ManagementId.of(code);
        if (id == null) {
            throw new PtpFormatException(String.format("managementId 0x%04X is not one we ask for", code));
        }
        if (action == Action.GET && !v.hasRemaining()) {
            return new DataSet.Request(id);
        }
        if (v.remaining() < id.dataLength) {
            throw new PtpFormatException(id + " has " + v.remaining() + " data octets, needs " + id.dataLength);
        }
        return switch (id) {
            case DEFAULT_DATA_SET -> {
                int flags = v.get() & 0xFF;
                v.get();
                yield new DataSet.Default(
                        (flags & 1) != 0,
                        (flags & 2) != 0,
                        v.getShort() & 0xFFFF,
                        v.get() & 0xFF,
                        quality(v),
                        v.get() & 0xFF,
                        new ClockIdentity(v.getLong()),
                        v.get() & 0xFF);
            }
            case CURRENT_DATA_SET -> new DataSet.Current(v.getShort() & 0xFFFF, v.getLong(), v.getLong());
            case PARENT_DATA_SET -> {
                PortIdentity parent = port(v);
                boolean stats = (v.get() & 1) != 0;
                v.get();
                yield new DataSet.Parent(
                        parent,
                        stats,
                        v.getShort() & 0xFFFF,
                        v.getInt(),
                        v.get() & 0xFF,
                        quality(v),
                        v.get() & 0xFF,
                        new ClockIdentity(v.getLong()));
            }
            case PORT_DATA_SET ->
                new DataSet.Port(
                        port(v),
                        PortState.of(v.get() & 0xFF),
                        v.get(),
                        v.getLong(),
                        v.get(),
                        v.get() & 0xFF,
                        v.get(),
                        v.get() & 0xFF,
                        v.get(),
                        v.get() & 0x0F);
            case TIME_STATUS_NP -> {
                long offset = v.getLong();
                long ingress = v.getLong();
                int rate = v.getInt();
                int phase = v.getInt();
                int base = v.getShort() & 0xFFFF;
                byte[] lastChange = new byte[12];
                v.get(lastChange);
                int present = v.getInt();
                if (present != 0 && present != 1) {
                    throw new PtpFormatException("TIME_STATUS_NP gmPresent " + present + " is not 0 or 1");
                }
                yield new DataSet.TimeStatus(
                        offset, ingress, rate, phase, base, lastChange, present == 1, new ClockIdentity(v.getLong()));
            }
        };
    }

    private static DataSet error(ByteBuffer v) throws PtpFormatException {
        if (v.remaining() < 8) {
            throw new PtpFormatException("MANAGEMENT_ERROR_STATUS TLV of " + v.remaining() + " octets, needs 8");
        }
        int errorId = v.getShort() & 0xFFFF;
        int managementId = v.getShort() & 0xFFFF;
        v.getInt();
        String text = "";
        if (v.hasRemaining()) {
            int n = v.get() & 0xFF;
            if (n > v.remaining()) {
                throw new PtpFormatException("displayData length " + n + " runs past the TLV");
            }
            byte[] t = new byte[n];
            v.get(t);
            text = new String(t, StandardCharsets.UTF_8);
        }
        return new DataSet.Error(errorId, managementId, text);
    }

    private static DataSet.ClockQuality quality(ByteBuffer v) {
        return new DataSet.ClockQuality(v.get() & 0xFF, v.get() & 0xFF, v.getShort() & 0xFFFF);
    }

    private static PortIdentity port(ByteBuffer b) {
        return new PortIdentity(new ClockIdentity(b.getLong()), b.getShort() & 0xFFFF);
    }

    private static void putPort(ByteBuffer b, PortIdentity p) {
        b.putLong(p.clock().bits()).putShort((short) p.port());
    }
}
