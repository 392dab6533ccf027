package io.rnn4j.layers.losses;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.autograd.Variable;

/**
 * A Keras loss with the default reduction ("sum_over_batch_size"): the per-sample loss (reduced
 * over the last axis) averaged over everything else, as a scalar variable.
 */
public interface Loss {

    /** The name Keras gives it ("mean_squared_error"). */
    String name();

    /**
     * Checks that labels of {@code labels} shape (with batch) fit predictions of {@code predictions}
     * shape, before anything runs.
     *
     * @throws IllegalArgumentException saying what shape the labels must have and what came
     */
    void checkLabels(Shape labels, Shape predictions);

    /** The loss of {@code predictions} against the constant {@code labels}, a scalar. */
    Variable compute(Variable labels, Variable predictions);
}
