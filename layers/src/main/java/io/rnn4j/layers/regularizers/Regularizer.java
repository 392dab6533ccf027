package io.rnn4j.layers.regularizers;

import io.rnn4j.layers.KerasConfig;
import io.rnn4j.layers.autograd.Variable;
import java.util.Optional;

/** A penalty on a weight added to the training loss, as a Keras regularizer. */
public interface Regularizer {

    /** The penalty, a scalar variable differentiable in {@code weight}. */
    Variable penalty(Variable weight);

    /** The Keras class and arguments that rebuild it ({@code L2 {l2}}), for saving; empty if Keras has none. */
    default Optional<KerasConfig> kerasConfig() {
        return Optional.empty();
    }
}
