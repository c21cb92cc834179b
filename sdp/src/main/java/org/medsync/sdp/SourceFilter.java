package org.medsync.sdp;

import static org.medsync.sdp.SdpException.Reason.BAD_SOURCE_FILTER;

import java.util.Arrays;
import java.util.List;

/**
 * {@code a=source-filter: <incl|excl> <nettype> <addrtype> <dest-address> <src-list>} (RFC 4570):
 * source-specific multicast, as ST 2110 senders announce it.
 */
public record SourceFilter(String mode, String netType, String addressType, String destination, List<String> sources)
        implements Attribute {

    public SourceFilter {
        if (!mode.equals("incl") && !mode.equals("excl")) {
            throw new IllegalArgumentException("mode must be incl or excl, was " + mode);
        }
        Syntax.requireToken(netType, "net type");
        if (!addressType.equals("*") && !Syntax.isToken(addressType)) {
            throw new IllegalArgumentException("address type must be a token or *, was " + addressType);
        }
        Syntax.requireField(destination, "destination");
        sources = List.copyOf(sources);
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("at least one source address");
        }
        sources.forEach(s -> Syntax.requireField(s, "source address"));
    }

    /** {@code incl IN IP4 <group> <source>}: receive the group only from this source. */
    public static SourceFilter include(String group, String source) {
        return new SourceFilter("incl", "IN", "IP4", group, List.of(source));
    }

    @Override
    public String name() {
        return "source-filter";
    }

    @Override
    public String text() {
        return "source-filter: " + mode + " " + netType + " " + addressType + " " + destination + " "
                + String.join(" ", sources);
    }

    static SourceFilter parse(String value) {
        String expected = "a=source-filter: <incl|excl> <nettype> <addrtype> <dest-address> <src-address>...";
        String v = value.startsWith(" ") ? value.substring(1) : value;
        String[] parts = v.split(" ", -1);
        if (parts.length < 5 || Arrays.stream(parts).anyMatch(p -> !Syntax.isField(p))) {
            throw new SdpException(0, BAD_SOURCE_FILTER, expected + ", got 'a=source-filter:" + value + "'");
        }
        if (!parts[0].equals("incl") && !parts[0].equals("excl")) {
            throw new SdpException(0, BAD_SOURCE_FILTER, expected + ", mode '" + parts[0] + "'");
        }
        if (!Syntax.isToken(parts[1]) || !parts[2].equals("*") && !Syntax.isToken(parts[2])) {
            throw new SdpException(0, BAD_SOURCE_FILTER, expected + ", types '" + parts[1] + " " + parts[2] + "'");
        }
        return new SourceFilter(
                parts[0], parts[1], parts[2], parts[3], List.of(parts).subList(4, parts.length));
    }
}
