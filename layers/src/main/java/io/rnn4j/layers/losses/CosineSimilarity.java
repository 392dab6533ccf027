package io.rnn4j.layers.losses;

import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.KerasConfig;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.Optional;

/**
 * Keras 3's cosine_similarity loss over the last axis (axis=-1, its default): {@code −Σ n(y)·n(p)}
 * where {@code n(x) = x · rsqrt(max(Σx², ε²))}, ε = 1e-7, as {@code ops.normalize} (order 2): a zero
 * vector normalizes to zero and keeps a finite gradient.
 */
final class CosineSimilarity extends SameShapeLoss {
    // Keras clamps the squared norm with epsilon * epsilon, computed in Python then cast to float32
    private static final float EPSILON_SQUARED = (float) (1e-7 * 1e-7);

    CosineSimilarity() {
        super("cosine_similarity", "CosineSimilarity");
    }

    @Override
    public Optional<KerasConfig> kerasConfig() {
        return Optional.of(KerasConfig.of("CosineSimilarity", "name", name(), "reduction", "sum_over_batch_size",
                "axis", -1));
    }

    @Override
    public Variable perSample(Variable labels, Variable predictions) {
        Variable y = LabelShapes.like(labels, predictions);
        return Ops.scale(Ops.sum(Ops.mul(normalize(y), normalize(predictions)), -1, false), -1f);
    }

    static Variable normalize(Variable x) {
        Variable squareSum = Ops.sum(Ops.unary(UnaryOp.SQUARE, x), -1, true);
        Variable clamped = Ops.maximum(squareSum, scalar(x, EPSILON_SQUARED));
        return Ops.mul(x, Ops.unary(UnaryOp.RECIPROCAL, Ops.unary(UnaryOp.SQRT, clamped)));
    }
}
