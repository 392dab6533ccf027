package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.autograd.Variable;

/**
 * Keras's UpSampling1D: repeats each step {@code size} times in place (Keras's
 * {@code ops.repeat} along axis 1), {@code (batch, steps, features)} to
 * {@code (batch, steps · size, features)}; step {@code t} of the output is step
 * {@code t / size} of the input. Keras's default size is 2. The gradient of a step is the sum of
 * its copies'; no weights; the mask is dropped as Keras 3 drops it (see {@link Steps1D}).
 */
public final class UpSampling1D extends Steps1D {
    private final int size;

    /** Each step twice (Keras's default {@code size=2}). */
    public UpSampling1D() {
        this(2);
    }

    /**
     * @param size how many times each step is repeated
     * @throws IllegalArgumentException unless size >= 1, naming this layer
     */
    public UpSampling1D(int size) {
        super("up_sampling1d");
        if (size < 1) {
            throw new IllegalArgumentException(where() + ": size must be a positive integer, got " + size);
        }
        this.size = size;
    }

    /** How many times each step is repeated (Keras's {@code size}). */
    public int size() {
        return size;
    }

    @Override
    public UpSampling1D named(String newName) {
        super.named(newName);
        return this;
    }

    @Override
    int outputSteps(int steps, Shape input) {
        long out = (long) steps * size;
        if (out > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(where() + ": " + steps + " steps repeated " + size + " times is too "
                    + "long (" + out + " steps)");
        }
        return (int) out;
    }

    @Override
    Variable resample(Variable x) {
        return Resampling.repeat(x, 1, size);
    }
}
