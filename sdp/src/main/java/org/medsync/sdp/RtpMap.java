package org.medsync.sdp;

import static org.medsync.sdp.SdpException.Reason.BAD_RTPMAP;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]}
 * (RFC 8866 section 6.6). ST 2110-20 video: {@code a=rtpmap:96 raw/90000}; DICOM-RTV metadata
 * (PS3.22): {@code a=rtpmap:104 dicom/90000}.
 */
public record RtpMap(int payloadType, String encoding, long clockRate, Optional<String> parameters)
        implements Attribute {

    public RtpMap {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type must be 0..127, was " + payloadType);
        }
        if (!Syntax.isToken(encoding) || encoding.indexOf('/') >= 0) {
            throw new IllegalArgumentException("encoding name must be a token without '/', was '" + encoding + "'");
        }
        if (clockRate < 1 || clockRate > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("clock rate must be 1..2^32-1, was " + clockRate);
        }
        Objects.requireNonNull(parameters, "parameters");
        parameters.ifPresent(p -> {
            if (!Syntax.isToken(p) || p.indexOf('/') >= 0) {
                throw new IllegalArgumentException("encoding parameters must be a token without '/', was '" + p + "'");
            }
        });
    }

    public RtpMap(int payloadType, String encoding, long clockRate) {
        this(payloadType, encoding, clockRate, Optional.empty());
    }

    @Override
    public String name() {
        return "rtpmap";
    }

    @Override
    public String text() {
        return "rtpmap:" + payloadType + " " + encoding + "/" + clockRate
                + parameters.map(p -> "/" + p).orElse("");
    }

    static RtpMap parse(String value) {
        String expected = "a=rtpmap:<payload type 0..127> <encoding name>/<clock rate>[/<parameters>]";
        int sp = value.indexOf(' ');
        if (sp < 0) {
            throw new SdpException(0, BAD_RTPMAP, expected + ", no space after the payload type in '" + value + "'");
        }
        long pt = Syntax.number(value.substring(0, sp), 127);
        if (pt < 0) {
            throw new SdpException(0, BAD_RTPMAP, expected + ", payload type '" + value.substring(0, sp) + "'");
        }
        String[] parts = value.substring(sp + 1).split("/", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new SdpException(0, BAD_RTPMAP, expected + ", got '" + value + "'");
        }
        if (!Syntax.isToken(parts[0])) {
            throw new SdpException(0, BAD_RTPMAP, expected + ", encoding name '" + parts[0] + "'");
        }
        long rate = Syntax.number(parts[1], 0xFFFF_FFFFL);
        if (rate < 1) {
            throw new SdpException(0, BAD_RTPMAP, expected + ", clock rate '" + parts[1] + "'");
        }
        if (parts.length == 3 && !Syntax.isToken(parts[2])) {
            throw new SdpException(0, BAD_RTPMAP, expected + ", encoding parameters '" + parts[2] + "'");
        }
        return new RtpMap((int) pt, parts[0], rate, parts.length == 3 ? Optional.of(parts[2]) : Optional.empty());
    }
}
