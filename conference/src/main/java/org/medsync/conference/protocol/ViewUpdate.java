package org.medsync.conference.protocol;

/**
 * The driver's view, sent peer to peer on the unordered data channel (docs/readout-protocol.md, "VIEW").
 * Fields absent from {@code mask} keep their values from the full state {@code baseSeq}; a full state has
 * every bit set and {@code baseSeq == seq}. Geometry is independent of screen size: {@code scale} is the
 * viewport height in image heights, voiLower/voiUpper the VOI range (Cornerstone's voiRange: the
 * DICOM linear function's window edges, exact where centre/width would round) (1 = the image fits the height), {@code panX/panY} the focal point's
 * offset from the image origin in image widths/heights, crosshair positions in image widths/heights.
 */
public record ViewUpdate(
        long seq,
        long baseSeq,
        int mask,
        int worklistIndex,
        String seriesUid,
        int imageIndex,
        double voiLower,
        double voiUpper,
        double scale,
        double panX,
        double panY,
        boolean crosshair,
        double crosshairX,
        double crosshairY,
        boolean cine,
        int cineFps,
        boolean smoothing)
        implements PeerMessage {
    public static final int WORKLIST = 1,
            SERIES = 1 << 1,
            IMAGE = 1 << 2,
            VOI = 1 << 3,
            SCALE = 1 << 4,
            PAN = 1 << 5,
            CROSSHAIR = 1 << 6,
            CINE = 1 << 7,
            SMOOTHING = 1 << 8,
            ALL = (1 << 9) - 1;

    public boolean isFull() {
        return mask == ALL && baseSeq == seq;
    }

    public boolean has(int bit) {
        return (mask & bit) != 0;
    }
}
