package io.rnn4j.layers;

import io.rnn4j.engine.Device;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;

/**
 * Keras 3's AdaptiveAveragePooling1D: the mean of each of {@code output_size} windows over the
 * steps, per channel (see {@link AdaptivePooling1D} for the windows): the window's sum divided by
 * its length, as TensorFlow's average pooling computes it.
 */
public final class AdaptiveAveragePooling1D extends AdaptivePooling1D<AdaptiveAveragePooling1D> {

    /**
     * {@code outputSize} windows.
     *
     * @throws IllegalArgumentException for an output size below 1
     */
    public AdaptiveAveragePooling1D(int outputSize) {
        super("adaptive_average_pooling1d", outputSize);
    }

    @Override
    Variable pool(Variable x) {
        int batch = x.dim(0);
        int steps = x.dim(1);
        int channels = x.dim(2);
        Device d = x.device();
        // A short window's spare taps read an appended zero row, which adds nothing to its sum.
        Variable table = Ops.concat(0, Ops.reshape(x, batch * steps, channels),
                Variable.constant(d.zeros(1, channels)));
        Variable sums = Ops.sum(Ops.gather(table, indices(d, batch, steps, batch * steps)), 1, false);
        float[] lengths = new float[outputSize()];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = length(i, steps);
        }
        return Ops.div(Ops.reshape(sums, batch, outputSize(), channels),
                Variable.constant(d.tensor(lengths, outputSize(), 1)));
    }
}
