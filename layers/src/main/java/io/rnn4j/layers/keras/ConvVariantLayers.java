package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.ConvReader.options;
import static io.rnn4j.layers.keras.ConvReader.positive;
import static io.rnn4j.layers.keras.ConvReader.size;
import static io.rnn4j.layers.keras.WeightOptions.held;
import static io.rnn4j.layers.keras.WeightOptions.weight;

import io.rnn4j.layers.Conv1DTranspose;
import io.rnn4j.layers.DepthwiseConv1D;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.SeparableConv1D;
import java.util.List;
import java.util.Map;

/**
 * Keras's Conv1DTranspose, DepthwiseConv1D and SeparableConv1D configs, read in Keras 3's and
 * tf.keras 2's forms and written as Keras 3's get_config writes them (base_conv_transpose.py,
 * base_depthwise_conv.py, base_separable_conv.py). Sizes are read as an int or a list of one, as
 * Keras's standardize_tuple takes them, and written as lists of one, as Keras writes its tuples.
 * tf.keras 2 also wrote Conv's {@code groups} (always 1 for these layers) and, for SeparableConv1D,
 * Conv's kernel_initializer / kernel_regularizer / kernel_constraint, which that layer never used;
 * those are accepted and have no effect. "channels_first" is refused by name, and so is tf.keras
 * 2's "causal" SeparableConv1D (Keras 3 refuses it too, so such a layer could not be saved back).
 */
final class ConvVariantLayers {
    private ConvVariantLayers() {
    }

    static Layer conv1dTranspose(Options o, boolean keras2) {
        Conv1DTranspose c = new Conv1DTranspose(positive(o, "filters", o.raw("filters")), size(o, "kernel_size", null),
                Components.activation(o, "activation", keras2)).named(o.layer());
        Integer outputPadding = outputPadding(o);
        options(() -> {
            c.strides(size(o, "strides", 1));
            c.dilationRate(size(o, "dilation_rate", 1));
            c.padding(o.string("padding", "valid"));
            c.outputPadding(outputPadding);
        });
        if (outputPadding != null && outputPadding >= c.strides()) {
            // Keras refuses it in __init__; the layer itself checks when it is built.
            throw new KerasFileException(o.where() + ": output_padding must be strictly less than strides (as in "
                    + "Keras), got output_padding=" + outputPadding + " and strides=" + c.strides());
        }
        o.require("groups", 1.0);
        options(() -> c.dataFormat(LayerReader.dataFormat(o)));
        c.useBias(o.bool("use_bias", true));
        WeightOptions.read(o,
                weight("kernel", c::kernelInitializer, c::kernelRegularizer, c::kernelConstraint),
                weight("bias", c::biasInitializer, c::biasRegularizer, c::biasConstraint));
        return c;
    }

    static Layer depthwiseConv1d(Options o, boolean keras2) {
        DepthwiseConv1D c = new DepthwiseConv1D(size(o, "kernel_size", null),
                Components.activation(o, "activation", keras2)).named(o.layer());
        options(() -> {
            c.strides(size(o, "strides", 1));
            c.dilationRate(size(o, "dilation_rate", 1));
            c.padding(o.string("padding", "valid"));
            c.depthMultiplier(o.integer("depth_multiplier", 1));
        });
        o.require("groups", 1.0);
        options(() -> c.dataFormat(LayerReader.dataFormat(o)));
        c.useBias(o.bool("use_bias", true));
        WeightOptions.read(o,
                weight("depthwise", c::depthwiseInitializer, c::depthwiseRegularizer, c::depthwiseConstraint),
                weight("bias", c::biasInitializer, c::biasRegularizer, c::biasConstraint));
        return c;
    }

    static Layer separableConv1d(Options o, boolean keras2) {
        SeparableConv1D c = new SeparableConv1D(positive(o, "filters", o.raw("filters")), size(o, "kernel_size", null),
                Components.activation(o, "activation", keras2)).named(o.layer());
        options(() -> {
            c.strides(size(o, "strides", 1));
            c.dilationRate(size(o, "dilation_rate", 1));
            c.padding(o.string("padding", "valid"));
            c.depthMultiplier(o.integer("depth_multiplier", 1));
        });
        o.require("groups", 1.0);
        o.ignore("kernel_initializer", "kernel_regularizer", "kernel_constraint");
        options(() -> c.dataFormat(LayerReader.dataFormat(o)));
        c.useBias(o.bool("use_bias", true));
        WeightOptions.read(o,
                weight("depthwise", c::depthwiseInitializer, c::depthwiseRegularizer, c::depthwiseConstraint),
                weight("pointwise", c::pointwiseInitializer, c::pointwiseRegularizer, c::pointwiseConstraint),
                weight("bias", c::biasInitializer, c::biasRegularizer, c::biasConstraint));
        return c;
    }

    /** Keras's output_padding: null (None), an int or a list of one int, >= 0 (standardize_tuple's allow_zero). */
    private static Integer outputPadding(Options o) {
        Object v = o.raw("output_padding");
        if (v == null) {
            return null;
        }
        Object one = v instanceof List<?> l && l.size() == 1 ? l.get(0) : v;
        Integer n = Options.wholeNumber(one);
        if (n == null || n < 0) {
            throw o.error("output_padding", "null, an integer >= 0 or a list of one", v);
        }
        return n;
    }

    /**
     * Writes the options of one of these layers into {@code c} (which holds name, trainable and
     * dtype already), in Keras 3's key order.
     *
     * @param activation the activation as the writer names it (it tracks which hard_sigmoid is used)
     */
    static void write(Layer l, Map<String, Object> c, String activation) {
        switch (l) {
            case Conv1DTranspose k -> {
                c.put("filters", k.filters());
                window(c, k.kernelSize(), k.strides(), k.padding());
                c.put("output_padding", k.outputPadding() == null ? null : List.of(k.outputPadding()));
                layout(c, k.dataFormat(), k.dilationRate(), activation, k.useBias());
                WeightOptions.writeWithActivity(c, k,
                        held("kernel", k.kernelInitializer(), k.kernelRegularizer(), k.kernelConstraint()),
                        held("bias", k.biasInitializer(), k.biasRegularizer(), k.biasConstraint()));
            }
            case DepthwiseConv1D k -> {
                c.put("depth_multiplier", k.depthMultiplier());
                window(c, k.kernelSize(), k.strides(), k.padding());
                layout(c, k.dataFormat(), k.dilationRate(), activation, k.useBias());
                WeightOptions.writeWithActivity(c, k,
                        held("depthwise", k.depthwiseInitializer(), k.depthwiseRegularizer(), k.depthwiseConstraint()),
                        held("bias", k.biasInitializer(), k.biasRegularizer(), k.biasConstraint()));
            }
            case SeparableConv1D k -> {
                c.put("depth_multiplier", k.depthMultiplier());
                c.put("filters", k.filters());
                window(c, k.kernelSize(), k.strides(), k.padding());
                layout(c, k.dataFormat(), k.dilationRate(), activation, k.useBias());
                WeightOptions.writeWithActivity(c, k,
                        held("depthwise", k.depthwiseInitializer(), k.depthwiseRegularizer(), k.depthwiseConstraint()),
                        held("pointwise", k.pointwiseInitializer(), k.pointwiseRegularizer(), k.pointwiseConstraint()),
                        held("bias", k.biasInitializer(), k.biasRegularizer(), k.biasConstraint()));
            }
            default -> throw new IllegalArgumentException("not a Conv1DTranspose, DepthwiseConv1D or SeparableConv1D: "
                    + l);
        }
    }

    private static void window(Map<String, Object> c, int kernelSize, int strides, String padding) {
        c.put("kernel_size", List.of(kernelSize));
        c.put("strides", List.of(strides));
        c.put("padding", padding);
    }

    /** data_format, dilation_rate, activation and use_bias, which follow padding (or output_padding) in every one. */
    private static void layout(Map<String, Object> c, String dataFormat, int dilationRate, String activation,
            boolean useBias) {
        c.put("data_format", dataFormat);
        c.put("dilation_rate", List.of(dilationRate));
        c.put("activation", activation);
        c.put("use_bias", useBias);
    }
}
