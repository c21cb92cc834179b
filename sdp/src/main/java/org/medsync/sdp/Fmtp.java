package org.medsync.sdp;

import static org.medsync.sdp.SdpException.Reason.BAD_FMTP;

/**
 * {@code a=fmtp:<format> <format specific parameters>} (RFC 8866 section 6.15), kept as text.
 * For {@code raw} video, {@link RawVideoFormat#parse} reads the ST 2110-20 parameters; the parser
 * checks them whenever the payload type's rtpmap says {@code raw}.
 */
public record Fmtp(String format, String parameters) implements Attribute {

    public Fmtp {
        Syntax.requireField(format, "fmtp format");
        Syntax.requireByteString(parameters, "fmtp parameters");
    }

    public Fmtp(int payloadType, String parameters) {
        this(Integer.toString(payloadType), parameters);
    }

    @Override
    public String name() {
        return "fmtp";
    }

    @Override
    public String text() {
        return "fmtp:" + format + " " + parameters;
    }

    static Fmtp parse(String value) {
        int sp = value.indexOf(' ');
        if (sp <= 0 || sp == value.length() - 1 || !Syntax.isField(value.substring(0, sp))) {
            throw new SdpException(0, BAD_FMTP, "a=fmtp:<format> <parameters>, got 'a=fmtp:" + value + "'");
        }
        return new Fmtp(value.substring(0, sp), value.substring(sp + 1));
    }
}
