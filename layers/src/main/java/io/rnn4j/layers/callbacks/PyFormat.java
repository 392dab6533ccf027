package io.rnn4j.layers.callbacks;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bits of Python's string formatting that Keras's callbacks show to users: {@code repr} of a
 * float (CSVLogger's cells, messages) and {@code str.format} of ModelCheckpoint's file paths.
 */
final class PyFormat {
    private static final Pattern SPEC = Pattern.compile("(0)?(\\d+)?(?:\\.(\\d+))?([dfe])?");

    private PyFormat() {
    }

    /**
     * Python's {@code repr(float)}: the shortest digits that read back to the same double, in
     * positional form for exponents −4 … 15 ("0.0001", "123.5", "1.0") and scientific beyond
     * ("1e-05", "1.5e+16"); "nan", "inf", "-inf".
     */
    static String repr(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return 1 / v < 0 ? "-0.0" : "0.0";
        }
        String sign = v < 0 ? "-" : "";
        // Double.toString gives the shortest round-tripping digits (JDK 19+), as Python's repr.
        BigDecimal bd = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
        String digits = bd.unscaledValue().toString();
        int exp = digits.length() - 1 - bd.scale();
        if (exp < -4 || exp >= 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + String.format(Locale.ROOT, "%02d", Math.abs(exp));
        }
        if (exp >= digits.length() - 1) {
            return sign + digits + "0".repeat(exp - digits.length() + 1) + ".0";
        }
        if (exp >= 0) {
            return sign + digits.substring(0, exp + 1) + "." + digits.substring(exp + 1);
        }
        return sign + "0." + "0".repeat(-exp - 1) + digits;
    }

    /**
     * Python's {@code template.format(**values)} for fields {@code {name}} and
     * {@code {name:spec}} with spec {@code [0][width][.precision][d|f|e]}, and "{{", "}}" for
     * literal braces. Integers print as integers, doubles as {@link #repr}.
     *
     * @throws IllegalArgumentException naming a field that is not in {@code values} or a spec
     *                                  that does not apply
     */
    static String format(String template, Map<String, ?> values) {
        return render(template, values);
    }

    /**
     * Checks what can be checked of a template before any value exists (ModelCheckpoint's
     * constructor, so that a bad path fails before training, not after its first epoch): braces,
     * specs, and that {@code d} goes only with the integer fields epoch and batch.
     *
     * @throws IllegalArgumentException naming the template and what is wrong with it
     */
    static void check(String template) {
        render(template, null);
    }

    /** Formats with {@code values}, or with null only checks. */
    private static String render(String template, Map<String, ?> values) {
        StringBuilder out = new StringBuilder();
        int n = template.length();
        for (int i = 0; i < n; i++) {
            char c = template.charAt(i);
            if ((c == '{' || c == '}') && i + 1 < n && template.charAt(i + 1) == c) {
                out.append(c);
                i++;
                continue;
            }
            if (c == '}') {
                throw new IllegalArgumentException("failed to format the file path \"" + template + "\": a single '}' "
                        + "at " + i + " (write '}}' for a literal brace)");
            }
            if (c != '{') {
                out.append(c);
                continue;
            }
            int end = template.indexOf('}', i);
            int nested = template.indexOf('{', i + 1);
            if (end < 0 || nested >= 0 && nested < end) {
                throw new IllegalArgumentException("failed to format the file path \"" + template + "\": the '{' at "
                        + i + " has no closing '}' (write '{{' for a literal brace)");
            }
            String body = template.substring(i + 1, end);
            int colon = body.indexOf(':');
            String name = colon < 0 ? body : body.substring(0, colon);
            String spec = colon < 0 ? null : body.substring(colon + 1);
            if (values == null) {
                checkSpec(template, name, spec);
            } else {
                if (!values.containsKey(name)) {
                    throw new IllegalArgumentException("failed to format the file path \"" + template + "\": no '"
                            + name + "' among " + values.keySet());
                }
                out.append(field(template, values.get(name), spec));
            }
            i = end;
        }
        return out.toString();
    }

    private static void checkSpec(String template, String name, String spec) {
        if (spec == null || spec.isEmpty()) {
            return;
        }
        Matcher s = SPEC.matcher(spec);
        if (!s.matches()) {
            throw new IllegalArgumentException("failed to format the file path \"" + template + "\": unsupported "
                    + "format spec '" + spec + "' (use [0][width][.precision][d|f|e])");
        }
        if (s.group(3) != null && s.group(4) == null) {
            throw new IllegalArgumentException("failed to format the file path \"" + template + "\": give a "
                    + "type (f or e) with a precision, got '" + spec + "'");
        }
        if ("d".equals(s.group(4)) && !name.equals("epoch") && !name.equals("batch")) {
            throw new IllegalArgumentException("failed to format the file path \"" + template + "\": spec '" + spec
                    + "' needs an integer, but '" + name + "' is a float (only epoch and batch are integers)");
        }
    }

    private static String field(String template, Object value, String spec) {
        if (spec == null || spec.isEmpty()) {
            return value instanceof Double d ? repr(d) : String.valueOf(value);
        }
        Matcher s = SPEC.matcher(spec);
        if (!s.matches()) {
            throw new IllegalArgumentException("failed to format the file path \"" + template + "\": unsupported "
                    + "format spec '" + spec + "' (use [0][width][.precision][d|f|e])");
        }
        String flags = s.group(1) != null && s.group(2) != null ? "0" : "";
        String width = s.group(2) != null ? s.group(2) : "";
        String precision = s.group(3) != null ? "." + s.group(3) : "";
        String type = s.group(4) != null ? s.group(4) : "";
        boolean integral = value instanceof Integer || value instanceof Long;
        switch (type) {
            case "d" -> {
                if (!integral) {
                    throw new IllegalArgumentException("failed to format the file path \"" + template + "\": spec '"
                            + spec + "' needs an integer, got " + value);
                }
                return String.format(Locale.ROOT, "%" + flags + width + "d", ((Number) value).longValue());
            }
            case "f", "e" -> {
                double d = ((Number) value).doubleValue();
                String p = precision.isEmpty() ? ".6" : precision;
                return String.format(Locale.ROOT, "%" + flags + width + p + type, d);
            }
            default -> {
                if (!precision.isEmpty()) {
                    throw new IllegalArgumentException("failed to format the file path \"" + template + "\": give a "
                            + "type (f or e) with a precision, got '" + spec + "'");
                }
                String text = value instanceof Double d ? repr(d) : String.valueOf(value);
                int w = width.isEmpty() ? 0 : Integer.parseInt(width);
                if (text.length() >= w) {
                    return text;
                }
                String pad = (flags.isEmpty() ? " " : "0").repeat(w - text.length());
                return value instanceof Number ? pad + text : text + pad;
            }
        }
    }
}
