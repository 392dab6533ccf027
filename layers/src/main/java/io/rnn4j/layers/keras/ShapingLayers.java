package io.rnn4j.layers.keras;

import io.rnn4j.layers.Cropping1D;
import io.rnn4j.layers.Dot;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.UpSampling1D;
import io.rnn4j.layers.ZeroPadding1D;
import java.util.List;

/**
 * Keras configs of the Dot merge layer and the 1D step-reshaping layers (ZeroPadding1D,
 * Cropping1D, UpSampling1D), in Keras 2's and Keras 3's forms: sizes as an int or a list of two,
 * as Keras's {@code standardize_tuple} takes them, Keras's defaults where an option is absent. A
 * value Keras would refuse is refused here by layer and option.
 */
final class ShapingLayers {
    private ShapingLayers() {
    }

    /** Dot's {@code axes} has no default in Keras: an int, or a list of two ints; 0 (the batch axis) is refused. */
    static Layer dot(Options o) {
        Object v = o.raw("axes");
        String expected = "an integer axis other than 0 (the batch axis), or a list of two";
        Dot d;
        if (v instanceof List<?> l && l.size() == 2) {
            d = new Dot(axis(o, l.get(0), expected), axis(o, l.get(1), expected));
        } else {
            d = new Dot(axis(o, v, expected));
        }
        return d.normalize(o.bool("normalize", false));
    }

    private static int axis(Options o, Object v, String expected) {
        Integer n = Options.wholeNumber(v);
        if (n == null || n == 0) {
            throw o.error("axes", expected, o.raw("axes"));
        }
        return n;
    }

    static Layer zeroPadding1d(Options o) {
        int[] p = pair(o, "padding", 1);
        return new ZeroPadding1D(p[0], p[1]).dataFormat(LayerReader.dataFormat(o));
    }

    static Layer cropping1d(Options o) {
        int[] c = pair(o, "cropping", 1);
        return new Cropping1D(c[0], c[1]);
    }

    static Layer upSampling1d(Options o) {
        Object v = o.raw("size");
        if (v == null) {
            return new UpSampling1D();
        }
        Integer n = Options.wholeNumber(v);
        if (n == null || n < 1) {
            throw o.error("size", "a positive integer", v);
        }
        return new UpSampling1D(n);
    }

    /** An int n (meaning (n, n)) or a list of two, each >= 0; (fallback, fallback) when absent. */
    private static int[] pair(Options o, String key, int fallback) {
        Object v = o.raw(key);
        if (v == null) {
            return new int[] {fallback, fallback};
        }
        String expected = "an integer >= 0 or a list of two";
        if (v instanceof List<?> l && l.size() == 2) {
            return new int[] {nonNegative(o, key, l.get(0), expected), nonNegative(o, key, l.get(1), expected)};
        }
        int n = nonNegative(o, key, v, expected);
        return new int[] {n, n};
    }

    private static int nonNegative(Options o, String key, Object v, String expected) {
        Integer n = Options.wholeNumber(v);
        if (n == null || n < 0) {
            throw o.error(key, expected, o.raw(key));
        }
        return n;
    }
}
