package io.rnn4j.layers.constraints;

import io.rnn4j.engine.Tensor;

/** Projects a weight back into a set after each optimizer update, in place, as a Keras constraint. */
public interface Constraint {

    /** Rewrites {@code weight} with its projection. */
    void apply(Tensor weight);
}
