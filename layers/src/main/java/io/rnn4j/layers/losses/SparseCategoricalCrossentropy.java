package io.rnn4j.layers.losses;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.KerasConfig;
import io.rnn4j.layers.autograd.Variable;
import java.util.Optional;

/**
 * Keras's sparse categorical crossentropy with integer class labels, as its TensorFlow backend
 * computes it: on probabilities {@code l = log(clip(ŷ, ε, 1 − ε))} (from logits, and for the output
 * of a softmax activation the logits behind it ({@link Variable#logits()}), l = x), then
 * {@code −log_softmax(l)[label]}.
 */
final class SparseCategoricalCrossentropy implements Loss {
    private final boolean fromLogits;

    SparseCategoricalCrossentropy(boolean fromLogits) {
        this.fromLogits = fromLogits;
    }

    @Override
    public Optional<KerasConfig> kerasConfig() {
        return Optional.of(KerasConfig.of("SparseCategoricalCrossentropy", "name", name(), "reduction",
                "sum_over_batch_size", "from_logits", fromLogits, "ignore_class", null));
    }

    @Override
    public String name() {
        return "sparse_categorical_crossentropy";
    }

    @Override
    public void checkLabels(Shape labels, Shape predictions) {
        Shape classless = predictions.without(predictions.rank() - 1);
        Shape withOne = predictions.with(predictions.rank() - 1, 1);
        if (classless.isCompatible(labels) || withOne.isCompatible(labels)) {
            return;
        }
        throw new IllegalArgumentException(name() + ": labels must be class ids of shape " + classless + " or "
                + withOne + " for predictions " + predictions + ", got " + labels);
    }

    @Override
    public Variable perSample(Variable labels, Variable predictions) {
        int classes = predictions.dim(-1);
        Tensor oneHot = oneHot(labels.value(), classes, predictions);
        Variable logits = fromLogits ? predictions : predictions.logits();
        Variable l = logits != null ? logits : Ops.unary(UnaryOp.LOG,
                Ops.clip(predictions, BinaryCrossentropy.EPSILON, 1f - BinaryCrossentropy.EPSILON));
        Variable logSoftmax = Ops.logSoftmax(l, -1);
        return Ops.scale(Ops.sum(Ops.mul(Variable.constant(oneHot), logSoftmax), -1, false), -1f);
    }

    private Tensor oneHot(Tensor labels, int classes, Variable predictions) {
        float[] ids = labels.toArray();
        float[] hot = new float[ids.length * classes];
        for (int i = 0; i < ids.length; i++) {
            float id = ids[i];
            if (id != Math.rint(id) || id < 0 || id >= classes) {
                throw new IllegalArgumentException(name() + ": labels must be integer class ids in [0, " + classes
                        + "), got " + id + " at position " + i);
            }
            hot[i * classes + (int) id] = 1f;
        }
        return labels.device().tensor(hot, predictions.shape().dims());
    }
}
