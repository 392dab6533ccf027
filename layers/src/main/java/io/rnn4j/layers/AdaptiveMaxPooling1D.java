package io.rnn4j.layers;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;

/**
 * Keras 3's AdaptiveMaxPooling1D: the largest value of each of {@code output_size} windows over the
 * steps, per channel (see {@link AdaptivePooling1D} for the windows); the gradient goes to a
 * window's first largest value, as TensorFlow's max pooling sends it.
 */
public final class AdaptiveMaxPooling1D extends AdaptivePooling1D<AdaptiveMaxPooling1D> {

    /**
     * {@code outputSize} windows.
     *
     * @throws IllegalArgumentException for an output size below 1
     */
    public AdaptiveMaxPooling1D(int outputSize) {
        super("adaptive_max_pooling1d", outputSize);
    }

    @Override
    Variable pool(Variable x) {
        int batch = x.dim(0);
        int steps = x.dim(1);
        int channels = x.dim(2);
        // A short window repeats its last step: a copy of a value the window holds cannot change its max.
        Tensor taps = indices(x.device(), batch, steps, -1);
        Variable max = Ops.windowMax(Ops.reshape(x, batch * steps, channels), taps);
        return Ops.reshape(max, batch, outputSize(), channels);
    }
}
