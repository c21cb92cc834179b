package org.medsync.gateway.video;

/**
 * An 8-bit 4:2:0 picture in three tightly packed planes (stride = plane width), what H.264 constrained baseline
 * encodes. Chroma planes are {@code (width + 1) / 2} by {@code (height + 1) / 2}. The arrays are reused from frame to
 * frame by the one converter that owns the picture.
 */
public final class I420Picture {
    private final int width;
    private final int height;
    private final byte[] y;
    private final byte[] u;
    private final byte[] v;

    public I420Picture(int width, int height) {
        if (width < 2 || height < 1 || width % 2 != 0) {
            throw new IllegalArgumentException(
                    "an I420 picture needs an even width and a height, was " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.y = new byte[width * height];
        this.u = new byte[chromaWidth() * chromaHeight()];
        this.v = new byte[chromaWidth() * chromaHeight()];
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int chromaWidth() {
        return (width + 1) / 2;
    }

    public int chromaHeight() {
        return (height + 1) / 2;
    }

    /** The luma plane, row after row, {@link #width()} bytes each. */
    public byte[] y() {
        return y;
    }

    public byte[] u() {
        return u;
    }

    public byte[] v() {
        return v;
    }
}
