package org.medsync.sdp;

import static org.medsync.sdp.SdpException.Reason.BAD_MID;

/** {@code a=mid:<tag>} (RFC 5888): the name an {@link Group a=group} line uses for a media section. */
public record Mid(String tag) implements Attribute {

    public Mid {
        Syntax.requireToken(tag, "mid");
    }

    @Override
    public String name() {
        return "mid";
    }

    @Override
    public String text() {
        return "mid:" + tag;
    }

    static Mid parse(String value) {
        if (!Syntax.isToken(value)) {
            throw new SdpException(0, BAD_MID, "a=mid:<token>, got 'a=mid:" + value + "'");
        }
        return new Mid(value);
    }
}
