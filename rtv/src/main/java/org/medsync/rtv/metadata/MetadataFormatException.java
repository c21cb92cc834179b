package org.medsync.rtv.metadata;

import java.util.Objects;

/** Bytes that are not a PS3.22 metadata payload, with a {@link Reason} to switch on; the message is for humans. */
public final class MetadataFormatException extends RuntimeException {

    /** Why a payload, or a data set in it, was refused. */
    public enum Reason {
        /** Fewer bytes than the 128-byte preamble and "DICM", or an element header or value cut off. */
        TRUNCATED,
        /** The 128-byte preamble is not all zero. */
        BAD_PREAMBLE,
        /** No "DICM" prefix at offset 128. */
        NO_DICM_PREFIX,
        /** The first element after "DICM" is not (0002,0000) UL 4. */
        MISSING_GROUP_LENGTH,
        /** (0002,0000) disagrees with where group 0002 ends. */
        BAD_GROUP_LENGTH,
        /** A required RTV Meta Information element is absent. */
        MISSING_META_ELEMENT,
        /** An RTV Meta Information element has the wrong VR or size (e.g. a UUID not 16 bytes). */
        BAD_META_VALUE,
        /** Two bytes where a VR belongs that are not one we know. */
        BAD_VR,
        /** An element length that is odd, or not a multiple of the numeric VR's size. */
        BAD_LENGTH,
        /** An element length running past the end of its data set, item or sequence. */
        LENGTH_BEYOND_END,
        /** Undefined length (FFFFFFFF) on something other than SQ or an item. */
        UNDEFINED_LENGTH,
        /** Inside a sequence, something other than an item or the sequence delimiter. */
        BAD_ITEM,
        /** Tags not in ascending order, or one tag twice. */
        TAGS_OUT_OF_ORDER,
        /** Text that is not valid UTF-8. */
        BAD_TEXT,
        /** Sequences nested deeper than the limit. */
        TOO_DEEP,
        /** A PS3.22 rule broken: e.g. not exactly one Current Frame Functional Groups item. */
        NOT_RTV
    }

    private final Reason reason;

    public MetadataFormatException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
