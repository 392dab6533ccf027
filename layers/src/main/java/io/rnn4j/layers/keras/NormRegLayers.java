package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.WeightOptions.held;
import static io.rnn4j.layers.keras.WeightOptions.weight;

import io.rnn4j.layers.ActivityRegularization;
import io.rnn4j.layers.GroupNormalization;
import io.rnn4j.layers.KerasConfig;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.ReversibleEmbedding;
import io.rnn4j.layers.SpectralNormalization;
import io.rnn4j.layers.regularizers.Regularizer;
import java.util.Map;

/**
 * Keras 3's GroupNormalization, SpectralNormalization, ActivityRegularization and ReversibleEmbedding
 * configs read into the layers here and written back with the keys in the order their get_config writes them.
 */
final class NormRegLayers {
    private NormRegLayers() {
    }

    static Layer groupNormalization(Options o) {
        GroupNormalization n = new GroupNormalization();
        checked(o, () -> {
            n.groups(o.integer("groups", 32));
            // Keras's build reads input_shape[axis]: one int (a list fails there).
            n.axis(o.integer("axis", -1));
            n.epsilon(o.number("epsilon", 1e-3));
        });
        n.center(o.bool("center", true));
        n.scale(o.bool("scale", true));
        WeightOptions.read(o,
                weight("beta", n::betaInitializer, n::betaRegularizer, n::betaConstraint),
                weight("gamma", n::gammaInitializer, n::gammaRegularizer, n::gammaConstraint));
        return n;
    }

    /** Keras's SpectralNormalization(layer, power_iterations); {@code inner} is its "layer" config read. */
    static Layer spectralNormalization(Options o, Layer inner) {
        SpectralNormalization s = new SpectralNormalization(inner);
        checked(o, () -> s.powerIterations(o.integer("power_iterations", 1)));
        return s;
    }

    static Layer activityRegularization(Options o) {
        return made(o, () -> new ActivityRegularization(o.number("l1", 0.0), o.number("l2", 0.0)));
    }

    /** Keras 3's ReversibleEmbedding: Embedding's options, tie_weights, reverse_dtype (float32 only), logit_soft_cap. */
    static Layer reversibleEmbedding(Options o) {
        ReversibleEmbedding e = made(o, () -> new ReversibleEmbedding(o.integer("input_dim"), o.integer("output_dim")));
        WeightOptions.read(o,
                weight("embeddings", e::embeddingsInitializer, e::embeddingsRegularizer, e::embeddingsConstraint));
        e.maskZero(o.bool("mask_zero", false));
        e.tieWeights(o.bool("tie_weights", true));
        // the reverse matmul's dtype: rnn4j computes in float32 only
        LayerReader.dtype(o, "reverse_dtype");
        checked(o, () -> e.logitSoftCap(o.raw("logit_soft_cap") == null ? null : o.number("logit_soft_cap", 0)));
        o.requireNull("quantization_config");
        o.requireNull("lora_rank");
        o.ignore("lora_alpha");
        return e;
    }

    static void write(GroupNormalization n, Map<String, Object> c) {
        c.put("groups", n.groups());
        c.put("axis", n.axis());
        c.put("epsilon", KerasConfig.decimal(n.epsilon()));
        c.put("center", n.center());
        c.put("scale", n.scale());
        WeightOptions.write(c, n,
                held("beta", n.betaInitializer(), n.betaRegularizer(), n.betaConstraint()),
                held("gamma", n.gammaInitializer(), n.gammaRegularizer(), n.gammaConstraint()));
    }

    /** {@code layer} is the wrapped layer's entry as the writer makes it (with its build_config). */
    static void write(SpectralNormalization s, Map<String, Object> c, Map<String, Object> layer) {
        c.put("layer", layer);
        c.put("power_iterations", s.powerIterations());
    }

    /** Keras 3.15.1's ReversibleEmbedding.get_config keys, in its order. */
    static void write(ReversibleEmbedding e, Map<String, Object> c) {
        c.put("input_dim", e.inputDim());
        c.put("output_dim", e.outputDim());
        WeightOptions.writeWithActivity(c, e,
                held("embeddings", e.embeddingsInitializer(), e.embeddingsRegularizer(), e.embeddingsConstraint()));
        c.put("mask_zero", e.maskZero());
        c.put("quantization_config", null);
        c.put("tie_weights", e.tieWeights());
        c.put("reverse_dtype", null);
        c.put("logit_soft_cap", e.logitSoftCap() == null ? null : KerasConfig.decimal(e.logitSoftCap()));
    }

    static void write(ActivityRegularization a, Map<String, Object> c) {
        c.put("l1", a.l1());
        c.put("l2", a.l2());
    }

    /** The layer's checks of its options, reported as the file's fault naming the layer. */
    static void checked(Options o, Runnable setters) {
        made(o, () -> {
            setters.run();
            return null;
        });
    }

    private static <T> T made(Options o, java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw new KerasFileException(o.where() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Gives {@code layer} Keras's activity_regularizer {@code r} read from its config (Layer.__init__;
     * applied as Layer.__call__ does), unless null; a layer that takes none is refused as a file error.
     */
    static void activityRegularizer(Options o, Layer layer, Regularizer r) {
        if (r != null) {
            try {
                layer.activityRegularizer(r);
            } catch (IllegalArgumentException e) {
                throw new KerasFileException("unsupported option activity_regularizer in " + o.where() + ": "
                        + e.getMessage(), e);
            }
        }
    }
}
