package org.medsync.ptp.management;

import java.util.HexFormat;
import java.util.Locale;

/** An IEEE 1588 clockIdentity: 8 octets, for an EUI-48 derived one {@code OUI FF FE NIC}. */
public record ClockIdentity(long bits) {

    /** As pmc prints it: {@code 86e1d4.fffe.66d9d7}. */
    public String pmcForm() {
        String h = HexFormat.of().toHexDigits(bits);
        return h.substring(0, 6) + "." + h.substring(6, 10) + "." + h.substring(10);
    }

    /** As RFC 7273 / ST 2110-10 SDP writes a grandmaster: {@code 86-E1-D4-FF-FE-66-D9-D7}. */
    public String eui64() {
        String h = HexFormat.of().withUpperCase().toHexDigits(bits);
        StringBuilder b = new StringBuilder(23);
        for (int i = 0; i < 16; i += 2) {
            if (i > 0) {
                b.append('-');
            }
            b.append(h, i, i + 2);
        }
        return b.toString();
    }

    /** Reads either form (hex digits case-insensitive). @throws IllegalArgumentException otherwise */
    public static ClockIdentity parse(String text) {
        String digits = text.length() == 18 && text.charAt(6) == '.' && text.charAt(11) == '.'
                ? text.substring(0, 6) + text.substring(7, 11) + text.substring(12)
                : text.length() == 23 ? text.replace("-", "") : "";
        if (digits.length() != 16 || !digits.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("not a clock identity (xxxxxx.xxxx.xxxxxx or XX-XX-XX-XX-XX-XX-XX-XX): "
                    + text.substring(0, Math.min(text.length(), 40)));
        }
        return new ClockIdentity(HexFormat.fromHexDigitsToLong(digits.toLowerCase(Locale.ROOT)));
    }

    @Override
    public String toString() {
        return pmcForm();
    }
}
