package io.rnn4j.layers.losses;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.KerasConfig;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.Optional;

/**
 * Keras's focal crossentropies (keras/src/losses/losses.py {@code binary_focal_crossentropy},
 * {@code categorical_focal_crossentropy}), which scale each crossentropy term by how wrong the
 * prediction is: {@code (1 − p_t)^γ}.
 *
 * <p>Binary: {@code p_t = y·p + (1 − y)·(1 − p)}, the crossentropy that of {@link BinaryCrossentropy}
 * (from the logits when {@code from_logits} or when the predictions are a sigmoid's output, as
 * Keras's TensorFlow backend finds them; else on probabilities clipped to [ε, 1 − ε]), p the
 * probabilities unclipped; with apply_class_balancing each term is also weighted {@code α} for
 * y = 1 and {@code 1 − α} for y = 0; averaged over the last axis.
 *
 * <p>Categorical: p = softmax of the logits or the probabilities, divided by their sum and
 * clipped to [ε, 1 − ε]; {@code Σ α·(1 − p)^γ·(−y·log p)} over the last axis. label_smoothing as
 * the plain crossentropies.
 */
final class FocalCrossentropy implements Loss {
    private final boolean binary;
    private final boolean classBalancing;
    private final double alpha;
    private final double gamma;
    private final boolean fromLogits;
    private final double labelSmoothing;

    FocalCrossentropy(boolean binary, boolean classBalancing, double alpha, double gamma, boolean fromLogits,
            double labelSmoothing) {
        this.binary = binary;
        this.classBalancing = classBalancing;
        this.alpha = alpha;
        this.gamma = gamma;
        this.fromLogits = fromLogits;
        this.labelSmoothing = BinaryCrossentropy.checkSmoothing(binary ? "binary_focal_crossentropy"
                : "categorical_focal_crossentropy", labelSmoothing);
        if (!Double.isFinite(alpha) || !Double.isFinite(gamma)) {
            throw new IllegalArgumentException(name() + ": alpha and gamma must be finite numbers, got alpha " + alpha
                    + ", gamma " + gamma);
        }
    }

    @Override
    public Optional<KerasConfig> kerasConfig() {
        if (binary) {
            return Optional.of(KerasConfig.of("BinaryFocalCrossentropy", "name", name(), "reduction",
                    "sum_over_batch_size", "from_logits", fromLogits, "label_smoothing", labelSmoothing, "axis", -1,
                    "apply_class_balancing", classBalancing, "alpha", alpha, "gamma", gamma));
        }
        return Optional.of(KerasConfig.of("CategoricalFocalCrossentropy", "name", name(), "reduction",
                "sum_over_batch_size", "from_logits", fromLogits, "label_smoothing", labelSmoothing, "axis", -1,
                "alpha", alpha, "gamma", gamma));
    }

    @Override
    public String name() {
        return binary ? "binary_focal_crossentropy" : "categorical_focal_crossentropy";
    }

    @Override
    public void checkLabels(Shape labels, Shape predictions) {
        if (binary) {
            LabelShapes.sameOrSqueezed(name(), labels, predictions);
        } else if (!predictions.isCompatible(labels)) {
            throw new IllegalArgumentException(name() + ": labels must be one-hot with the model's output shape "
                    + predictions + ", got " + labels);
        }
    }

    @Override
    public Variable perSample(Variable labels, Variable predictions) {
        return binary ? binaryFocal(LabelShapes.like(labels, predictions), predictions)
                : categoricalFocal(labels, predictions);
    }

    private Variable binaryFocal(Variable y, Variable predictions) {
        if (labelSmoothing != 0) {
            y = Ops.affine(y, (float) (1.0 - labelSmoothing), (float) (0.5 * labelSmoothing));
        }
        Variable logits = fromLogits ? predictions : predictions.logits();
        Variable p = fromLogits ? Ops.unary(UnaryOp.SIGMOID, predictions) : predictions;
        Variable notY = Ops.affine(y, -1f, 1f);
        Variable bce;
        if (logits != null) {
            bce = Ops.add(Ops.mul(y, Ops.unary(UnaryOp.SOFTPLUS, Ops.scale(logits, -1f))),
                    Ops.mul(notY, Ops.unary(UnaryOp.SOFTPLUS, logits)));
        } else {
            Variable clipped = Ops.clip(p, BinaryCrossentropy.EPSILON, 1f - BinaryCrossentropy.EPSILON);
            bce = Ops.scale(Ops.add(Ops.mul(y, Ops.unary(UnaryOp.LOG, clipped)),
                    Ops.mul(notY, Ops.unary(UnaryOp.LOG, Ops.affine(clipped, -1f, 1f)))), -1f);
        }
        Variable pT = Ops.add(Ops.mul(y, p), Ops.mul(notY, Ops.affine(p, -1f, 1f)));
        Variable focal = Ops.mul(Ops.power(Ops.affine(pT, -1f, 1f), (float) gamma), bce);
        if (classBalancing) {
            Variable weight = Ops.add(Ops.scale(y, (float) alpha), Ops.scale(notY, (float) (1.0 - alpha)));
            focal = Ops.mul(weight, focal);
        }
        return Ops.mean(focal, -1, false);
    }

    private Variable categoricalFocal(Variable y, Variable predictions) {
        if (labelSmoothing != 0) {
            y = Ops.affine(y, (float) (1.0 - labelSmoothing), (float) labelSmoothing / (float) predictions.dim(-1));
        }
        Variable p = fromLogits ? Ops.softmax(predictions, -1) : predictions;
        Variable out = Ops.clip(Ops.div(p, Ops.sum(p, -1, true)), BinaryCrossentropy.EPSILON,
                1f - BinaryCrossentropy.EPSILON);
        Variable cce = Ops.scale(Ops.mul(y, Ops.unary(UnaryOp.LOG, out)), -1f);
        Variable weight = Ops.scale(Ops.power(Ops.affine(out, -1f, 1f), (float) gamma), (float) alpha);
        return Ops.sum(Ops.mul(weight, cce), -1, false);
    }
}
