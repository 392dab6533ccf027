package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.initializers.Initializers;
import java.util.random.RandomGenerator;

/**
 * Keras's AdditiveAttention (Bahdanau-style): scores {@code Σ_d scale_d · tanh(query_i + key_j)_d}
 * with use_scale (the default), else the plain sum. Weight: scale (dim), glorot_uniform. Masks,
 * dropout and the extra options are as {@link AttentionBase} says.
 */
public final class AdditiveAttention extends AttentionBase<AdditiveAttention> {
    private boolean useScale = true;
    private Weight scale;

    public AdditiveAttention() {
        super("additive_attention");
    }

    /** Learns a scale per feature (Keras's use_scale, default true). */
    public AdditiveAttention useScale(boolean on) {
        requireNotBuilt("use_scale");
        this.useScale = on;
        return this;
    }

    public boolean useScale() {
        return useScale;
    }

    @Override
    void createWeights(int dim, RandomGenerator random) {
        if (useScale) {
            scale = addWeight("scale", Shape.of(dim), Initializers.glorotUniform(), random, null, null, true);
        }
    }

    @Override
    Variable scores(Variable query, Variable key) {
        Variable t = Ops.unary(UnaryOp.TANH, pairwiseSum(query, key));
        return Ops.sum(scale == null ? t : Ops.mul(scale.variable(), t), -1, false);
    }

    /** {@code query_i + key_j} for every pair: (B, Tq, 1, dim) + (B, 1, Tv, dim) → (B, Tq, Tv, dim). */
    static Variable pairwiseSum(Variable query, Variable key) {
        Variable q = Ops.reshape(query, query.dim(0), query.dim(1), 1, query.dim(2));
        Variable k = Ops.reshape(key, key.dim(0), 1, key.dim(1), key.dim(2));
        return Ops.add(q, k);
    }
}
