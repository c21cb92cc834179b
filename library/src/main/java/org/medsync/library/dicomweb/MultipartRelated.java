package org.medsync.library.dicomweb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * multipart/related bodies as DICOMweb uses them (PS3.18 8.7.3.3, RFC 2387): writing our answers and reading
 * those of a remote PACS.
 *
 * <pre>
 * --BOUNDARY CRLF
 * Content-Type: application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1 CRLF
 * CRLF
 * ...part bytes... CRLF
 * --BOUNDARY-- CRLF
 * </pre>
 */
public final class MultipartRelated {
    /** RFC 2046 5.1.1: a boundary is 1 to 70 characters. */
    static final int MAX_BOUNDARY = 70;
    /** The headers of one part; ours and a PACS's are a few hundred bytes. */
    static final int MAX_HEADERS = 16 * 1024;
    /** Parts in one body: each costs a map and a record however small it is on the wire. */
    static final int MAX_PARTS = 65_536;

    private MultipartRelated() {}

    /** One body part: its headers (names lower-cased) and bytes. */
    public record Part(Map<String, String> headers, byte[] body) {
        public String contentType() {
            return headers.getOrDefault("content-type", "application/octet-stream");
        }
    }

    /** A body ready to send, with the Content-Type header value that names its boundary. */
    public record Body(String contentType, byte[] bytes) {}

    public static Body write(String rootType, List<Part> parts) {
        String boundary = "medsync-" + UUID.randomUUID();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part p : parts) {
            out.writeBytes(("--" + boundary + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (Map.Entry<String, String> h : p.headers().entrySet()) {
                out.writeBytes((h.getKey() + ": " + h.getValue() + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(p.body());
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return new Body("multipart/related; type=\"" + rootType + "\"; boundary=" + boundary, out.toByteArray());
    }

    /**
     * Splits a multipart/related body (a remote PACS's answer: outside bytes). Work is linear in the body's size
     * whatever it contains, and what it may allocate is bounded by {@link #MAX_PARTS} and {@link #MAX_HEADERS}.
     *
     * @throws IllegalArgumentException with a precise message when the body does not match its Content-Type
     */
    public static List<Part> parse(String contentType, byte[] body) {
        String boundary = parameter(contentType, "boundary");
        if (boundary == null || boundary.isEmpty()) {
            throw new IllegalArgumentException("multipart Content-Type without a boundary");
        }
        if (boundary.length() > MAX_BOUNDARY) {
            throw new IllegalArgumentException("multipart boundary of " + boundary.length()
                    + " characters; RFC 2046 allows at most " + MAX_BOUNDARY);
        }
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
        byte[] partEnd = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        List<Part> parts = new ArrayList<>();
        int pos = indexOf(body, delimiter, 0, body.length);
        if (pos < 0) {
            throw new IllegalArgumentException("multipart body does not contain its boundary");
        }
        while (true) {
            int afterDelimiter = pos + delimiter.length;
            if (afterDelimiter + 1 < body.length && body[afterDelimiter] == '-' && body[afterDelimiter + 1] == '-') {
                return parts;
            }
            if (parts.size() == MAX_PARTS) {
                throw new IllegalArgumentException("multipart body has more than " + MAX_PARTS + " parts");
            }
            int headersStart = skipLineEnd(body, afterDelimiter);
            // No headers at all (RFC 2046 allows it): the blank line follows the delimiter's line directly.
            boolean noHeaders =
                    headersStart + 1 < body.length && body[headersStart] == '\r' && body[headersStart + 1] == '\n';
            int headersEnd = noHeaders
                    ? headersStart - 2
                    : indexOf(body, HEADERS_END, headersStart, (int)
                            Math.min(body.length, (long) headersStart + MAX_HEADERS + HEADERS_END.length));
            if (headersEnd < 0) {
                throw new IllegalArgumentException("multipart part " + (parts.size() + 1)
                        + (body.length - headersStart > MAX_HEADERS
                                ? " has no end of headers within " + MAX_HEADERS + " bytes"
                                : " has no end of headers"));
            }
            Map<String, String> headers = new LinkedHashMap<>();
            String headerText = noHeaders
                    ? ""
                    : new String(body, headersStart, headersEnd - headersStart, StandardCharsets.ISO_8859_1);
            for (String line : headerText.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.put(
                            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            line.substring(colon + 1).trim());
                }
            }
            int bodyStart = headersEnd + 4;
            int next = indexOf(body, partEnd, bodyStart, body.length);
            if (next < 0) {
                throw new IllegalArgumentException(
                        "multipart part " + (parts.size() + 1) + " is not terminated by its boundary");
            }
            byte[] partBody = Arrays.copyOfRange(body, bodyStart, next);
            parts.add(new Part(headers, partBody));
            pos = next + 2;
        }
    }

    /** A parameter of a header value such as {@code multipart/related; type="a/b"; boundary=x}. */
    public static String parameter(String headerValue, String name) {
        if (headerValue == null) {
            return null;
        }
        for (String piece : headerValue.split(";")) {
            int eq = piece.indexOf('=');
            if (eq > 0 && piece.substring(0, eq).trim().equalsIgnoreCase(name)) {
                String v = piece.substring(eq + 1).trim();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
                return v;
            }
        }
        return null;
    }

    private static int skipLineEnd(byte[] b, int i) {
        while (i < b.length && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        if (i + 1 < b.length && b[i] == '\r' && b[i + 1] == '\n') {
            return i + 2;
        }
        return i;
    }

    private static final byte[] HEADERS_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /**
     * First {@code needle} in {@code haystack[from, to)}, or -1. Knuth-Morris-Pratt: a naive search costs
     * body size x boundary length on a body crafted to almost match the boundary everywhere.
     */
    private static int indexOf(byte[] haystack, byte[] needle, int from, int to) {
        int[] fail = new int[needle.length];
        for (int i = 1, k = 0; i < needle.length; i++) {
            while (k > 0 && needle[i] != needle[k]) {
                k = fail[k - 1];
            }
            if (needle[i] == needle[k]) {
                k++;
            }
            fail[i] = k;
        }
        for (int i = Math.max(0, from), k = 0; i < to; i++) {
            while (k > 0 && haystack[i] != needle[k]) {
                k = fail[k - 1];
            }
            if (haystack[i] == needle[k]) {
                k++;
            }
            if (k == needle.length) {
                return i - needle.length + 1;
            }
        }
        return -1;
    }
}
