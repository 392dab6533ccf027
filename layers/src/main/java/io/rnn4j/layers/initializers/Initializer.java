package io.rnn4j.layers.initializers;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.KerasConfig;
import java.util.Optional;
import java.util.random.RandomGenerator;

/** Draws the starting values of a weight, as a Keras initializer does. */
public interface Initializer {

    /** {@code shape.size()} values in row-major order, drawn from {@code random}. */
    float[] sample(Shape shape, RandomGenerator random);

    /** The name Keras gives it ("glorot_uniform", "orthogonal", ...). */
    String kerasName();

    /**
     * The Keras class and arguments that rebuild it ({@code GlorotUniform {}},
     * {@code VarianceScaling {scale, mode, distribution}}), for saving; empty for an initializer
     * Keras has no class for.
     */
    default Optional<KerasConfig> kerasConfig() {
        return Optional.empty();
    }
}
