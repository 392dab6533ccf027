package io.rnn4j.layers.losses;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.KerasConfig;
import io.rnn4j.layers.autograd.Variable;
import java.util.Optional;

/**
 * Keras's categorical crossentropy with one-hot (or soft) labels. On probabilities:
 * {@code p = clip(ŷ / Σŷ, ε, 1 − ε)}, {@code −Σ y·log p} over the last axis; from logits:
 * {@code −Σ y·log_softmax(x)}, which is also what the output of a softmax activation gets, from the
 * logits behind it ({@link Variable#logits()}), as on Keras 3's TensorFlow backend. label_smoothing s
 * spreads s over the classes first.
 */
final class CategoricalCrossentropy implements Loss {
    private final boolean fromLogits;
    private final double labelSmoothing;

    CategoricalCrossentropy(boolean fromLogits) {
        this(fromLogits, 0.0);
    }

    /** With Keras's label_smoothing in [0, 1]: labels become {@code y·(1 − s) + s / classes}. */
    CategoricalCrossentropy(boolean fromLogits, double labelSmoothing) {
        this.fromLogits = fromLogits;
        this.labelSmoothing = BinaryCrossentropy.checkSmoothing("categorical_crossentropy", labelSmoothing);
    }

    @Override
    public Optional<KerasConfig> kerasConfig() {
        return Optional.of(KerasConfig.of("CategoricalCrossentropy", "name", name(), "reduction",
                "sum_over_batch_size", "from_logits", fromLogits, "label_smoothing", labelSmoothing, "axis", -1));
    }

    @Override
    public String name() {
        return "categorical_crossentropy";
    }

    @Override
    public void checkLabels(Shape labels, Shape predictions) {
        if (!predictions.isCompatible(labels)) {
            throw new IllegalArgumentException(name() + ": labels must be one-hot with the model's output shape "
                    + predictions + ", got " + labels + (labels.rank() == predictions.rank() - 1
                    ? " (integer class labels need sparse_categorical_crossentropy)" : ""));
        }
    }

    @Override
    public Variable perSample(Variable labels, Variable predictions) {
        if (labelSmoothing != 0) {
            // Keras: y * (1.0 - s) + s / num_classes, num_classes a float32 tensor, so s / C in float32
            labels = Ops.affine(labels, (float) (1.0 - labelSmoothing),
                    (float) labelSmoothing / (float) predictions.dim(-1));
        }
        Variable logP;
        Variable logits = fromLogits ? predictions : predictions.logits();
        if (logits != null) {
            logP = Ops.logSoftmax(logits, -1);
        } else {
            Variable p = Ops.div(predictions, Ops.sum(predictions, -1, true));
            p = Ops.clip(p, BinaryCrossentropy.EPSILON, 1f - BinaryCrossentropy.EPSILON);
            logP = Ops.unary(UnaryOp.LOG, p);
        }
        return Ops.scale(Ops.sum(Ops.mul(labels, logP), -1, false), -1f);
    }
}
