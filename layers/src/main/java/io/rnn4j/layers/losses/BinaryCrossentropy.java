package io.rnn4j.layers.losses;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.KerasConfig;
import io.rnn4j.layers.autograd.Variable;
import java.util.Optional;

/**
 * Keras's binary crossentropy. On probabilities: {@code p = clip(ŷ, ε, 1 − ε)},
 * {@code −(y·log p + (1 − y)·log(1 − p))}; from logits x: {@code y·softplus(−x) + (1 − y)·softplus(x)}
 * (= softplus(x) − x·y, as two terms that never cancel: TensorFlow's
 * {@code sigmoid_cross_entropy_with_logits} is exact there too). Averaged over the last axis.
 *
 * <p>On the output of a sigmoid activation the logits behind it are used ({@link Variable#logits()}),
 * as Keras 3's TensorFlow backend does: no clipping, so a confidently wrong prediction keeps its loss
 * and gradient. label_smoothing s squeezes labels towards 0.5 first.
 */
final class BinaryCrossentropy implements Loss {
    static final float EPSILON = 1e-7f;
    private final boolean fromLogits;
    private final double labelSmoothing;

    BinaryCrossentropy(boolean fromLogits) {
        this(fromLogits, 0.0);
    }

    /** With Keras's label_smoothing in [0, 1]: labels become {@code y·(1 − s) + 0.5·s}. */
    BinaryCrossentropy(boolean fromLogits, double labelSmoothing) {
        this.fromLogits = fromLogits;
        this.labelSmoothing = checkSmoothing("binary_crossentropy", labelSmoothing);
    }

    static double checkSmoothing(String loss, double s) {
        if (!(s >= 0 && s <= 1)) {
            throw new IllegalArgumentException(loss + ": label_smoothing must be in [0, 1], got " + s);
        }
        return s;
    }

    @Override
    public Optional<KerasConfig> kerasConfig() {
        return Optional.of(KerasConfig.of("BinaryCrossentropy", "name", name(), "reduction", "sum_over_batch_size",
                "from_logits", fromLogits, "label_smoothing", labelSmoothing, "axis", -1));
    }

    @Override
    public String name() {
        return "binary_crossentropy";
    }

    @Override
    public void checkLabels(Shape labels, Shape predictions) {
        LabelShapes.sameOrSqueezed(name(), labels, predictions);
    }

    @Override
    public Variable perSample(Variable labels, Variable predictions) {
        Variable y = LabelShapes.like(labels, predictions);
        if (labelSmoothing != 0) {
            // Keras: y * (1.0 - s) + 0.5 * s, the Python constants cast to float32
            y = Ops.affine(y, (float) (1.0 - labelSmoothing), (float) (0.5 * labelSmoothing));
        }
        Variable perElement;
        Variable x = fromLogits ? predictions : predictions.logits();
        if (x != null) {
            perElement = Ops.add(Ops.mul(y, Ops.unary(UnaryOp.SOFTPLUS, Ops.scale(x, -1f))),
                    Ops.mul(Ops.affine(y, -1f, 1f), Ops.unary(UnaryOp.SOFTPLUS, x)));
        } else {
            Variable p = Ops.clip(predictions, EPSILON, 1f - EPSILON);
            Variable logP = Ops.unary(UnaryOp.LOG, p);
            Variable log1mP = Ops.unary(UnaryOp.LOG, Ops.affine(p, -1f, 1f));
            Variable bce = Ops.add(Ops.mul(y, logP), Ops.mul(Ops.affine(y, -1f, 1f), log1mP));
            perElement = Ops.scale(bce, -1f);
        }
        return Ops.mean(perElement, -1, false);
    }
}
