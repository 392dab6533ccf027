package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.ConvReader.options;
import static io.rnn4j.layers.keras.SpatialLayers.ints;

import io.rnn4j.layers.Cropping2D;
import io.rnn4j.layers.Cropping3D;
import io.rnn4j.layers.KerasConfig;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.SpatialDropout2D;
import io.rnn4j.layers.SpatialDropout3D;
import io.rnn4j.layers.UpSampling2D;
import io.rnn4j.layers.UpSampling3D;
import io.rnn4j.layers.ZeroPadding2D;
import io.rnn4j.layers.ZeroPadding3D;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Keras's ZeroPadding2D/3D, Cropping2D/3D, UpSampling2D/3D and SpatialDropout2D/3D configs, read
 * in Keras 3's and tf.keras 2's forms and written as Keras 3.15.1's get_config writes them
 * (keras/src/layers/reshaping/, regularization/spatial_dropout.py), keys in its order. padding and
 * cropping are read as Keras's constructors take them: an int (both sides of every axis), a list
 * of one int per axis (both sides), or a list of one (before, after) pair per axis, and written as
 * Keras writes them, pairs. size is an int or one per axis. Keys left out take Keras 3's defaults.
 * SpatialDropout's seed (and tf.keras 2's noise_shape) is read and unused, as SpatialDropout1D's.
 */
final class GridShapingLayers {
    private GridShapingLayers() {
    }

    /** Keras's ZeroPadding2D ({@code rank} 2) or ZeroPadding3D (3); one on each side by default. */
    static Layer zeroPadding(Options o, int rank) {
        int[][] p = pairs(o, "padding", rank, 1);
        String format = LayerReader.dataFormat(o);
        return options(() -> rank == 2 ? new ZeroPadding2D(p).named(o.layer()).dataFormat(format)
                : new ZeroPadding3D(p).named(o.layer()).dataFormat(format));
    }

    /** Keras's Cropping2D (nothing cropped by default) or Cropping3D (one off each side by default). */
    static Layer cropping(Options o, int rank) {
        int[][] c = pairs(o, "cropping", rank, rank == 2 ? 0 : 1);
        String format = LayerReader.dataFormat(o);
        return options(() -> rank == 2 ? new Cropping2D(c).named(o.layer()).dataFormat(format)
                : new Cropping3D(c).named(o.layer()).dataFormat(format));
    }

    /** Keras's UpSampling2D (interpolation "nearest" or "bilinear") or UpSampling3D; size 2 by default. */
    static Layer upSampling(Options o, int rank) {
        int[] s = sizes(o, rank);
        String format = LayerReader.dataFormat(o);
        if (rank == 3) {
            return options(() -> new UpSampling3D(s[0], s[1], s[2]).named(o.layer()).dataFormat(format));
        }
        String interpolation = o.string("interpolation", "nearest");
        return options(() -> new UpSampling2D(s[0], s[1]).named(o.layer()).dataFormat(format)
                .interpolation(interpolation));
    }

    /** Keras's SpatialDropout2D or SpatialDropout3D: rate required. */
    static Layer spatialDropout(Options o, int rank) {
        o.ignore("seed", "noise_shape");
        // checked here: the layer's own check would name it by its default name, not the file's
        if (!(o.raw("rate") instanceof Double rate) || !(rate >= 0 && rate <= 1)) {
            throw o.error("rate", o.raw("rate") instanceof Double ? "a number in [0, 1]" : "a number", o.raw("rate"));
        }
        String format = LayerReader.dataFormat(o);
        return options(() -> rank == 2 ? (Layer) new SpatialDropout2D(rate).dataFormat(format)
                : new SpatialDropout3D(rate).dataFormat(format));
    }

    /** Whether {@link #write} writes this layer. */
    static boolean writes(Layer l) {
        return l instanceof ZeroPadding2D || l instanceof ZeroPadding3D || l instanceof Cropping2D
                || l instanceof Cropping3D || l instanceof UpSampling2D || l instanceof UpSampling3D
                || l instanceof SpatialDropout2D || l instanceof SpatialDropout3D;
    }

    /** Writes one of these layers' options into {@code c} (holding name, trainable and dtype), in Keras 3's order. */
    static void write(Layer l, Map<String, Object> c) {
        switch (l) {
            case ZeroPadding2D z -> padding(c, "padding", z.padding(), z.dataFormat());
            case ZeroPadding3D z -> padding(c, "padding", z.padding(), z.dataFormat());
            case Cropping2D k -> padding(c, "cropping", k.cropping(), k.dataFormat());
            case Cropping3D k -> padding(c, "cropping", k.cropping(), k.dataFormat());
            case UpSampling2D u -> {
                c.put("size", ints(u.size()));
                c.put("data_format", u.dataFormat());
                c.put("interpolation", u.interpolation());
            }
            case UpSampling3D u -> {
                c.put("size", ints(u.size()));
                c.put("data_format", u.dataFormat());
            }
            case SpatialDropout2D d -> dropout(c, d.rate(), d.dataFormat());
            case SpatialDropout3D d -> dropout(c, d.rate(), d.dataFormat());
            default -> throw new IllegalArgumentException("not a 2D/3D shaping or spatial dropout layer: " + l);
        }
    }

    private static void padding(Map<String, Object> c, String key, int[][] pairs, String format) {
        List<Object> p = new ArrayList<>();
        for (int[] pair : pairs) {
            p.add(ints(pair));
        }
        c.put(key, p);
        c.put("data_format", format);
    }

    /** BaseSpatialDropout.get_config: rate, seed, name, dtype, then data_format; no trainable. */
    private static void dropout(Map<String, Object> c, float rate, String format) {
        Object name = c.get("name");
        Object dtype = c.get("dtype");
        c.clear();
        c.put("rate", KerasConfig.decimal(rate));
        c.put("seed", null);
        c.put("name", name);
        c.put("dtype", dtype);
        c.put("data_format", format);
    }

    /**
     * An int n (every side of every axis), a list of {@code rank} ints (both sides of each axis) or
     * of {@code rank} pairs, each >= 0; absent, {@code fallback} everywhere.
     */
    private static int[][] pairs(Options o, String key, int rank, int fallback) {
        Object v = o.raw(key);
        String expected = "an integer >= 0, a list of " + rank + " of them, or a list of " + rank + " pairs of them";
        int[][] p = new int[rank][];
        if (v == null) {
            for (int a = 0; a < rank; a++) {
                p[a] = new int[] {fallback, fallback};
            }
            return p;
        }
        if (!(v instanceof List<?> l)) {
            int n = nonNegative(o, key, v, expected);
            for (int a = 0; a < rank; a++) {
                p[a] = new int[] {n, n};
            }
            return p;
        }
        if (l.size() != rank) {
            throw o.error(key, expected, v);
        }
        for (int a = 0; a < rank; a++) {
            if (l.get(a) instanceof List<?> pair) {
                if (pair.size() != 2) {
                    throw o.error(key, expected, v);
                }
                p[a] = new int[] {nonNegative(o, key, pair.get(0), expected), nonNegative(o, key, pair.get(1),
                        expected)};
            } else {
                int n = nonNegative(o, key, l.get(a), expected);
                p[a] = new int[] {n, n};
            }
        }
        return p;
    }

    /** UpSampling's size: an int (every axis) or a list of {@code rank}, each >= 1; absent, 2. */
    private static int[] sizes(Options o, int rank) {
        Object v = o.raw("size");
        String expected = "an integer >= 1 or a list of " + rank + " of them";
        int[] s = new int[rank];
        if (v instanceof List<?> l) {
            if (l.size() != rank) {
                throw o.error("size", expected, v);
            }
            for (int a = 0; a < rank; a++) {
                s[a] = positive(o, l.get(a), expected);
            }
        } else {
            Arrays.fill(s, v == null ? 2 : positive(o, v, expected));
        }
        return s;
    }

    private static int positive(Options o, Object v, String expected) {
        Integer n = Options.wholeNumber(v);
        if (n == null || n < 1) {
            throw o.error("size", expected, o.raw("size"));
        }
        return n;
    }

    private static int nonNegative(Options o, String key, Object v, String expected) {
        Integer n = Options.wholeNumber(v);
        if (n == null || n < 0) {
            throw o.error(key, expected, o.raw(key));
        }
        return n;
    }
}
