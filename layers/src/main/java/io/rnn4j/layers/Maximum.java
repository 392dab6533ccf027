package io.rnn4j.layers;

import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;

/**
 * Keras's Maximum: the elementwise maximum of its inputs (shapes broadcast as {@link Merge} says),
 * {@code maximum(maximum(x0, x1), x2)...}; in training a tie sends the gradient to the earlier
 * input, as {@code tf.maximum}'s gradient does. Masked positions are left out as Keras 3 does
 * (see {@link ExtremumMerge}); the output mask is the OR of the inputs' masks when all have one.
 */
public final class Maximum extends ExtremumMerge {

    /** A Maximum layer, named as Keras names it ("maximum", "maximum_1", ...). */
    public Maximum() {
        super("maximum");
    }

    @Override
    Variable op(Variable running, Variable next) {
        return Ops.maximum(running, next);
    }
}
