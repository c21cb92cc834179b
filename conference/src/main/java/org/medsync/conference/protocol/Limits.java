package org.medsync.conference.protocol;

/**
 * Size limits of the readout protocol, in one place (docs/readout-protocol.md, "Limits").
 *
 * @param maxMessageBytes largest WebSocket message accepted
 * @param maxSignalBytes  largest SDP or ICE candidate payload
 * @param maxChatChars    longest chat text, in UTF-16 units
 * @param maxStringBytes  longest other string (UIDs, names, codes)
 * @param maxListItems    longest list (roster, worklist, ICE servers, chat history)
 */
public record Limits(int maxMessageBytes, int maxSignalBytes, int maxChatChars, int maxStringBytes, int maxListItems) {
    public static final Limits DEFAULT = new Limits(65_536, 32_768, 2_000, 256, 512);

    public Limits {
        if (maxMessageBytes < 64 || maxSignalBytes < 1 || maxChatChars < 1 || maxStringBytes < 64 || maxListItems < 1) {
            throw new IllegalArgumentException("limits too small: " + maxMessageBytes + "/" + maxSignalBytes + "/"
                    + maxChatChars + "/" + maxStringBytes + "/" + maxListItems);
        }
    }
}
