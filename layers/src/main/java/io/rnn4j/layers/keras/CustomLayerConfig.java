package io.rnn4j.layers.keras;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One custom layer's Keras config (the {@code config} object its Python class's
 * {@code get_config()} wrote), as a {@link CustomLayers.Factory} reads it: typed getters that
 * name the layer, the key and the value in every error ({@link KerasFileException}), with
 * defaults for absent keys. A key present as null (Python's None) reads as absent wherever a
 * default is given.
 *
 * <p>Keras passes every key to {@code __init__}, so every key the factory neither reads nor
 * {@linkplain #ignore ignores} is refused once it returns, naming the key and its value. The
 * keys every Keras layer has are read by rnn4j as for its own layers: {@code name},
 * {@code trainable}, {@code dtype} (float32 only), {@code autocast}, {@code activity_regularizer}
 * (null only) and the input shape keys ({@code batch_shape}, {@code batch_input_shape},
 * {@code input_shape}).
 */
public final class CustomLayerConfig {
    private final Options options;
    private final String key;

    CustomLayerConfig(Options options, String key) {
        this.options = options;
        this.key = key;
    }

    /** The layer's name in the file. */
    public String name() {
        return options.layer();
    }

    /** The registry key the entry matched ({@code "package>ClassName"} or {@code "ClassName"}). */
    public String registeredName() {
        return key;
    }

    /** Every key of the config, in the file's order (the base keys included). */
    public Set<String> keys() {
        return Collections.unmodifiableSet(options.keys());
    }

    /** Whether the config has {@code key} with a value other than null. */
    public boolean has(String key) {
        return options.has(key);
    }

    /** Marks keys as read: their values are accepted and have no effect on the Java layer. */
    public void ignore(String... keys) {
        options.ignore(keys);
    }

    /** The value as parsed from JSON (numbers as Double, lists, maps, null), marked read. */
    public Object raw(String key) {
        return options.raw(key);
    }

    /** A whole number. @throws KerasFileException if absent or not one */
    public int integer(String key) {
        return options.integer(key);
    }

    /** A whole number, or {@code fallback} when absent or null. */
    public int integer(String key, int fallback) {
        return options.integer(key, fallback);
    }

    /** A number. @throws KerasFileException if absent or not one */
    public double number(String key) {
        Object v = options.raw(key);
        if (!(v instanceof Double d)) {
            throw options.error(key, "a number", v);
        }
        return d;
    }

    /** A number, or {@code fallback} when absent or null. */
    public double number(String key, double fallback) {
        return options.number(key, fallback);
    }

    /** true or false. @throws KerasFileException if absent or not one */
    public boolean bool(String key) {
        Object v = options.raw(key);
        if (!(v instanceof Boolean b)) {
            throw options.error(key, "true or false", v);
        }
        return b;
    }

    /** true or false, or {@code fallback} when absent or null. */
    public boolean bool(String key, boolean fallback) {
        return options.bool(key, fallback);
    }

    /** A string. @throws KerasFileException if absent or not one */
    public String string(String key) {
        Object v = options.raw(key);
        if (!(v instanceof String s)) {
            throw options.error(key, "a string", v);
        }
        return s;
    }

    /** A string, or {@code fallback} when absent or null. */
    public String string(String key, String fallback) {
        return options.string(key, fallback);
    }

    /** A list of whole numbers (a Python list or tuple of ints). @throws KerasFileException otherwise */
    public int[] ints(String key) {
        Object v = options.raw(key);
        if (!(v instanceof List<?> l)) {
            throw options.error(key, "a list of integers", v);
        }
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) {
            Integer n = Options.wholeNumber(l.get(i));
            if (n == null) {
                throw options.error(key, "a list of integers", v);
            }
            out[i] = n;
        }
        return out;
    }

    /** A list of whole numbers, or {@code fallback} when absent or null. */
    public int[] ints(String key, int[] fallback) {
        if (!options.has(key)) {
            options.ignore(key);
            return fallback;
        }
        return ints(key);
    }

    /**
     * A nested object (a dict in the config, such as a serialized initializer), as an
     * unmodifiable map of JSON values. @throws KerasFileException if absent or not an object
     */
    public Map<String, Object> map(String key) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(options.object(key)));
    }

    /** A list of JSON values. @throws KerasFileException if absent or not a list */
    public List<Object> list(String key) {
        Object v = options.raw(key);
        if (!(v instanceof List<?> l)) {
            throw options.error(key, "a list", v);
        }
        return Collections.unmodifiableList(new ArrayList<>(l));
    }

    @Override
    public String toString() {
        return options.where();
    }
}
