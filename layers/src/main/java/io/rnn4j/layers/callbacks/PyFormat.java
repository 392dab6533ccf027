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
    private static final Pattern FIELD = Pattern.compile("\\{([^{}:]*)(?::([^{}]*))?}");
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
     * {@code {name:spec}} with spec {@code [0][width][.precision][d|f|e]}; "{{" and "}}" are not
     * supported. Integers print as integers, doubles as {@link #repr}.
     *
     * @throws IllegalArgumentException naming a field that is not in {@code values} or a spec
     *                                  that does not apply
     */
    static String format(String template, Map<String, ?> values) {
        Matcher m = FIELD.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            if (!values.containsKey(name)) {
                throw new IllegalArgumentException("failed to format the file path \"" + template + "\": no '" + name
                        + "' among " + values.keySet());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(field(template, values.get(name), m.group(2))));
        }
        m.appendTail(out);
        return out.toString();
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
