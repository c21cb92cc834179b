package org.medsync.sdp;

import java.util.Objects;
import java.util.Set;

/**
 * An {@code a=} line (RFC 8866 section 5.13). The attributes ST 2110 and DICOM-RTV rely on are
 * typed records checked when parsed; any other is kept as a {@link Property} or {@link Value}.
 */
public sealed interface Attribute
        permits Attribute.Property,
                Attribute.Value,
                RtpMap,
                Fmtp,
                TsRefClk,
                MediaClkDirect,
                ExtMap,
                SourceFilter,
                Group,
                Mid {

    /** The attribute name, the text between {@code a=} and the first colon. */
    String name();

    /** The text after {@code a=}: {@code name} or {@code name:value}. */
    String text();

    /** A flag attribute such as {@code a=recvonly}. */
    record Property(String name) implements Attribute {
        public Property {
            Syntax.requireToken(name, "attribute name");
        }

        @Override
        public String text() {
            return name;
        }
    }

    /**
     * Any other {@code a=name:value}. Names that have a typed record are refused here so a value
     * always parses back to the same record.
     */
    record Value(String name, String value) implements Attribute {
        static final Set<String> TYPED =
                Set.of("rtpmap", "fmtp", "ts-refclk", "extmap", "source-filter", "group", "mid");

        public Value {
            Syntax.requireToken(name, "attribute name");
            Syntax.requireByteString(value, "attribute value");
            if (TYPED.contains(name) || name.equals("mediaclk") && value.startsWith("direct=")) {
                throw new IllegalArgumentException("a=" + name + " has a typed record; use it");
            }
        }

        @Override
        public String text() {
            return name + ":" + value;
        }
    }

    /** Parses the text after {@code a=}; typed when the name is known. */
    static Attribute parse(String text) {
        Objects.requireNonNull(text, "text");
        int colon = text.indexOf(':');
        if (colon < 0) {
            if (!Syntax.isToken(text)) {
                throw new SdpException(
                        0,
                        SdpException.Reason.BAD_ATTRIBUTE,
                        "a=<name> or a=<name>:<value> with a token name, got '" + text + "'");
            }
            return new Property(text);
        }
        String name = text.substring(0, colon);
        String value = text.substring(colon + 1);
        if (!Syntax.isToken(name)) {
            throw new SdpException(
                    0, SdpException.Reason.BAD_ATTRIBUTE, "a token attribute name before ':', got '" + name + "'");
        }
        if (value.isEmpty()) {
            throw new SdpException(0, SdpException.Reason.BAD_ATTRIBUTE, "a value after 'a=" + name + ":'");
        }
        return switch (name) {
            case "rtpmap" -> RtpMap.parse(value);
            case "fmtp" -> Fmtp.parse(value);
            case "ts-refclk" -> TsRefClk.parse(value);
            case "mediaclk" -> value.startsWith("direct=") ? MediaClkDirect.parse(value) : new Value(name, value);
            case "extmap" -> ExtMap.parse(value);
            case "source-filter" -> SourceFilter.parse(value);
            case "group" -> Group.parse(value);
            case "mid" -> Mid.parse(value);
            default -> new Value(name, value);
        };
    }
}
