package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.autograd.Variable;

/**
 * Keras's Cropping1D: drops {@code start} steps from the beginning and {@code end} from the end of
 * each sequence, {@code (batch, steps, features)} to {@code (batch, steps - start - end, features)}.
 * Keras's default crops one step on each side. At least one step must remain, as Keras requires:
 * checked when built for known steps and on each call for None steps. The gradient of the
 * cropped steps is zero; no weights; the mask is dropped as Keras 3 drops it (see {@link Steps1D}).
 */
public final class Cropping1D extends Steps1D {
    private final int start;
    private final int end;

    /** One step off each end (Keras's default {@code cropping=(1, 1)}). */
    public Cropping1D() {
        this(1);
    }

    /** {@code cropping} steps off each end. */
    public Cropping1D(int cropping) {
        this(cropping, cropping);
    }

    /**
     * @param start steps dropped from the beginning
     * @param end   steps dropped from the end
     * @throws IllegalArgumentException for a negative size, naming this layer
     */
    public Cropping1D(int start, int end) {
        super("cropping1d");
        String given = "(" + start + ", " + end + ")";
        this.start = nonNegative("cropping", start, given);
        this.end = nonNegative("cropping", end, given);
    }

    /** Keras's {@code cropping} as it writes it: (start, end). */
    public int[] cropping() {
        return new int[] {start, end};
    }

    @Override
    public Cropping1D named(String newName) {
        super.named(newName);
        return this;
    }

    @Override
    int outputSteps(int steps, Shape input) {
        long left = (long) steps - start - end;
        if (left <= 0) {
            throw new IllegalArgumentException(where() + ": cropping (" + start + ", " + end + ") must be smaller "
                    + "than the input length: it leaves no step of an input " + batchless(input));
        }
        return (int) left;
    }

    @Override
    Variable resample(Variable x) {
        return Resampling.crop(x, 1, start, end);
    }
}
