package org.medsync.sdp;

import static org.medsync.sdp.SdpException.Reason.BAD_CONNECTION;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * {@code c=<nettype> <addrtype> <address>[/<ttl>][/<number of addresses>]} (RFC 8866 section 5.7).
 * IPv4 multicast (224.0.0.0/4) must carry a TTL; IPv4 unicast must not; IPv6 has no TTL, only
 * the optional number of addresses. ST 2110 multicast: {@code c=IN IP4 239.100.9.10/32}.
 */
public record Connection(
        String netType, String addressType, String address, OptionalInt ttl, OptionalInt addressCount) {

    public Connection {
        Syntax.requireToken(netType, "net type");
        Syntax.requireToken(addressType, "address type");
        Syntax.requireField(address, "address");
        if (address.indexOf('/') >= 0) {
            throw new IllegalArgumentException("address must not contain '/'");
        }
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(addressCount, "addressCount");
        String bad = check(addressType, address, ttl, addressCount);
        if (bad != null) {
            throw new IllegalArgumentException(bad);
        }
    }

    /** {@code c=IN IP4 <address>}: unicast. */
    public static Connection ip4(String address) {
        return new Connection("IN", "IP4", address, OptionalInt.empty(), OptionalInt.empty());
    }

    /** {@code c=IN IP4 <group>/<ttl>}: multicast. */
    public static Connection ip4Multicast(String group, int ttl) {
        return new Connection("IN", "IP4", group, OptionalInt.of(ttl), OptionalInt.empty());
    }

    public boolean isMulticast() {
        return ttl.isPresent()
                || addressType.equals("IP4") && isIp4Multicast(address)
                || addressType.equals("IP6") && address.regionMatches(true, 0, "ff", 0, 2);
    }

    String text() {
        return netType + " " + addressType + " " + address + (ttl.isPresent() ? "/" + ttl.getAsInt() : "")
                + (addressCount.isPresent() ? "/" + addressCount.getAsInt() : "");
    }

    private static String check(String addrType, String address, OptionalInt ttl, OptionalInt count) {
        if (ttl.isPresent() && (ttl.getAsInt() < 0 || ttl.getAsInt() > 255)) {
            return "TTL must be 0..255";
        }
        if (count.isPresent() && count.getAsInt() < 1) {
            return "number of addresses must be >= 1";
        }
        if (addrType.equals("IP4")) {
            boolean mc = isIp4Multicast(address);
            if (mc && ttl.isEmpty()) {
                return "IPv4 multicast " + address + " needs /<ttl> (RFC 8866 5.7)";
            }
            if (!mc && (ttl.isPresent() || count.isPresent())) {
                return "IPv4 unicast " + address + " takes no /<ttl> or /<count>";
            }
        } else if (ttl.isPresent()) {
            return "only IPv4 multicast has a TTL";
        }
        return null;
    }

    static boolean isIp4Multicast(String address) {
        String[] o = address.split("\\.", -1);
        if (o.length != 4) {
            return false;
        }
        long first = Syntax.number(o[0], 255);
        return first >= 224 && first <= 239;
    }

    static Connection parse(String v) {
        String expected = "c=<nettype> <addrtype> <address>[/<ttl>][/<number of addresses>]";
        String[] f = v.split(" ", -1);
        if (f.length != 3 || !Syntax.isToken(f[0]) || !Syntax.isToken(f[1]) || !Syntax.isField(f[2])) {
            throw new SdpException(0, BAD_CONNECTION, expected + ", got 'c=" + v + "'");
        }
        String[] a = f[2].split("/", -1);
        if (a.length > 3) {
            throw new SdpException(0, BAD_CONNECTION, expected + ", too many '/' in '" + f[2] + "'");
        }
        long[] n = new long[a.length];
        for (int i = 1; i < a.length; i++) {
            n[i] = Syntax.number(a[i], 0xFFFF);
            if (n[i] < 0) {
                throw new SdpException(0, BAD_CONNECTION, expected + ", '" + a[i] + "' is not a number");
            }
        }
        OptionalInt ttl = OptionalInt.empty();
        OptionalInt count = OptionalInt.empty();
        if (f[1].equals("IP4") && a.length >= 2) {
            ttl = OptionalInt.of((int) n[1]);
            if (a.length == 3) {
                count = OptionalInt.of((int) n[2]);
            }
        } else if (a.length == 2) {
            count = OptionalInt.of((int) n[1]);
        } else if (a.length == 3) {
            throw new SdpException(0, BAD_CONNECTION, expected + ", only IPv4 has <ttl>/<count>");
        }
        String bad = a[0].isEmpty() ? "empty address" : check(f[1], a[0], ttl, count);
        if (bad != null) {
            throw new SdpException(0, BAD_CONNECTION, expected + ": " + bad);
        }
        return new Connection(f[0], f[1], a[0], ttl, count);
    }
}
