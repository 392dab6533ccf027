package io.rnn4j.layers.losses;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.KerasConfig;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.Optional;

/**
 * Keras's Dice and Tversky losses (keras/src/losses/losses.py {@code dice}, {@code tversky}) for
 * segmentation-like outputs, on labels shaped as the predictions: with sums over {@code axis}
 * (Keras's default None: over every axis, batch included, one value for the whole batch),
 * {@code I = Σ y·p}; Dice {@code 1 − 2I / (Σy + Σp + ε)}, Tversky {@code 1 − I / (I + α·Σy·(1 − p)
 * + β·Σ(1 − y)·p + ε)}, ε = 1e-7: α on the missed targets, as Keras 3.15.1 computes it (its
 * variables named fp and fn hold these two; Keras sources after 3.15.1 swap them).
 */
final class OverlapLoss implements Loss {
    private final boolean tversky;
    private final double alpha;
    private final double beta;
    private final Integer axis;

    /** Dice (tversky false, alpha and beta unused) or Tversky; axis null for every axis. */
    OverlapLoss(boolean tversky, double alpha, double beta, Integer axis) {
        this.tversky = tversky;
        this.alpha = alpha;
        this.beta = beta;
        this.axis = axis;
    }

    @Override
    public Optional<KerasConfig> kerasConfig() {
        if (tversky) {
            return Optional.of(KerasConfig.of("Tversky", "name", name(), "reduction", "sum_over_batch_size", "alpha",
                    alpha, "beta", beta, "axis", axis));
        }
        return Optional.of(KerasConfig.of("Dice", "name", name(), "reduction", "sum_over_batch_size", "axis", axis));
    }

    @Override
    public String name() {
        return tversky ? "tversky" : "dice";
    }

    @Override
    public void checkLabels(Shape labels, Shape predictions) {
        if (axis != null && (axis >= predictions.rank() || axis < -predictions.rank())) {
            throw new IllegalArgumentException(name() + ": axis " + axis + " is not an axis of predictions "
                    + predictions);
        }
        LabelShapes.sameOrSqueezed(name(), labels, predictions);
    }

    @Override
    public Variable perSample(Variable labels, Variable predictions) {
        checkLabels(labels.shape(), predictions.shape());
        Variable y = LabelShapes.like(labels, predictions);
        Variable p = predictions;
        Variable intersection = sum(Ops.mul(y, p));
        Variable eps = SameShapeLoss.scalar(p, BinaryCrossentropy.EPSILON);
        Variable ratio;
        if (tversky) {
            // Keras 3.15.1 weights Σy(1 − p) (the paper's false negatives) by alpha and Σ(1 − y)p by beta;
            // later Keras sources swap them back to the paper's. The fixtures are 3.15.1's.
            Variable missed = sum(Ops.mul(y, Ops.affine(p, -1f, 1f)));
            Variable extra = sum(Ops.mul(Ops.affine(y, -1f, 1f), p));
            Variable denominator = Ops.add(Ops.add(Ops.add(intersection, Ops.scale(missed, (float) alpha)),
                    Ops.scale(extra, (float) beta)), eps);
            ratio = Ops.div(intersection, denominator);
        } else {
            Variable denominator = Ops.add(Ops.add(sum(y), sum(p)), eps);
            ratio = Ops.div(Ops.scale(intersection, 2f), denominator);
        }
        return Ops.affine(ratio, -1f, 1f);
    }

    private Variable sum(Variable x) {
        return axis == null ? Ops.sumAll(x) : Ops.sum(x, axis, false);
    }
}
