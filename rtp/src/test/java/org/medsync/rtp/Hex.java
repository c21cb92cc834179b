package org.medsync.rtp;

import java.util.HexFormat;

final class Hex {
    private Hex() {}

    /** Hex digits with any whitespace and '|' separators ignored. */
    static byte[] bytes(String text) {
        return HexFormat.of().parseHex(text.replaceAll("[\\s|]", ""));
    }

    static String of(byte[] b) {
        return HexFormat.ofDelimiter(" ").formatHex(b);
    }
}
