package io.rnn4j.layers.constraints;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.KerasConfig;
import java.util.Optional;

/** Projects a weight back into a set after each optimizer update, in place, as a Keras constraint. */
public interface Constraint {

    /** Rewrites {@code weight} with its projection. */
    void apply(Tensor weight);

    /** The Keras class and arguments that rebuild it ({@code MaxNorm {max_value, axis}}), for saving; empty if none. */
    default Optional<KerasConfig> kerasConfig() {
        return Optional.empty();
    }
}
