package io.rnn4j.layers;

import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;

/**
 * Keras's Minimum: the elementwise minimum of its inputs (shapes broadcast as {@link Merge} says),
 * {@code minimum(minimum(x0, x1), x2)...}; in training a tie sends the gradient to the earlier
 * input, as {@code tf.minimum}'s gradient does. Masked positions are left out as Keras 3 does
 * (see {@link ExtremumMerge}); the output mask is the OR of the inputs' masks when all have one.
 */
public final class Minimum extends ExtremumMerge {

    /** A Minimum layer, named as Keras names it ("minimum", "minimum_1", ...). */
    public Minimum() {
        super("minimum");
    }

    @Override
    Variable op(Variable running, Variable next) {
        return Ops.minimum(running, next);
    }
}
