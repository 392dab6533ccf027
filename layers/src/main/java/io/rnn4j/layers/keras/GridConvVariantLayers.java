package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.ConvReader.options;
import static io.rnn4j.layers.keras.SpatialLayers.ints;
import static io.rnn4j.layers.keras.SpatialLayers.sizes;
import static io.rnn4j.layers.keras.WeightOptions.held;
import static io.rnn4j.layers.keras.WeightOptions.weight;

import io.rnn4j.layers.AdaptiveAveragePooling2D;
import io.rnn4j.layers.AdaptiveAveragePooling3D;
import io.rnn4j.layers.AdaptiveGridPooling;
import io.rnn4j.layers.AdaptiveMaxPooling2D;
import io.rnn4j.layers.AdaptiveMaxPooling3D;
import io.rnn4j.layers.Conv2DTranspose;
import io.rnn4j.layers.Conv3DTranspose;
import io.rnn4j.layers.ConvTransposeBase;
import io.rnn4j.layers.DepthwiseConv2D;
import io.rnn4j.layers.DepthwiseConv2DBase;
import io.rnn4j.layers.GridConvBase;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.SeparableConv2D;
import java.util.List;
import java.util.Map;

/**
 * Keras's Conv2DTranspose, Conv3DTranspose, DepthwiseConv2D, SeparableConv2D and
 * AdaptiveAverage/MaxPooling2D/3D configs, read in Keras 3's and tf.keras 2's forms and written as
 * Keras 3's get_config writes them (base_conv_transpose.py, base_depthwise_conv.py,
 * base_separable_conv.py, base_adaptive_pooling.py), keys in its order. Sizes are read as an int
 * (every axis) or a list of one per axis, as Keras's standardize_tuple takes them, and written as
 * lists, as Keras writes its tuples. tf.keras 2 also wrote Conv's {@code groups} (always 1 for
 * these layers) and, for SeparableConv2D, Conv's kernel_initializer / kernel_regularizer /
 * kernel_constraint, which that layer never used; those are accepted and have no effect.
 */
final class GridConvVariantLayers {
    private GridConvVariantLayers() {
    }

    /** Keras's Conv2DTranspose ({@code rank} 2) or Conv3DTranspose (3). */
    static Layer convTranspose(Options o, boolean keras2, int rank) {
        int filters = ConvReader.positive(o, "filters", o.raw("filters"));
        int[] kernel = sizes(o, "kernel_size", rank, null);
        var activation = Components.activation(o, "activation", keras2);
        ConvTransposeBase<?> c = options(() -> rank == 2 ? new Conv2DTranspose(filters, kernel, activation)
                : new Conv3DTranspose(filters, kernel, activation));
        c.named(o.layer());
        int[] outputPadding = outputPadding(o, rank);
        options(() -> {
            SpatialLayers.window(o, c, rank);
            c.outputPadding(outputPadding);
            c.dataFormat(LayerReader.dataFormat(o));
        });
        if (outputPadding != null) {
            int[] p = c.outputPadding();
            int[] s = c.strides();
            for (int a = 0; a < rank; a++) {
                if (p[a] >= s[a]) {
                    // Keras refuses it in __init__; the layer itself checks when it is built.
                    throw new KerasFileException(o.where() + ": output_padding must be strictly less than strides "
                            + "(as in Keras), got output_padding=" + o.raw("output_padding") + " and strides="
                            + ints(s));
                }
            }
        }
        o.require("groups", 1.0);
        c.useBias(o.bool("use_bias", true));
        WeightOptions.read(o,
                weight("kernel", c::kernelInitializer, c::kernelRegularizer, c::kernelConstraint),
                weight("bias", c::biasInitializer, c::biasRegularizer, c::biasConstraint));
        return c;
    }

    static Layer depthwiseConv2d(Options o, boolean keras2) {
        int[] kernel = sizes(o, "kernel_size", 2, null);
        var activation = Components.activation(o, "activation", keras2);
        DepthwiseConv2D c = options(() -> new DepthwiseConv2D(kernel, activation)).named(o.layer());
        depthwiseOptions(o, c);
        c.useBias(o.bool("use_bias", true));
        WeightOptions.read(o,
                weight("depthwise", c::depthwiseInitializer, c::depthwiseRegularizer, c::depthwiseConstraint),
                weight("bias", c::biasInitializer, c::biasRegularizer, c::biasConstraint));
        return c;
    }

    static Layer separableConv2d(Options o, boolean keras2) {
        int filters = ConvReader.positive(o, "filters", o.raw("filters"));
        int[] kernel = sizes(o, "kernel_size", 2, null);
        var activation = Components.activation(o, "activation", keras2);
        SeparableConv2D c = options(() -> new SeparableConv2D(filters, kernel, activation)).named(o.layer());
        depthwiseOptions(o, c);
        o.ignore("kernel_initializer", "kernel_regularizer", "kernel_constraint");
        c.useBias(o.bool("use_bias", true));
        WeightOptions.read(o,
                weight("depthwise", c::depthwiseInitializer, c::depthwiseRegularizer, c::depthwiseConstraint),
                weight("pointwise", c::pointwiseInitializer, c::pointwiseRegularizer, c::pointwiseConstraint),
                weight("bias", c::biasInitializer, c::biasRegularizer, c::biasConstraint));
        return c;
    }

    /** strides, dilation_rate, padding, depth_multiplier, data_format and groups (1), as both depthwise layers take them. */
    private static void depthwiseOptions(Options o, DepthwiseConv2DBase<?> c) {
        options(() -> {
            SpatialLayers.window(o, c, 2);
            c.depthMultiplier(o.integer("depth_multiplier", 1));
            c.dataFormat(LayerReader.dataFormat(o));
        });
        o.require("groups", 1.0);
    }

    /** Keras's AdaptiveAverage/MaxPooling2D/3D: output_size (an int or a list of rank) and data_format. */
    static Layer adaptivePooling(Options o, int rank, boolean max) {
        int[] out = sizes(o, "output_size", rank, null);
        String format = LayerReader.dataFormat(o);
        AdaptiveGridPooling<?> p = options(() -> switch (rank * (max ? 1 : -1)) {
            case 2 -> new AdaptiveMaxPooling2D(out);
            case 3 -> new AdaptiveMaxPooling3D(out);
            case -2 -> new AdaptiveAveragePooling2D(out);
            default -> new AdaptiveAveragePooling3D(out);
        });
        options(() -> p.dataFormat(format));
        return p;
    }

    /** Keras's output_padding: null (None), an int or a list of rank ints, >= 0 (standardize_tuple's allow_zero). */
    private static int[] outputPadding(Options o, int rank) {
        Object v = o.raw("output_padding");
        if (v == null) {
            return null;
        }
        List<?> l = v instanceof List<?> list ? list : List.of(v);
        if (l.size() != 1 && l.size() != rank) {
            throw o.error("output_padding", "null, an integer >= 0 or a list of " + rank, v);
        }
        int[] p = new int[l.size()];
        for (int a = 0; a < p.length; a++) {
            Integer n = Options.wholeNumber(l.get(a));
            if (n == null || n < 0) {
                throw o.error("output_padding", "null, an integer >= 0 or a list of " + rank, v);
            }
            p[a] = n;
        }
        return p;
    }

    /**
     * Writes the options of one of these layers into {@code c} (which holds name, trainable and
     * dtype already), in Keras 3's key order.
     *
     * @param activation the activation as the writer names it (it tracks which hard_sigmoid is used)
     */
    static void write(Layer l, Map<String, Object> c, String activation) {
        switch (l) {
            case ConvTransposeBase<?> k -> {
                c.put("filters", k.filters());
                window(c, k);
                c.put("output_padding", k.outputPadding() == null ? null : ints(k.outputPadding()));
                layout(c, k, activation);
                WeightOptions.writeWithActivity(c, k,
                        held("kernel", k.kernelInitializer(), k.kernelRegularizer(), k.kernelConstraint()),
                        held("bias", k.biasInitializer(), k.biasRegularizer(), k.biasConstraint()));
            }
            case DepthwiseConv2D k -> {
                c.put("depth_multiplier", k.depthMultiplier());
                window(c, k);
                layout(c, k, activation);
                WeightOptions.writeWithActivity(c, k,
                        held("depthwise", k.depthwiseInitializer(), k.depthwiseRegularizer(), k.depthwiseConstraint()),
                        held("bias", k.biasInitializer(), k.biasRegularizer(), k.biasConstraint()));
            }
            case SeparableConv2D k -> {
                c.put("depth_multiplier", k.depthMultiplier());
                c.put("filters", k.filters());
                window(c, k);
                layout(c, k, activation);
                WeightOptions.writeWithActivity(c, k,
                        held("depthwise", k.depthwiseInitializer(), k.depthwiseRegularizer(), k.depthwiseConstraint()),
                        held("pointwise", k.pointwiseInitializer(), k.pointwiseRegularizer(), k.pointwiseConstraint()),
                        held("bias", k.biasInitializer(), k.biasRegularizer(), k.biasConstraint()));
            }
            case AdaptiveGridPooling<?> p -> {
                c.put("output_size", ints(p.outputSize()));
                c.put("data_format", p.dataFormat());
            }
            default -> throw new IllegalArgumentException("not a 2D/3D transposed, depthwise or separable convolution "
                    + "or adaptive pooling: " + l);
        }
    }

    private static void window(Map<String, Object> c, GridConvBase<?> k) {
        c.put("kernel_size", ints(k.kernelSize()));
        c.put("strides", ints(k.strides()));
        c.put("padding", k.padding());
    }

    /** data_format, dilation_rate, activation and use_bias, which follow padding (or output_padding) in every one. */
    private static void layout(Map<String, Object> c, GridConvBase<?> k, String activation) {
        c.put("data_format", k.dataFormat());
        c.put("dilation_rate", ints(k.dilationRate()));
        c.put("activation", activation);
        c.put("use_bias", k.useBias());
    }
}
