package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.autograd.Variable;

/**
 * Keras's data_format "channels_first", {@code (batch, channels, spatial...)}, for a layer that
 * computes in "channels_last" {@code (batch, spatial..., channels)}: the channels axis is moved
 * last before and back to axis 1 after. For one spatial axis both moves are the same swap of the
 * last two axes. The numbers are the channels_last computation's; a move is a gather (the engine
 * has no transpose), whose gradient is its scatter-add, and copies the tensor once.
 */
final class ChannelsFirst {
    private final Permute toLast;
    private final Permute toFirst;

    /** @param owner the name of the layer it belongs to; one spatial axis */
    ChannelsFirst(String owner) {
        this(owner, 1);
    }

    /**
     * @param owner   the name of the layer it belongs to
     * @param spatial the number of spatial axes (1 for the 1D layers, 2 or 3 for the 2D/3D ones)
     */
    ChannelsFirst(String owner, int spatial) {
        int[] last = new int[spatial + 1]; // 1-based: axes 2..spatial+1, then 1
        int[] first = new int[spatial + 1]; // spatial+1, then 1..spatial
        first[0] = spatial + 1;
        for (int a = 0; a < spatial; a++) {
            last[a] = a + 2;
            first[a + 1] = a + 1;
        }
        last[spatial] = 1;
        this.toLast = Permute.inside(owner, last);
        this.toFirst = spatial == 1 ? toLast : Permute.inside(owner, first);
    }

    /**
     * The moves for a layer's Keras data_format (checked as Keras's standardize_data_format takes
     * it: any case, null is channels_last); null for "channels_last", where nothing moves.
     *
     * @param layer   "Layer 'name' (Class)", for the refusal
     * @param owner   the layer's name
     * @param spatial the number of spatial axes
     * @throws IllegalArgumentException for another value, naming the layer
     */
    static ChannelsFirst of(String layer, String owner, String format, int spatial) {
        boolean first = DataFormat.standardize(layer, format).equals(DataFormat.CHANNELS_FIRST);
        return first ? new ChannelsFirst(owner, spatial) : null;
    }

    /** The data_format a layer holding {@code moves} (null: none) computes in. */
    static String format(ChannelsFirst moves) {
        return moves == null ? DataFormat.CHANNELS_LAST : DataFormat.CHANNELS_FIRST;
    }

    /** {@code (batch, a, b)} to {@code (batch, b, a)}: into channels_last on the way in, back on the way out. */
    Variable swapped(Variable x) {
        return toLast.forward(x, null, null);
    }

    /** {@code (batch, channels, spatial...)} to {@code (batch, spatial..., channels)}. */
    Variable toLast(Variable x) {
        return toLast.forward(x, null, null);
    }

    /** {@code (batch, spatial..., channels)} to {@code (batch, channels, spatial...)}. */
    Variable toFirst(Variable x) {
        return toFirst.forward(x, null, null);
    }

    /** A sample shape {@code (a, b)} as {@code (b, a)}. */
    static Shape swapped(Shape sample) {
        return Shape.withUnknown(sample.dim(1), sample.dim(0));
    }

    /** A sample shape {@code (channels, spatial...)} as {@code (spatial..., channels)}; None axes stay None. */
    static Shape toLast(Shape sample) {
        int[] d = new int[sample.rank()];
        for (int a = 1; a < d.length; a++) {
            d[a - 1] = sample.dim(a);
        }
        d[d.length - 1] = sample.dim(0);
        return Shape.withUnknown(d);
    }

    /** A sample shape {@code (spatial..., channels)} as {@code (channels, spatial...)}. */
    static Shape toFirst(Shape sample) {
        int[] d = new int[sample.rank()];
        d[0] = sample.dim(-1);
        for (int a = 1; a < d.length; a++) {
            d[a] = sample.dim(a - 1);
        }
        return Shape.withUnknown(d);
    }
}
