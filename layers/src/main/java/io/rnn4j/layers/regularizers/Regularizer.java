package io.rnn4j.layers.regularizers;

import io.rnn4j.layers.autograd.Variable;

/** A penalty on a weight added to the training loss, as a Keras regularizer. */
public interface Regularizer {

    /** The penalty, a scalar variable differentiable in {@code weight}. */
    Variable penalty(Variable weight);
}
