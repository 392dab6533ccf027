package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.initializers.Initializers;
import java.util.random.RandomGenerator;

/**
 * Keras's Attention (Luong-style): with score_mode "dot" (the default) the scores are
 * {@code query · keyᵀ}, times the scalar weight {@code scale} with use_scale; with "concat" they
 * are {@code concat_score_weight · Σ tanh(scale · (query_i + key_j))}. Weights, in order: scale
 * (use_scale, a scalar starting at 1), concat_score_weight (concat, a scalar starting at 1).
 * Masks, dropout and the extra options are as {@link AttentionBase} says.
 *
 * <pre>{@code
 * var context = new Attention().apply(decoderOutputs, encoderOutputs);   // [query, value]
 * }</pre>
 */
public final class Attention extends AttentionBase<Attention> {
    /** Keras's score_mode. */
    public enum ScoreMode { DOT, CONCAT }

    private boolean useScale;
    private ScoreMode scoreMode = ScoreMode.DOT;
    private Weight scale;
    private Weight concatScoreWeight;

    public Attention() {
        super("attention");
    }

    /** Learns a scalar scale of the scores (Keras's use_scale, default false). */
    public Attention useScale(boolean on) {
        requireNotBuilt("use_scale");
        this.useScale = on;
        return this;
    }

    public Attention scoreMode(ScoreMode mode) {
        requireNotBuilt("score_mode");
        this.scoreMode = java.util.Objects.requireNonNull(mode, "score_mode");
        return this;
    }

    public boolean useScale() {
        return useScale;
    }

    public ScoreMode scoreMode() {
        return scoreMode;
    }

    @Override
    void createWeights(int dim, RandomGenerator random) {
        if (useScale) {
            scale = addWeight("scale", Shape.of(), Initializers.ones(), random, null, null, true);
        }
        if (scoreMode == ScoreMode.CONCAT) {
            concatScoreWeight = addWeight("concat_score_weight", Shape.of(), Initializers.ones(), random, null, null,
                    true);
        }
    }

    @Override
    Variable scores(Variable query, Variable key) {
        if (scoreMode == ScoreMode.DOT) {
            Variable s = Ops.batchMatmul(query, key, false, true);
            return scale == null ? s : Ops.mul(s, scale.variable());
        }
        Variable sum = AdditiveAttention.pairwiseSum(query, key);
        if (scale != null) {
            sum = Ops.mul(scale.variable(), sum);
        }
        return Ops.mul(concatScoreWeight.variable(), Ops.sum(Ops.unary(UnaryOp.TANH, sum), -1, false));
    }
}
