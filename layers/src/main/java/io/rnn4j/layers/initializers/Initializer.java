package io.rnn4j.layers.initializers;

import io.rnn4j.engine.Shape;
import java.util.random.RandomGenerator;

/** Draws the starting values of a weight, as a Keras initializer does. */
public interface Initializer {

    /** {@code shape.size()} values in row-major order, drawn from {@code random}. */
    float[] sample(Shape shape, RandomGenerator random);

    /** The name Keras gives it ("glorot_uniform", "orthogonal", ...). */
    String kerasName();
}
