package org.medsync.sdp;

import static org.medsync.sdp.SdpException.Reason.BAD_GROUP;

import java.util.HashSet;
import java.util.List;

/**
 * {@code a=group:<semantics> <mid>...} (RFC 5888), session level. ST 2110-10 and SMPTE ST 2022-7 use the
 * {@code DUP} semantics of RFC 7104: the named media sections carry the same RTP stream over different paths.
 */
public record Group(String semantics, List<String> tags) implements Attribute {

    /** RFC 7104 duplication: one stream sent twice (ST 2022-7 seamless protection switching). */
    public static final String DUP = "DUP";

    public Group {
        Syntax.requireToken(semantics, "group semantics");
        tags = List.copyOf(tags);
        String bad = check(semantics, tags);
        if (bad != null) {
            throw new IllegalArgumentException(bad);
        }
    }

    /** {@code a=group:DUP <primary> <secondary>}. */
    public static Group duplication(String primary, String secondary) {
        return new Group(DUP, List.of(primary, secondary));
    }

    public boolean duplication() {
        return semantics.equals(DUP);
    }

    @Override
    public String name() {
        return "group";
    }

    @Override
    public String text() {
        return "group:" + semantics + " " + String.join(" ", tags);
    }

    private static String check(String semantics, List<String> tags) {
        if (tags.isEmpty()) {
            return "a=group:" + semantics + " names at least one a=mid tag";
        }
        for (String t : tags) {
            if (!Syntax.isToken(t)) {
                return "group tags are tokens, got '" + t + "'";
            }
        }
        if (new HashSet<>(tags).size() != tags.size()) {
            return "a=group:" + semantics + " names each tag once, got " + String.join(" ", tags);
        }
        if (semantics.equals(DUP) && tags.size() < 2) {
            return "a=group:DUP names two or more media sections (RFC 7104), got " + tags.size();
        }
        return null;
    }

    static Group parse(String value) {
        String expected = "a=group:<semantics> <mid> <mid>... (single spaces)";
        String[] parts = value.split(" ", -1);
        if (!Syntax.isToken(parts[0])) {
            throw new SdpException(0, BAD_GROUP, expected + ", got 'a=group:" + value + "'");
        }
        List<String> tags = List.of(parts).subList(1, parts.length);
        for (String t : tags) {
            if (!Syntax.isToken(t)) {
                throw new SdpException(0, BAD_GROUP, expected + ", tag '" + t + "' is not a token");
            }
        }
        String bad = check(parts[0], tags);
        if (bad != null) {
            throw new SdpException(0, BAD_GROUP, bad);
        }
        return new Group(parts[0], tags);
    }
}
