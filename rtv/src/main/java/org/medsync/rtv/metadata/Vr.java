package org.medsync.rtv.metadata;

/**
 * The value representations our Explicit VR Little Endian writer and reader handle (PS3.5 6.2).
 * Long-form VRs have a 2-byte reserved field and a 4-byte length (PS3.5 7.1.2); the others a
 * 2-byte length. Text VRs are padded to even length with a space, UI and binary with a zero byte.
 */
public enum Vr {
    AE,
    AS,
    CS,
    DA,
    DS,
    DT,
    IS,
    LO,
    LT,
    PN,
    SH,
    ST,
    TM,
    UC,
    UI,
    UR,
    UT,
    FD,
    FL,
    SL,
    SS,
    UL,
    US,
    OB,
    OW,
    UN,
    SQ;

    /** PS3.5 7.1.2: tag, VR, 00 00, 32-bit length. */
    public boolean longForm() {
        return switch (this) {
            case OB, OW, UN, SQ, UC, UR, UT -> true;
            default -> false;
        };
    }

    public boolean text() {
        return ordinal() <= UT.ordinal();
    }

    public boolean binary() {
        return this == OB || this == OW || this == UN;
    }

    /** Bytes per value of a numeric VR, else 0. */
    public int numberSize() {
        return switch (this) {
            case FD -> 8;
            case FL, SL, UL -> 4;
            case SS, US -> 2;
            default -> 0;
        };
    }

    public byte paddingByte() {
        return this == UI || binary() ? 0 : (byte) ' ';
    }

    /** The VR of two ASCII bytes, or null. */
    public static Vr of(int c0, int c1) {
        if (c0 < 'A' || c0 > 'Z' || c1 < 'A' || c1 > 'Z') {
            return null;
        }
        try {
            return valueOf("" + (char) c0 + (char) c1);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
