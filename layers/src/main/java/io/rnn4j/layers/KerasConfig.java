package io.rnn4j.layers;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A Keras object as Keras serializes it: its class name ("GlorotUniform", "L2", "MaxNorm") and the
 * arguments that rebuild it ({@code {"l2": 0.01}}), with Keras's argument names. Initializers,
 * regularizers and constraints give one so that a saved model names them as Keras does.
 *
 * @param className Keras's class name
 * @param config    the constructor arguments in order: numbers as {@link Double}, ints as
 *                  {@link Integer}, strings; unmodifiable
 */
public record KerasConfig(String className, Map<String, Object> config) {

    public KerasConfig {
        Objects.requireNonNull(className, "className");
        config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
    }

    /** A class without arguments ({@code Zeros}, {@code NonNeg}). */
    public static KerasConfig of(String className) {
        return new KerasConfig(className, Map.of());
    }

    /** A class and its arguments as alternating names and values. */
    public static KerasConfig of(String className, Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("KerasConfig " + className + ": expected name, value pairs, got "
                    + namesAndValues.length + " items");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return new KerasConfig(className, m);
    }

    /**
     * A float32 hyperparameter as the decimal it was written as (0.01f gives 0.01, not
     * 0.009999999776), so configs read as the user wrote them.
     */
    public static double decimal(float value) {
        return Double.parseDouble(Float.toString(value));
    }

    /**
     * An option's value for a message, as its caller wrote it: a double that is exactly a float32
     * (a float argument, widened) prints as that float, "-0.1" and not "-0.10000000149011612".
     */
    static String written(double value) {
        float f = (float) value;
        return f == value ? Float.toString(f) : Double.toString(value);
    }
}
