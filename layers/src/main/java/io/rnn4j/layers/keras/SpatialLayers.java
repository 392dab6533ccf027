package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.ConvReader.options;
import static io.rnn4j.layers.keras.WeightOptions.held;
import static io.rnn4j.layers.keras.WeightOptions.weight;

import io.rnn4j.layers.Activation;
import io.rnn4j.layers.AveragePooling2D;
import io.rnn4j.layers.AveragePooling3D;
import io.rnn4j.layers.Conv2D;
import io.rnn4j.layers.Conv3D;
import io.rnn4j.layers.ConvBase;
import io.rnn4j.layers.GlobalAveragePooling2D;
import io.rnn4j.layers.GlobalAveragePooling3D;
import io.rnn4j.layers.GlobalMaxPooling2D;
import io.rnn4j.layers.GlobalMaxPooling3D;
import io.rnn4j.layers.GlobalPoolingBase;
import io.rnn4j.layers.GridConvBase;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.MaxPooling2D;
import io.rnn4j.layers.MaxPooling3D;
import io.rnn4j.layers.PoolingBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Keras's Conv2D, Conv3D, MaxPooling2D/3D, AveragePooling2D/3D and GlobalMax/AveragePooling2D/3D
 * configs, read in Keras 3's and tf.keras 2's forms and written as Keras 3's get_config writes
 * them (base_conv.py, base_pooling.py, base_global_pooling.py), keys in its order. Sizes are read
 * as an int (every axis) or a list of one per axis, as Keras's standardize_tuple takes them, and
 * written as lists, as Keras writes its tuples. Keys left out take Keras 3's defaults; LoRA
 * (lora_rank) is refused by name, as for Conv1D.
 */
final class SpatialLayers {
    private SpatialLayers() {
    }

    /** Keras's Conv2D ({@code rank} 2) or Conv3D (3). */
    static Layer conv(Options o, boolean keras2, int rank) {
        int filters = ConvReader.positive(o, "filters", o.raw("filters"));
        int[] kernel = sizes(o, "kernel_size", rank, null);
        var activation = Components.activation(o, "activation", keras2);
        ConvBase<?> c = options(() -> rank == 2 ? new Conv2D(filters, kernel, activation)
                : new Conv3D(filters, kernel, activation));
        c.named(o.layer());
        options(() -> {
            window(o, c, rank);
            c.groups(o.integer("groups", 1));
            c.dataFormat(LayerReader.dataFormat(o));
        });
        c.useBias(o.bool("use_bias", true));
        WeightOptions.read(o,
                weight("kernel", c::kernelInitializer, c::kernelRegularizer, c::kernelConstraint),
                weight("bias", c::biasInitializer, c::biasRegularizer, c::biasConstraint));
        o.requireNull("lora_rank");
        o.ignore("lora_alpha");
        return c;
    }

    /**
     * Keras's MaxPooling2D/3D ({@code max}; pool_size 2 by default) or AveragePooling2D/3D (no
     * default pool_size in Keras 3; tf.keras 2 always wrote it); strides absent or null are
     * pool_size.
     */
    static Layer pooling(Options o, int rank, boolean max) {
        int[] pool = sizes(o, "pool_size", rank, max ? 2 : null);
        int[] strides = o.raw("strides") == null ? null : sizes(o, "strides", rank, null);
        PoolingBase<?> p = options(() -> switch (rank * (max ? 1 : -1)) {
            case 2 -> new MaxPooling2D(pool, strides == null ? pool : strides);
            case 3 -> new MaxPooling3D(pool, strides == null ? pool : strides);
            case -2 -> new AveragePooling2D(pool, strides == null ? pool : strides);
            default -> new AveragePooling3D(pool, strides == null ? pool : strides);
        });
        p.named(o.layer());
        options(() -> {
            p.padding(o.string("padding", "valid"));
            p.dataFormat(LayerReader.dataFormat(o));
        });
        return p;
    }

    /** Keras's GlobalMax/AveragePooling2D/3D. */
    static Layer globalPooling(Options o, int rank, boolean max) {
        String format = LayerReader.dataFormat(o);
        boolean keepdims = o.bool("keepdims", false);
        return options(() -> switch (rank * (max ? 1 : -1)) {
            case 2 -> new GlobalMaxPooling2D(format, keepdims);
            case 3 -> new GlobalMaxPooling3D(format, keepdims);
            case -2 -> new GlobalAveragePooling2D(format, keepdims);
            default -> new GlobalAveragePooling3D(format, keepdims);
        });
    }

    /**
     * Whether {@link #write} writes this layer (a 2D/3D convolution or pooling, or one of
     * {@link GridShapingLayers}'s, which it hands on).
     */
    static boolean writes(Layer l) {
        return l instanceof ConvBase<?> || l instanceof PoolingBase<?> || l instanceof GlobalPoolingBase
                || GridShapingLayers.writes(l);
    }

    /**
     * Writes one of these layers' options into {@code c} (which holds name, trainable and dtype
     * already), in Keras 3's key order.
     *
     * @param activation how the writer names an activation (it tracks which hard_sigmoid is used)
     */
    static void write(Layer l, Map<String, Object> c, Function<Activation, String> activation) {
        switch (l) {
            case ConvBase<?> k -> {
                c.put("filters", k.filters());
                c.put("kernel_size", ints(k.kernelSize()));
                c.put("strides", ints(k.strides()));
                c.put("padding", k.padding());
                c.put("data_format", k.dataFormat());
                c.put("dilation_rate", ints(k.dilationRate()));
                c.put("groups", k.groups());
                c.put("activation", activation.apply(k.activation()));
                c.put("use_bias", k.useBias());
                WeightOptions.writeWithActivity(c, k,
                        held("kernel", k.kernelInitializer(), k.kernelRegularizer(), k.kernelConstraint()),
                        held("bias", k.biasInitializer(), k.biasRegularizer(), k.biasConstraint()));
            }
            case PoolingBase<?> p -> {
                c.put("pool_size", ints(p.poolSize()));
                c.put("padding", p.padding());
                c.put("strides", ints(p.strides()));
                c.put("data_format", p.dataFormat());
            }
            case GlobalPoolingBase g -> {
                c.put("data_format", g.dataFormat());
                c.put("keepdims", g.keepdims());
            }
            default -> GridShapingLayers.write(l, c);
        }
    }

    /**
     * Sizes given as an int (every axis) or a list of {@code rank} ints, each >= 1; absent or
     * null, {@code fallback} on every axis (null: required).
     */
    static int[] sizes(Options o, String key, int rank, Integer fallback) {
        Object v = o.raw(key);
        if (v == null && fallback != null) {
            return new int[] {fallback};
        }
        if (v instanceof List<?> l && l.size() == rank) {
            int[] out = new int[rank];
            for (int a = 0; a < rank; a++) {
                out[a] = positive(o, key, l.get(a), rank);
            }
            return out;
        }
        return new int[] {positive(o, key, v, rank)};
    }

    private static int positive(Options o, String key, Object v, int rank) {
        Integer n = Options.wholeNumber(v);
        if (n == null || n < 1) {
            throw o.error(key, "an integer >= 1 or a list of " + rank + " of them", o.raw(key));
        }
        return n;
    }

    /** A 2D/3D convolution's strides and dilation_rate (an int or a list of rank, 1 by default) and padding. */
    static void window(Options o, GridConvBase<?> c, int rank) {
        c.strides(sizes(o, "strides", rank, 1));
        c.dilationRate(sizes(o, "dilation_rate", rank, 1));
        c.padding(o.string("padding", "valid"));
    }

    /** Sizes as Keras writes its tuples: a list. */
    static List<Object> ints(int[] d) {
        List<Object> l = new ArrayList<>();
        for (int x : d) {
            l.add(x);
        }
        return l;
    }
}
