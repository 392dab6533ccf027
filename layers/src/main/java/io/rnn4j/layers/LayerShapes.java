package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import java.util.Arrays;

/** Shape helpers behind {@link Layer}'s input checks, kept apart so Layer stays small. */
final class LayerShapes {
    private LayerShapes() {
    }

    /** Keras's way of printing a shape with its batch dimension unknown: {@code (None, 10, 1)}. */
    static String batchless(Shape shape) {
        StringBuilder b = new StringBuilder("(None");
        for (int d : shape.dims()) {
            b.append(", ").append(d == Shape.UNKNOWN ? "None" : String.valueOf(d));
        }
        return b.append(')').toString();
    }

    /** {@code sample} with every axis None but {@code kept} (negative counts from the end). */
    static Shape keepingOnly(Shape sample, int... kept) {
        int[] d = new int[sample.rank()];
        Arrays.fill(d, Shape.UNKNOWN);
        for (int k : kept) {
            int a = sample.axis(k);
            d[a] = sample.dim(a);
        }
        return Shape.withUnknown(d);
    }

    /** Whether a batch of {@code batchShape} is {@code (batch,) + sample}, None in the sample taking any size. */
    static boolean fits(Shape sample, Shape batchShape) {
        boolean ok = batchShape.rank() == sample.rank() + 1;
        for (int i = 0; ok && i < sample.rank(); i++) {
            ok = Shape.compatible(sample.dim(i), batchShape.dim(i + 1));
        }
        return ok;
    }

    /**
     * {@code e}, with a hint when only the timesteps differ: a layer keeps the number of timesteps it
     * was built for unless its Input gave None there.
     */
    static IllegalArgumentException withTimestepsHint(IllegalArgumentException e, Shape expected, Shape given) {
        boolean onlyTimesteps = expected.rank() >= 2 && given.rank() == expected.rank()
                && expected.tail().isCompatible(given.tail());
        return !onlyTimesteps ? e : new IllegalArgumentException(e.getMessage() + "; a layer keeps the number of "
                + "timesteps it was built for, unless the Input it was built from gives None there "
                + "(Input.shape(Input.NONE, ...))");
    }

    /** Refuses an unknown (None) size on {@code axis} of {@code sample}, naming {@code layer} and the axis. */
    static void requireKnown(String layer, Shape sample, int axis, String why) {
        if (sample.dim(axis) == Shape.UNKNOWN) {
            throw new IllegalArgumentException(layer + " needs a known size on axis "
                    + (axis < 0 ? axis + sample.rank() + 1 : axis + 1) + " of its input " + Layer.batchless(sample) + " "
                    + why + "; None (any size) was given");
        }
    }

    /** Refuses a number of inputs outside {@code [min, max]}, naming {@code layer}. */
    static void requireInputCount(String layer, int given, int min, int max) {
        if (given < min || given > max) {
            String expected = min == max ? String.valueOf(min) : max == Integer.MAX_VALUE ? "at least " + min
                    : min + " to " + max;
            throw new IllegalArgumentException(layer + " takes " + expected + " input" + (min == 1 && max == 1 ? "" : "s")
                    + ", got " + given);
        }
    }

    /**
     * Refuses an explicit Keras mask that does not lead its input's shape: fewer axes, each of the
     * input's size (or either unknown), naming {@code layer}.
     */
    static void requireMaskFits(String layer, Shape input, Shape mask) {
        boolean fits = mask.rank() >= 1 && mask.rank() < input.rank();
        for (int i = 0; fits && i < mask.rank(); i++) {
            int m = mask.dim(i);
            int x = input.dim(i);
            fits = m == x || m == Shape.UNKNOWN || x == Shape.UNKNOWN;
        }
        if (!fits) {
            String example = input.rank() > 1
                    ? Layer.batchless(Shape.withUnknown(Arrays.copyOf(input.dims(), input.rank() - 1)))
                    + " for an input of " : "a shorter shape than the input's ";
            throw new IllegalArgumentException(layer + ": expected a mask of the input's leading axes, e.g. " + example
                    + Layer.batchless(input) + ", got a mask of " + Layer.batchless(mask));
        }
    }

    /** Refuses a sample shape of another rank than {@code rank}, naming {@code layer} and the input it takes. */
    static void requireRank(String layer, Shape sample, int rank, String expected) {
        if (sample.rank() != rank) {
            throw new IllegalArgumentException(layer + ": expected an input " + expected + ", got "
                    + Layer.batchless(sample));
        }
    }

    /** Refuses a batch of {@code given} unless it is {@code (batch,) + accepted} ({@link #fits}), naming the layer. */
    static void checkBatch(Layer layer, Shape accepted, Shape given) {
        if (!fits(accepted, given)) {
            throw incompatible(layer, accepted, given.toString());
        }
    }

    /** Refuses a symbolic input's sample shape {@code given} unless it is compatible with {@code expected}. */
    static void checkSample(Layer layer, Shape expected, Shape given) {
        if (!expected.isCompatible(given)) {
            throw withTimestepsHint(incompatible(layer, expected, batchless(given)), expected, given);
        }
    }

    /** Keras's input_spec error: {@code layer}'s input of shape {@code found} is not {@code expected}. */
    static IllegalArgumentException incompatible(Layer layer, Shape expected, String found) {
        return new IllegalArgumentException("Input of layer '" + layer.name() + "' (" + layer.className()
                + ") is incompatible with the layer: expected shape=" + Layer.batchless(expected) + ", found shape="
                + found);
    }
}
