package org.medsync.rtv.control;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON (RFC 8259) reader and writer for the control API: objects become
 * {@code Map<String, Object>} (insertion order), arrays {@code List<Object>}, numbers
 * {@link BigDecimal}, plus String, Boolean and {@link #NULL}. Depth and size are bounded.
 */
public final class Json {

    /** JSON null (maps do not hold Java null). */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** Text that is not JSON; the message says where and what was expected. */
    public static final class JsonException extends RuntimeException {
        public JsonException(String message) {
            super(message);
        }
    }

    private static final int MAX_DEPTH = 32;
    private static final int MAX_SCALE = 1000;
    private static final int MAX_DIGITS = 40;
    private final String s;
    private int i;

    private Json(String s) {
        this.s = s;
    }

    public static Object parse(String text) {
        Json j = new Json(text);
        j.ws();
        Object v = j.value(0);
        j.ws();
        if (j.i != text.length()) {
            throw j.error("end of input");
        }
        return v;
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("less nesting (at most " + MAX_DEPTH + ")");
        }
        if (i >= s.length()) {
            throw error("a value");
        }
        char c = s.charAt(i);
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", NULL);
            default -> {
                if (c == '-' || c >= '0' && c <= '9') {
                    yield number();
                }
                throw error("a value");
            }
        };
    }

    private Map<String, Object> object(int depth) {
        Map<String, Object> m = new LinkedHashMap<>();
        i++;
        ws();
        if (peek('}')) {
            i++;
            return m;
        }
        while (true) {
            ws();
            if (!peek('"')) {
                throw error("a member name in double quotes");
            }
            String k = string();
            ws();
            expect(':');
            ws();
            if (m.put(k, value(depth + 1)) != null) {
                throw error("member \"" + k + "\" only once");
            }
            ws();
            if (peek(',')) {
                i++;
                continue;
            }
            expect('}');
            return m;
        }
    }

    private List<Object> array(int depth) {
        List<Object> l = new ArrayList<>();
        i++;
        ws();
        if (peek(']')) {
            i++;
            return l;
        }
        while (true) {
            ws();
            l.add(value(depth + 1));
            ws();
            if (peek(',')) {
                i++;
                continue;
            }
            expect(']');
            return l;
        }
    }

    private String string() {
        i++;
        StringBuilder b = new StringBuilder();
        while (true) {
            if (i >= s.length()) {
                throw error("a closing double quote");
            }
            char c = s.charAt(i++);
            if (c == '"') {
                return b.toString();
            }
            if (c < 0x20) {
                throw error("no control character inside a string");
            }
            if (c == '\\') {
                if (i >= s.length()) {
                    throw error("an escape");
                }
                char e = s.charAt(i++);
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        // parseInt alone would take "+041" and "-041"
                        if (i + 4 > s.length() || !s.substring(i, i + 4).matches("[0-9a-fA-F]{4}")) {
                            throw error("4 hex digits");
                        }
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> throw error("a valid escape");
                }
            } else {
                b.append(c);
            }
        }
    }

    private BigDecimal number() {
        int start = i;
        if (peek('-')) {
            i++;
        }
        while (i < s.length() && "0123456789.eE+-".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        String t = s.substring(start, i);
        if (!t.matches("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?") || t.length() > 64) {
            throw error("a number");
        }
        BigDecimal n;
        try {
            n = new BigDecimal(t);
        } catch (NumberFormatException exponentOverflow) {
            throw error("a number with an exponent of at most " + MAX_SCALE);
        }
        // toPlainString() of 1e999999999 is a billion characters: refuse such numbers here, once.
        if (Math.abs(n.scale()) > MAX_SCALE) {
            throw error("a number with an exponent of at most " + MAX_SCALE);
        }
        // What we write must parse again: 60 digits with an exponent are written as "1.888...E+159", longer than the
        // 64 characters a number may have. 40 digits (a double needs 17) always write back within the limit.
        if (n.precision() > MAX_DIGITS) {
            throw error("a number of at most " + MAX_DIGITS + " significant digits");
        }
        return n;
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, i)) {
            throw error(word);
        }
        i += word.length();
        return v;
    }

    private boolean peek(char c) {
        return i < s.length() && s.charAt(i) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error("'" + c + "'");
        }
        i++;
    }

    private void ws() {
        while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
    }

    private JsonException error(String expected) {
        return new JsonException("invalid JSON at character " + i + ": expected " + expected);
    }

    /** Writes maps, lists, strings, numbers, booleans, null and records-as-maps the caller built. */
    public static String write(Object v) {
        StringBuilder b = new StringBuilder();
        write(b, v);
        return b.toString();
    }

    private static void write(StringBuilder b, Object v) {
        switch (v) {
            case null -> b.append("null");
            case Map<?, ?> m -> {
                b.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    quote(b, String.valueOf(e.getKey()));
                    b.append(':');
                    write(b, e.getValue());
                }
                b.append('}');
            }
            case List<?> l -> {
                b.append('[');
                for (int k = 0; k < l.size(); k++) {
                    if (k > 0) {
                        b.append(',');
                    }
                    write(b, l.get(k));
                }
                b.append(']');
            }
            case String str -> quote(b, str);
            case BigDecimal n -> b.append(n);
            case Number n -> {
                double d = n.doubleValue();
                b.append(Double.isFinite(d) ? n.toString() : "null");
            }
            case Boolean bool -> b.append(bool);
            default -> b.append(v == NULL ? "null" : quoteString(v.toString()));
        }
    }

    private static String quoteString(String s) {
        StringBuilder b = new StringBuilder();
        quote(b, s);
        return b.toString();
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
