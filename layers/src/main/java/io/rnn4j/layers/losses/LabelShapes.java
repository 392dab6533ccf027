package io.rnn4j.layers.losses;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;

/**
 * Keras's squeeze_or_expand_to_same_rank for labels: labels may have the predictions' shape, or
 * lack a trailing axis of 1 ((batch,) against (batch, 1)).
 */
final class LabelShapes {
    private LabelShapes() {
    }

    /** Labels of {@code labels} fit {@code predictions} (whose None sizes, before data comes, take any). */
    static void sameOrSqueezed(String loss, Shape labels, Shape predictions) {
        if (predictions.isCompatible(labels)) {
            return;
        }
        if (predictions.dim(-1) == 1 && labels.rank() == predictions.rank() - 1
                && predictions.without(predictions.rank() - 1).isCompatible(labels)) {
            return;
        }
        throw new IllegalArgumentException(loss + ": labels must have the model's output shape " + predictions
                + (predictions.dim(-1) == 1 ? " (or " + predictions.without(predictions.rank() - 1) + ")" : "")
                + ", got " + labels);
    }

    /** The labels viewed in the predictions' shape. */
    static Variable like(Variable labels, Variable predictions) {
        return labels.shape().equals(predictions.shape()) ? labels : Ops.reshape(labels, predictions.shape().dims());
    }
}
