package org.medsync.photo.request;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of a manual-corners post, {@code {"corners": [[x,y],[x,y],[x,y],[x,y]]}} (TL, TR, BR, BL in photo
 * pixels; other members are ignored). A small strict JSON reader of its own, so the photo module needs no JSON
 * library: it refuses anything that is not JSON, is longer than {@value #MAX_CHARS} characters or nests deeper than
 * {@value #MAX_DEPTH}, with a message fit for a 400 answer that never echoes the input. Whether the corners lie in
 * the photo is the caller's check ({@code Corners.check}).
 */
public final class CornersRequest {
    public static final int MAX_CHARS = 16 * 1024;
    static final int MAX_DEPTH = 16;
    static final String SHAPE = "send {\"corners\": [[x,y],[x,y],[x,y],[x,y]]} (TL, TR, BR, BL)";

    private final String text;
    private int at;

    private CornersRequest(String text) {
        this.text = text;
    }

    /** The four corners, each {x, y}, finite. Throws IllegalArgumentException naming what is wrong. */
    public static double[][] parse(String body) {
        if (body == null || body.isBlank()) {
            throw new IllegalArgumentException("the body is empty: " + SHAPE);
        }
        if (body.length() > MAX_CHARS) {
            throw new IllegalArgumentException("the body is longer than " + MAX_CHARS + " characters: " + SHAPE);
        }
        CornersRequest r = new CornersRequest(body);
        Object root = r.value(0);
        r.space();
        if (r.at != body.length()) {
            throw new IllegalArgumentException("text after the JSON value at character " + r.at);
        }
        if (!(root instanceof Map<?, ?> m) || !(m.get("corners") instanceof List<?> cs) || cs.size() != 4) {
            throw new IllegalArgumentException(SHAPE);
        }
        double[][] xy = new double[4][];
        for (int i = 0; i < 4; i++) {
            if (!(cs.get(i) instanceof List<?> c)
                    || c.size() != 2
                    || !(c.get(0) instanceof Double x)
                    || !(c.get(1) instanceof Double y)) {
                throw new IllegalArgumentException("corner " + i + " must be [x,y] with two numbers");
            }
            if (!Double.isFinite(x) || !Double.isFinite(y)) {
                throw new IllegalArgumentException("corner " + i + " is out of the range of numbers");
            }
            xy[i] = new double[] {x, y};
        }
        return xy;
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("JSON nested deeper than " + MAX_DEPTH);
        }
        space();
        if (at >= text.length()) {
            throw new IllegalArgumentException("the JSON ends early");
        }
        char c = text.charAt(at);
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw new IllegalArgumentException("not JSON at character " + at);
            }
        };
    }

    private Map<String, Object> object(int depth) {
        Map<String, Object> m = new LinkedHashMap<>();
        at++;
        space();
        if (peek('}')) {
            at++;
            return m;
        }
        while (true) {
            space();
            if (!peek('"')) {
                throw new IllegalArgumentException("expected a member name at character " + at);
            }
            String key = string();
            space();
            expect(':');
            m.put(key, value(depth + 1));
            space();
            if (peek(',')) {
                at++;
            } else {
                expect('}');
                return m;
            }
        }
    }

    private List<Object> array(int depth) {
        List<Object> list = new ArrayList<>();
        at++;
        space();
        if (peek(']')) {
            at++;
            return list;
        }
        while (true) {
            list.add(value(depth + 1));
            space();
            if (peek(',')) {
                at++;
            } else {
                expect(']');
                return list;
            }
        }
    }

    private String string() {
        StringBuilder s = new StringBuilder();
        at++;
        while (true) {
            if (at >= text.length()) {
                throw new IllegalArgumentException("a string is not closed");
            }
            char c = text.charAt(at++);
            if (c == '"') {
                return s.toString();
            }
            if (c < 0x20) {
                throw new IllegalArgumentException("a control character inside a string at character " + (at - 1));
            }
            if (c != '\\') {
                s.append(c);
                continue;
            }
            if (at >= text.length()) {
                throw new IllegalArgumentException("a string is not closed");
            }
            char e = text.charAt(at++);
            switch (e) {
                case '"', '\\', '/' -> s.append(e);
                case 'b' -> s.append('\b');
                case 'f' -> s.append('\f');
                case 'n' -> s.append('\n');
                case 'r' -> s.append('\r');
                case 't' -> s.append('\t');
                case 'u' -> {
                    if (at + 4 > text.length()) {
                        throw new IllegalArgumentException("a \\u escape is cut short");
                    }
                    int v = 0;
                    for (int i = 0; i < 4; i++) {
                        int d = Character.digit(text.charAt(at++), 16);
                        if (d < 0) {
                            throw new IllegalArgumentException("a \\u escape needs four hex digits");
                        }
                        v = v * 16 + d;
                    }
                    s.append((char) v);
                }
                default -> throw new IllegalArgumentException("an unknown escape in a string at character " + (at - 1));
            }
        }
    }

    private Double number() {
        int start = at;
        if (peek('-')) {
            at++;
        }
        if (peek('0')) {
            at++;
        } else if (digits() == 0) {
            throw new IllegalArgumentException("a number without digits at character " + start);
        }
        if (peek('.')) {
            at++;
            if (digits() == 0) {
                throw new IllegalArgumentException("a number without digits after its point at character " + start);
            }
        }
        if (peek('e') || peek('E')) {
            at++;
            if (peek('+') || peek('-')) {
                at++;
            }
            if (digits() == 0) {
                throw new IllegalArgumentException("a number without exponent digits at character " + start);
            }
        }
        if (at - start > 64) {
            throw new IllegalArgumentException("a number longer than 64 characters at character " + start);
        }
        return Double.valueOf(text.substring(start, at));
    }

    private int digits() {
        int n = 0;
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
            at++;
            n++;
        }
        return n;
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, at)) {
            throw new IllegalArgumentException("not JSON at character " + at);
        }
        at += word.length();
        return value;
    }

    private void space() {
        while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
    }

    private boolean peek(char c) {
        return at < text.length() && text.charAt(at) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw new IllegalArgumentException("expected '" + c + "' at character " + at);
        }
        at++;
    }
}
