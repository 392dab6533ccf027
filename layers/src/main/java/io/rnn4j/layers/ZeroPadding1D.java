package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.autograd.Variable;

/**
 * Keras's ZeroPadding1D: adds {@code left} steps of zeros before and {@code right} after each
 * sequence, {@code (batch, steps, features)} to {@code (batch, left + steps + right, features)}
 * (or along the last axis for "channels_first", {@code (batch, features, steps)}). Keras's default
 * pads one step on each side. The zeros get no gradient; no weights; the mask is dropped as Keras 3
 * drops it (see {@link Steps1D}).
 */
public final class ZeroPadding1D extends Steps1D {
    private final int left;
    private final int right;
    private String dataFormat = DataFormat.CHANNELS_LAST;

    /** One step of zeros on each side (Keras's default {@code padding=1}). */
    public ZeroPadding1D() {
        this(1);
    }

    /** {@code padding} steps of zeros on each side. */
    public ZeroPadding1D(int padding) {
        this(padding, padding);
    }

    /**
     * @param left  steps of zeros before each sequence
     * @param right steps of zeros after it
     * @throws IllegalArgumentException for a negative size, naming this layer
     */
    public ZeroPadding1D(int left, int right) {
        super("zero_padding1d");
        String given = "(" + left + ", " + right + ")";
        this.left = nonNegative("padding", left, given);
        this.right = nonNegative("padding", right, given);
    }

    /** Keras's {@code padding} as it writes it: (left, right). */
    public int[] padding() {
        return new int[] {left, right};
    }

    /** "channels_last" (the default: steps on axis 1) or "channels_first" (steps on axis 2). */
    public String dataFormat() {
        return dataFormat;
    }

    /**
     * Sets Keras's {@code data_format}: "channels_last" or "channels_first" (any case; null is
     * channels_last, as in Keras).
     *
     * @throws IllegalArgumentException for another value, naming this layer
     */
    public ZeroPadding1D dataFormat(String format) {
        requireNotBuilt("data_format");
        this.dataFormat = DataFormat.standardize(where(), format);
        return this;
    }

    @Override
    public ZeroPadding1D named(String newName) {
        super.named(newName);
        return this;
    }

    @Override
    int stepsAxis() {
        return dataFormat.equals(DataFormat.CHANNELS_FIRST) ? 1 : 0;
    }

    @Override
    int outputSteps(int steps, Shape input) {
        // In long: Keras adds Python ints, which never wrap; an int sum could wrap to a wrong, positive length.
        long out = (long) steps + left + right;
        if (out > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(where() + ": padding (" + left + ", " + right + ") around " + steps
                    + " steps is too long (" + out + " steps)");
        }
        return (int) out;
    }

    @Override
    Variable resample(Variable x) {
        return Resampling.pad(x, stepsAxis() + 1, left, right);
    }
}
