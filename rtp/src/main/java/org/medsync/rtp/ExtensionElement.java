package org.medsync.rtp;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One RFC 8285 header extension element: a local identifier (mapped to a URI by SDP
 * {@code a=extmap}) and its data, a read-only view.
 */
public record ExtensionElement(int id, ByteBuffer data) {

    public ExtensionElement {
        if (id < 1 || id > 255) {
            throw new IllegalArgumentException("extension element id must be 1..255, was " + id);
        }
        data = Objects.requireNonNull(data, "data").slice().asReadOnlyBuffer();
        if (data.remaining() > 255) {
            throw new IllegalArgumentException("extension element data longer than 255 bytes");
        }
    }

    public static ExtensionElement of(int id, byte... data) {
        return new ExtensionElement(id, ByteBuffer.wrap(data.clone()));
    }

    /** The data as a fresh view; reading it does not change this element. */
    @Override
    public ByteBuffer data() {
        return data.duplicate();
    }

    public int length() {
        return data.remaining();
    }

    public byte[] toByteArray() {
        byte[] out = new byte[data.remaining()];
        data.duplicate().get(out);
        return out;
    }
}
