package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.ConfigWriter.constraint;
import static io.rnn4j.layers.keras.ConfigWriter.initializer;
import static io.rnn4j.layers.keras.ConfigWriter.regularizer;
import static io.rnn4j.layers.keras.NormRegLayers.checked;
import static io.rnn4j.layers.keras.WeightOptions.held;
import static io.rnn4j.layers.keras.WeightOptions.weight;

import io.rnn4j.layers.BatchNormalization;
import io.rnn4j.layers.KerasConfig;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.LayerNormalization;
import io.rnn4j.layers.RMSNormalization;
import io.rnn4j.layers.UnitNormalization;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Keras's LayerNormalization, RMSNormalization and UnitNormalization configs read into the layers
 * here, and those and BatchNormalization's written back with the keys in the order Keras 3's
 * get_config writes them. Their axis is an int or a list of ints (a built RMSNormalization's is
 * written as the sorted list Keras's build makes of it).
 */
final class NormalizationLayers {
    private NormalizationLayers() {
    }

    static Layer layerNormalization(Options o) {
        LayerNormalization n = new LayerNormalization();
        checked(o, () -> {
            n.axis(axes(o));
            n.epsilon((float) o.number("epsilon", 1e-3));
        });
        n.center(o.bool("center", true));
        n.scale(o.bool("scale", true));
        // rms_scaling (Keras 3.2+, deprecated) drops the mean; only the plain form exists here.
        o.require("rms_scaling", Boolean.FALSE);
        WeightOptions.read(o,
                weight("beta", n::betaInitializer, n::betaRegularizer, n::betaConstraint),
                weight("gamma", n::gammaInitializer, n::gammaRegularizer, n::gammaConstraint));
        return n;
    }

    static Layer rmsNormalization(Options o) {
        RMSNormalization n = new RMSNormalization();
        checked(o, () -> {
            n.axis(axes(o));
            n.epsilon((float) o.number("epsilon", 1e-6));
        });
        return n;
    }

    static Layer unitNormalization(Options o) {
        UnitNormalization n = new UnitNormalization();
        checked(o, () -> n.axis(axes(o)));
        return n;
    }

    static void write(LayerNormalization n, Map<String, Object> c) {
        c.put("axis", axis(n.axis()));
        c.put("epsilon", KerasConfig.decimal(n.epsilon()));
        c.put("center", n.center());
        c.put("scale", n.scale());
        c.put("rms_scaling", false);
        WeightOptions.write(c, n,
                held("beta", n.betaInitializer(), n.betaRegularizer(), n.betaConstraint()),
                held("gamma", n.gammaInitializer(), n.gammaRegularizer(), n.gammaConstraint()));
    }

    /** Keras 3's BatchNormalization.get_config keys. */
    static void write(BatchNormalization b, Map<String, Object> c) {
        c.put("axis", -1);
        c.put("momentum", b.momentum());
        c.put("epsilon", b.epsilon());
        c.put("center", b.center());
        c.put("scale", b.scale());
        initializer(c, b, "beta_initializer", b.betaInitializer());
        initializer(c, b, "gamma_initializer", b.gammaInitializer());
        initializer(c, b, "moving_mean_initializer", b.movingMeanInitializer());
        initializer(c, b, "moving_variance_initializer", b.movingVarianceInitializer());
        regularizer(c, b, "beta_regularizer", b.betaRegularizer());
        regularizer(c, b, "gamma_regularizer", b.gammaRegularizer());
        constraint(c, b, "beta_constraint", b.betaConstraint());
        constraint(c, b, "gamma_constraint", b.gammaConstraint());
        c.put("synchronized", false);
    }

    static void write(RMSNormalization n, Map<String, Object> c) {
        // Keras's build replaces the axis by the sorted list it sized the scale from.
        c.put("axis", n.isBuilt() ? IntStream.of(n.axis()).sorted().boxed().toList() : axis(n.axis()));
        c.put("epsilon", KerasConfig.decimal(n.epsilon()));
    }

    static void write(UnitNormalization n, Map<String, Object> c) {
        c.put("axis", axis(n.axis()));
    }

    /** An int, or a list of ints (Keras's axis as a list or tuple). Absent is -1. */
    private static int[] axes(Options o) {
        return o.raw("axis") instanceof List<?> ? o.dims("axis") : new int[] {o.integer("axis", -1)};
    }

    /** One axis as an int, several as a list, as Keras keeps them. */
    private static Object axis(int[] axes) {
        return axes.length == 1 ? (Object) axes[0] : IntStream.of(axes).boxed().toList();
    }
}
