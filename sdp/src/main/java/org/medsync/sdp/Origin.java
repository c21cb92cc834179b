package org.medsync.sdp;

/**
 * {@code o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>}
 * (RFC 8866 section 5.2). Session id and version are digit strings (often NTP timestamps).
 */
public record Origin(
        String username, String sessionId, String sessionVersion, String netType, String addressType, String address) {

    public Origin {
        Syntax.requireField(username, "username");
        if (!Syntax.isDigits(sessionId) || !Syntax.isDigits(sessionVersion)) {
            throw new IllegalArgumentException("session id and version must be digits");
        }
        Syntax.requireToken(netType, "net type");
        Syntax.requireToken(addressType, "address type");
        Syntax.requireField(address, "address");
    }

    public static Origin of(String username, long sessionId, long sessionVersion, String ip4Address) {
        return new Origin(username, Long.toString(sessionId), Long.toString(sessionVersion), "IN", "IP4", ip4Address);
    }

    String text() {
        return username + " " + sessionId + " " + sessionVersion + " " + netType + " " + addressType + " " + address;
    }

    static Origin parse(String v) {
        String[] f = v.split(" ", -1);
        String expected = "o=<username> <sess-id digits> <sess-version digits> <nettype> <addrtype> <address>";
        if (f.length != 6) {
            throw new SdpException(
                    0,
                    SdpException.Reason.BAD_ORIGIN,
                    expected + ", 6 fields separated by one space," + " got " + f.length);
        }
        try {
            return new Origin(f[0], f[1], f[2], f[3], f[4], f[5]);
        } catch (IllegalArgumentException e) {
            throw new SdpException(0, SdpException.Reason.BAD_ORIGIN, expected + ": " + e.getMessage());
        }
    }
}
