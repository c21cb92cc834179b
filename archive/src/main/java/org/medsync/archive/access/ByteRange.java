package org.medsync.archive.access;

import java.util.Optional;

/**
 * One byte range of an HTTP Range header (RFC 9110 §14.1.2) over an object of known size. A player seeks with a
 * single range; a header with several ranges, another unit or anything unreadable is answered with the whole object
 * (the RFC lets a server ignore Range), and a readable range that starts past the end is unsatisfiable (416).
 *
 * @param start first byte
 * @param length number of bytes
 */
public record ByteRange(long start, long length) {
    private static final int MAX_HEADER = 200;

    /** The outcome: the whole object, one range, or unsatisfiable. */
    public sealed interface Result permits Whole, Partial, Unsatisfiable {}

    public record Whole() implements Result {}

    public record Partial(ByteRange range) implements Result {}

    public record Unsatisfiable() implements Result {}

    /** The last byte, inclusive, as Content-Range writes it. */
    public long end() {
        return start + length - 1;
    }

    public static Result parse(String header, long size) {
        if (header == null || header.length() > MAX_HEADER || size < 0) {
            return new Whole();
        }
        String h = header.strip();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6)) {
            return new Whole();
        }
        String spec = h.substring(6).strip();
        if (spec.contains(",")) {
            return new Whole();
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return new Whole();
        }
        Optional<Long> first = number(spec.substring(0, dash).strip());
        Optional<Long> last = number(spec.substring(dash + 1).strip());
        if (dash == 0) {
            // bytes=-N: the last N bytes.
            if (last.isEmpty()) {
                return new Whole();
            }
            long n = last.get();
            if (n == 0 || size == 0) {
                return new Unsatisfiable();
            }
            long len = Math.min(n, size);
            return new Partial(new ByteRange(size - len, len));
        }
        if (first.isEmpty()) {
            return new Whole();
        }
        long start = first.get();
        if (!spec.substring(dash + 1).isBlank() && last.isEmpty()) {
            return new Whole();
        }
        if (last.isPresent() && last.get() < start) {
            return new Whole(); // an invalid range-spec: ignored, as the RFC allows
        }
        if (start >= size) {
            return new Unsatisfiable();
        }
        long end = last.map(l -> Math.min(l, size - 1)).orElse(size - 1);
        return new Partial(new ByteRange(start, end - start + 1));
    }

    private static Optional<Long> number(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return Optional.empty();
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return Optional.empty();
            }
        }
        return Optional.of(Long.parseLong(s));
    }
}
