package io.rnn4j.layers.keras;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON Keras writes (model_config, config.json, metadata.json): objects to
 * {@link LinkedHashMap} (key order kept), arrays to {@link List}, numbers to {@link Double},
 * strings, booleans and null; and back, spaced as Python's {@code json.dumps}. Python's
 * {@code NaN}/{@code Infinity} are accepted, as Keras may write them.
 */
final class Json {
    private final String s;
    private int i;

    private Json(String s) {
        this.s = s;
    }

    /**
     * @throws IllegalArgumentException naming the position and what was found there
     */
    static Object parse(String text) {
        Json j = new Json(text);
        Object v = j.value();
        j.space();
        if (j.i != text.length()) {
            throw j.error("end of the text");
        }
        return v;
    }

    private Object value() {
        space();
        if (i >= s.length()) {
            throw error("a value");
        }
        char c = s.charAt(i);
        if (c == '{') {
            return object();
        }
        if (c == '[') {
            return array();
        }
        if (c == '"') {
            return string();
        }
        for (Object[] word : new Object[][] {{"true", Boolean.TRUE}, {"false", Boolean.FALSE}, {"null", null},
                {"NaN", Double.NaN}, {"Infinity", Double.POSITIVE_INFINITY},
                {"-Infinity", Double.NEGATIVE_INFINITY}}) {
            if (s.startsWith((String) word[0], i)) {
                i += ((String) word[0]).length();
                return word[1];
            }
        }
        int start = i;
        while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        try {
            return Double.parseDouble(s.substring(start, i));
        } catch (NumberFormatException e) {
            i = start;
            throw error("a value");
        }
    }

    private Map<String, Object> object() {
        Map<String, Object> m = new LinkedHashMap<>();
        i++;
        space();
        if (peek() == '}') {
            i++;
            return m;
        }
        while (true) {
            space();
            String k = string();
            space();
            expect(':');
            m.put(k, value());
            space();
            if (peek() == ',') {
                i++;
            } else {
                expect('}');
                return m;
            }
        }
    }

    private List<Object> array() {
        List<Object> l = new ArrayList<>();
        i++;
        space();
        if (peek() == ']') {
            i++;
            return l;
        }
        while (true) {
            l.add(value());
            space();
            if (peek() == ',') {
                i++;
            } else {
                expect(']');
                return l;
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (peek() != '"') {
            char c = s.charAt(i++);
            if (c == '\\') {
                char e = peek();
                i++;
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'r' -> b.append('\r');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        if (i + 4 > s.length()) {
                            throw error("four hex digits");
                        }
                        try {
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        } catch (NumberFormatException ex) {
                            throw error("four hex digits");
                        }
                        i += 4;
                    }
                    default -> b.append(e);
                }
            } else {
                b.append(c);
            }
        }
        i++;
        return b.toString();
    }

    private char peek() {
        if (i >= s.length()) {
            throw error("more text");
        }
        return s.charAt(i);
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("'" + c + "'");
        }
        i++;
    }

    private void space() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
    }

    private IllegalArgumentException error(String expected) {
        String found = i >= s.length() ? "the end of the text" : "'" + s.substring(i, Math.min(s.length(), i + 20)) + "'";
        return new IllegalArgumentException("invalid JSON at character " + i + ": expected " + expected + ", found "
                + found);
    }

    // ---- writing ----

    /** Python's {@code json.dumps} spacing: {@code {"a": 1, "b": [1, 2]}}; integral numbers without ".0". */
    static String write(Object v) {
        StringBuilder b = new StringBuilder();
        write(v, b);
        return b.toString();
    }

    private static void write(Object v, StringBuilder b) {
        switch (v) {
            case null -> b.append("null");
            case String str -> quote(str, b);
            case Boolean bool -> b.append(bool);
            case Integer n -> b.append(n);
            case Long n -> b.append(n);
            case Number n -> number(n.doubleValue(), b);
            case Map<?, ?> m -> {
                b.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) {
                        b.append(", ");
                    }
                    first = false;
                    quote(String.valueOf(e.getKey()), b);
                    b.append(": ");
                    write(e.getValue(), b);
                }
                b.append('}');
            }
            case List<?> l -> {
                b.append('[');
                for (int k = 0; k < l.size(); k++) {
                    if (k > 0) {
                        b.append(", ");
                    }
                    write(l.get(k), b);
                }
                b.append(']');
            }
            default -> throw new IllegalArgumentException("json: cannot write a " + v.getClass().getName());
        }
    }

    private static void number(double d, StringBuilder b) {
        if (Double.isNaN(d)) {
            b.append("NaN");
        } else if (Double.isInfinite(d)) {
            b.append(d > 0 ? "Infinity" : "-Infinity");
        } else {
            // Shortest repr that reads back to the same double, as Python's repr does.
            b.append(Double.toString(d).replace("E", "e"));
        }
    }

    private static void quote(String str, StringBuilder b) {
        b.append('"');
        for (int k = 0; k < str.length(); k++) {
            char c = str.charAt(k);
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
