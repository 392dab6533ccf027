package io.rnn4j.layers.keras;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One layer's Keras config, read option by option so that every message names the layer and the
 * option, and so that an option nobody read (one this loader does not know) is refused rather
 * than silently dropped ({@link #requireAllRead()}).
 */
final class Options {
    private final String layer;
    private final String className;
    private final Map<String, Object> config;
    private final Set<String> read = new LinkedHashSet<>();

    Options(String layer, String className, Map<String, Object> config) {
        this.layer = layer;
        this.className = className;
        this.config = config;
    }

    /** "layer 'lstm_1' (LSTM)", for messages. */
    String where() {
        return "layer '" + layer + "' (" + className + ")";
    }

    String layer() {
        return layer;
    }

    String className() {
        return className;
    }

    boolean has(String key) {
        return config.containsKey(key) && config.get(key) != null;
    }

    /** Whether the config holds {@code key} at all, null included (absent means the constructor's default). */
    boolean present(String key) {
        return config.containsKey(key);
    }

    /** Whether the config holds {@code key} as null (which Keras may read otherwise than absent). */
    boolean isNull(String key) {
        return config.containsKey(key) && config.get(key) == null;
    }

    /** The raw value (marks the option read). */
    Object raw(String key) {
        read.add(key);
        return config.get(key);
    }

    /** Marks options whose every value is accepted and has no effect on the numbers here. */
    void ignore(String... keys) {
        read.addAll(List.of(keys));
    }

    int integer(String key) {
        Object v = raw(key);
        Integer n = wholeNumber(v);
        if (n == null) {
            throw error(key, "an integer", v);
        }
        return n;
    }

    /** A JSON number (parsed as a Double) that is a whole number within int's range, as an int; else null. */
    static Integer wholeNumber(Object v) {
        return v instanceof Double d && d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE ? d.intValue() : null;
    }

    /** An integer, or {@code fallback} when the option is absent or null. */
    int integer(String key, int fallback) {
        return config.get(key) == null ? markRead(key, fallback) : integer(key);
    }

    private int markRead(String key, int value) {
        read.add(key);
        return value;
    }

    double number(String key, double fallback) {
        Object v = raw(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Double d)) {
            throw error(key, "a number", v);
        }
        return d;
    }

    boolean bool(String key, boolean fallback) {
        Object v = raw(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Boolean b)) {
            throw error(key, "true or false", v);
        }
        return b;
    }

    String string(String key, String fallback) {
        Object v = raw(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof String str)) {
            throw error(key, "a string", v);
        }
        return str;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> object(String key) {
        Object v = raw(key);
        if (!(v instanceof Map<?, ?>)) {
            throw error(key, "an object", v);
        }
        return (Map<String, Object>) v;
    }

    /** A list of integers in which null (Keras's None) is -1. */
    int[] dims(String key) {
        Object v = raw(key);
        if (!(v instanceof List<?> l)) {
            throw error(key, "a list of dimensions", v);
        }
        int[] d = new int[l.size()];
        for (int k = 0; k < d.length; k++) {
            Object e = l.get(k);
            if (e == null) {
                d[k] = -1;
            } else if (e instanceof Double x && x == Math.rint(x) && (x >= 1 || x == -1) && x <= Integer.MAX_VALUE) {
                d[k] = x.intValue();
            } else {
                throw error(key, "a list of positive integers, -1 or nulls", v);
            }
        }
        return d;
    }

    /** The option must be absent or equal to {@code allowed} (the only value that gives Keras's numbers here). */
    void require(String key, Object allowed) {
        Object v = raw(key);
        if (v != null && !Objects.equals(v, allowed)) {
            throw unsupported(key, v);
        }
    }

    /** The option must be absent or null (e.g. activity_regularizer, which has no counterpart here). */
    void requireNull(String key) {
        Object v = raw(key);
        if (v != null) {
            throw unsupported(key, v);
        }
    }

    /** Every key of the config, in its order. */
    Set<String> keys() {
        return config.keySet();
    }

    /** The keys no reader looked at, in the config's order. */
    List<String> unread() {
        return config.keySet().stream().filter(k -> !read.contains(k)).toList();
    }

    /** Refuses any option that no reader looked at. */
    void requireAllRead() {
        for (Map.Entry<String, Object> e : config.entrySet()) {
            if (!read.contains(e.getKey())) {
                throw new KerasFileException("unsupported option '" + e.getKey() + "' = " + show(e.getValue())
                        + " in " + where() + ": this loader does not know it");
            }
        }
    }

    KerasFileException unsupported(String key, Object value) {
        return new KerasFileException("unsupported option " + key + "=" + show(value) + " in " + where());
    }

    KerasFileException error(String key, String expected, Object found) {
        return new KerasFileException(where() + ": option '" + key + "' must be " + expected + ", found "
                + show(found));
    }

    static String show(Object v) {
        String s = v instanceof Double d && d == Math.rint(d) && !d.isInfinite() ? String.valueOf(d.longValue())
                : v instanceof String str ? "'" + str + "'" : v instanceof Map<?, ?> || v instanceof List<?>
                ? Json.write(v) : String.valueOf(v);
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
