package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import java.util.Arrays;

/** Shape helpers behind {@link Layer}'s input checks, kept apart so Layer stays small. */
final class LayerShapes {
    private LayerShapes() {
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

    /** Refuses a sample shape of another rank than {@code rank}, naming {@code layer} and the input it takes. */
    static void requireRank(String layer, Shape sample, int rank, String expected) {
        if (sample.rank() != rank) {
            throw new IllegalArgumentException(layer + ": expected an input " + expected + ", got "
                    + Layer.batchless(sample));
        }
    }

    /** Keras's input_spec error: {@code layer}'s input of shape {@code found} is not {@code expected}. */
    static IllegalArgumentException incompatible(Layer layer, Shape expected, String found) {
        return new IllegalArgumentException("Input of layer '" + layer.name() + "' (" + layer.className()
                + ") is incompatible with the layer: expected shape=" + Layer.batchless(expected) + ", found shape="
                + found);
    }
}
