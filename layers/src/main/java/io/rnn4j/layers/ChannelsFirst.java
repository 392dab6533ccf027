package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.autograd.Variable;

/**
 * Keras's data_format "channels_first", {@code (batch, channels, steps)}, for a 1D layer that
 * computes in "channels_last" {@code (batch, steps, channels)}: its input's last two axes are
 * swapped before and its output's after. The numbers are the channels_last computation's; the swap
 * is a gather (the engine has no transpose), whose gradient is its scatter-add.
 */
final class ChannelsFirst {
    private final Permute swap;

    /** @param owner the name of the layer it belongs to */
    ChannelsFirst(String owner) {
        this.swap = Permute.inside(owner, 2, 1);
    }

    /** {@code (batch, a, b)} to {@code (batch, b, a)}: into channels_last on the way in, back on the way out. */
    Variable swapped(Variable x) {
        return swap.forward(x, null, null);
    }

    /** A sample shape {@code (a, b)} as {@code (b, a)}. */
    static Shape swapped(Shape sample) {
        return Shape.withUnknown(sample.dim(1), sample.dim(0));
    }
}
