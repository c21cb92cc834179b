package org.medsync.sdp;

import java.util.regex.Pattern;

/** RFC 8866 section 9 lexical rules shared by the records. */
final class Syntax {

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.0-9A-Z^_`a-z{|}~]+");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    private Syntax() {}

    static boolean isToken(String s) {
        return s != null && TOKEN.matcher(s).matches();
    }

    static void requireToken(String s, String what) {
        if (!isToken(s)) {
            throw new IllegalArgumentException(what + " must be an RFC 8866 token, was '" + s + "'");
        }
    }

    /** A non-empty field without spaces, CR, LF or NUL. */
    static boolean isField(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c == 0x7F) {
                return false;
            }
        }
        return true;
    }

    static void requireField(String s, String what) {
        if (!isField(s)) {
            throw new IllegalArgumentException(what + " must be non-empty without spaces or controls, was '" + s + "'");
        }
    }

    /** RFC 8866 byte-string: one or more of anything but NUL, CR and LF. */
    static boolean isByteString(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0 || c == '\r' || c == '\n') {
                return false;
            }
        }
        return true;
    }

    static void requireByteString(String s, String what) {
        if (!isByteString(s)) {
            throw new IllegalArgumentException(what + " must be non-empty without CR, LF or NUL");
        }
    }

    static boolean isDigits(String s) {
        return s != null && DIGITS.matcher(s).matches();
    }

    /** Decimal without sign or leading zeros issues: digits only, up to max; -1 if not. */
    static long number(String s, long max) {
        if (!isDigits(s) || s.length() > 18) {
            return -1;
        }
        long v = Long.parseLong(s);
        return v <= max ? v : -1;
    }

    /** Same as {@link #number} but rejects leading zeros so text and value round-trip. */
    static long canonicalNumber(String s, long max) {
        if (s != null && s.length() > 1 && s.charAt(0) == '0') {
            return -1;
        }
        return number(s, max);
    }
}
