package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.WeightOptions.weight;

import io.rnn4j.layers.ELU;
import io.rnn4j.layers.KerasConfig;
import io.rnn4j.layers.LeakyReLU;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.PReLU;
import io.rnn4j.layers.ReLU;
import io.rnn4j.layers.Softmax;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Keras configs of the activation layers ({@code keras/src/layers/activations/}): ReLU, LeakyReLU,
 * PReLU, ELU and Softmax, in Keras 3's and tf.keras 2's forms (tf.keras 2's LeakyReLU wrote its
 * slope as {@code alpha}), read for {@link LayerReader} and written for {@link ConfigWriter}. A value
 * the layer refuses is reported as the file's fault.
 */
final class ActivationLayers {
    private ActivationLayers() {
    }

    static Layer relu(Options o) {
        for (String key : List.of("negative_slope", "threshold")) {
            if (o.isNull(key)) {  // Keras's ReLU refuses None there
                throw o.error(key, "a number (Keras refuses None)", null);
            }
        }
        Double max = o.raw("max_value") == null ? null : o.number("max_value", 0.0);
        double slope = o.number("negative_slope", 0.0);
        double threshold = o.number("threshold", 0.0);
        return checked(o, () -> new ReLU(max, slope, threshold));
    }

    /**
     * Keras 3 writes negative_slope; tf.keras 2 wrote alpha, which Keras 3 still takes (deprecated)
     * and prefers when both are given.
     */
    static Layer leakyRelu(Options o) {
        o.ignore("negative_slope");
        if (o.isNull("alpha")) {  // Keras takes any alpha key given, and refuses a None slope
            throw o.error("alpha", "a number (Keras refuses None)", null);
        }
        double slope = o.raw("alpha") != null ? o.number("alpha", 0.3) : o.number("negative_slope", 0.3);
        return checked(o, () -> new LeakyReLU(slope));
    }

    /** Keras 3's get_config leaves alpha out (so its files load with 1); tf.keras 2 wrote it. */
    static Layer elu(Options o) {
        double alpha = o.number("alpha", 1.0);
        return checked(o, () -> new ELU(alpha));
    }

    /** axis: an integer or a list of them (Keras takes both). */
    static Layer softmax(Options o) {
        if (o.isNull("axis")) {  // Keras's axis=None: over the whole tensor, batch axis included
            throw o.error("axis", "an integer or a list of integers (rnn4j does not take Keras's None, a softmax "
                    + "over the whole tensor, batch axis included)", null);
        }
        Object v = o.raw("axis");
        int[] axes;
        if (v == null) {
            axes = new int[] {-1};
        } else if (Options.wholeNumber(v) != null) {
            axes = new int[] {Options.wholeNumber(v)};
        } else if (v instanceof List<?> l && !l.isEmpty() && l.stream().allMatch(e -> Options.wholeNumber(e) != null)) {
            axes = l.stream().mapToInt(Options::wholeNumber).toArray();
        } else {
            throw o.error("axis", "an integer or a list of integers", v);
        }
        return checked(o, () -> new Softmax(axes));
    }

    static Layer prelu(Options o) {
        PReLU p = new PReLU();
        WeightOptions.read(o,
                weight("alpha", p::alphaInitializer, p::alphaRegularizer, p::alphaConstraint));
        Object v = o.raw("shared_axes");
        if (v != null) {
            List<?> l = v instanceof List<?> list ? list : List.of(v);  // Keras wraps a single axis in a list
            int[] axes = new int[l.size()];
            for (int i = 0; i < axes.length; i++) {
                Integer n = Options.wholeNumber(l.get(i));
                if (n == null) {
                    throw o.error("shared_axes", "an integer, a list of integers or null", v);
                }
                axes[i] = n;
            }
            p.sharedAxes(axes);
        }
        return p;
    }

    /** The options of the weightless ones as Keras 3's get_config writes them (PReLU's are written by ConfigWriter). */
    static void write(Layer l, Map<String, Object> c) {
        switch (l) {
            case ReLU r -> {
                c.put("max_value", r.maxValue() == null ? null : KerasConfig.decimal(r.maxValue()));
                c.put("negative_slope", KerasConfig.decimal(r.negativeSlope()));
                c.put("threshold", KerasConfig.decimal(r.threshold()));
            }
            case LeakyReLU r -> c.put("negative_slope", KerasConfig.decimal(r.negativeSlope()));
            // Keras 3's ELU.get_config has no alpha (a Keras bug: its files reload with 1); written so
            // that the value comes back, here and in Keras, whose ELU(**config) takes it.
            case ELU e -> c.put("alpha", KerasConfig.decimal(e.alpha()));
            case Softmax s -> {
                int[] a = s.axes();
                c.put("axis", a.length == 1 ? (Object) a[0] : ints(a));
            }
            default -> throw new IllegalArgumentException("not an activation layer: " + l);
        }
    }

    static List<Object> ints(int[] d) {
        List<Object> out = new ArrayList<>();
        for (int x : d) {
            out.add(x);
        }
        return out;
    }

    private static Layer checked(Options o, Supplier<Layer> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw new KerasFileException(o.where() + ": " + e.getMessage(), e);
        }
    }
}
