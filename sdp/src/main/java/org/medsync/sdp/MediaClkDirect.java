package org.medsync.sdp;

import static org.medsync.sdp.SdpException.Reason.BAD_MEDIACLK;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code a=mediaclk:direct=<offset>[ rate=<num>/<den>]} (RFC 7273 section 5.2). ST 2110-10 senders
 * write {@code a=mediaclk:direct=0}: the RTP clock is the PTP time times the clock rate, no offset.
 */
public record MediaClkDirect(long offset, Optional<String> rate) implements Attribute {

    public MediaClkDirect {
        if (offset < 0 || offset > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("direct offset must be 0..2^32-1, was " + offset);
        }
        Objects.requireNonNull(rate, "rate");
        rate.ifPresent(r -> {
            if (!r.matches("[1-9][0-9]{0,17}/[1-9][0-9]{0,17}")) {
                throw new IllegalArgumentException("rate must be <num>/<den>, was '" + r + "'");
            }
        });
    }

    /** {@code direct=0}, what ST 2110-10 asks for. */
    public static MediaClkDirect zero() {
        return new MediaClkDirect(0, Optional.empty());
    }

    @Override
    public String name() {
        return "mediaclk";
    }

    @Override
    public String text() {
        return "mediaclk:direct=" + offset + rate.map(r -> " rate=" + r).orElse("");
    }

    static MediaClkDirect parse(String value) {
        String expected = "a=mediaclk:direct=<offset 0..4294967295>[ rate=<num>/<den>]";
        String rest = value.substring("direct=".length());
        String off = rest;
        Optional<String> rate = Optional.empty();
        int sp = rest.indexOf(' ');
        if (sp >= 0) {
            off = rest.substring(0, sp);
            String r = rest.substring(sp + 1);
            if (!r.matches("rate=[1-9][0-9]{0,17}/[1-9][0-9]{0,17}")) {
                throw new SdpException(0, BAD_MEDIACLK, expected + ", got 'a=mediaclk:" + value + "'");
            }
            rate = Optional.of(r.substring(5));
        }
        long offset = Syntax.number(off, 0xFFFF_FFFFL);
        if (offset < 0) {
            throw new SdpException(0, BAD_MEDIACLK, expected + ", offset '" + off + "'");
        }
        return new MediaClkDirect(offset, rate);
    }
}
