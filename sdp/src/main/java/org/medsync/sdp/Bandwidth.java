package org.medsync.sdp;

/** {@code b=<bwtype>:<bandwidth>} (RFC 8866 section 5.8), e.g. {@code b=AS:2500000} in kbit/s. */
public record Bandwidth(String type, long value) {

    public Bandwidth {
        Syntax.requireToken(type, "bandwidth type");
        if (type.indexOf(':') >= 0 || value < 0) {
            throw new IllegalArgumentException("bandwidth type without ':' and value >= 0");
        }
    }

    String text() {
        return type + ":" + value;
    }

    static Bandwidth parse(String v) {
        int colon = v.indexOf(':');
        long n = colon < 0 ? -1 : Syntax.number(v.substring(colon + 1), Long.MAX_VALUE / 10);
        if (colon <= 0 || !Syntax.isToken(v.substring(0, colon)) || n < 0) {
            throw new SdpException(
                    0, SdpException.Reason.BAD_BANDWIDTH, "b=<bwtype>:<bandwidth digits>, got 'b=" + v + "'");
        }
        return new Bandwidth(v.substring(0, colon), n);
    }
}
