package io.rnn4j.layers;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;

/**
 * Keras's AveragePooling1D: the mean of each window of {@code pool_size} steps, per channel (see
 * {@link Pooling1D} for the windows). pool_size has no default, as in Keras 3; strides default to
 * it, padding to "valid". With "same" the padding is left out of the count, as TensorFlow does:
 * a window of 3 holding 2 real steps is their sum divided by 2.
 */
public final class AveragePooling1D extends Pooling1D<AveragePooling1D> {

    /** Windows of {@code poolSize} steps, every {@code poolSize} steps. */
    public AveragePooling1D(int poolSize) {
        this(poolSize, poolSize);
    }

    /** Windows of {@code poolSize} steps, every {@code strides} steps. */
    public AveragePooling1D(int poolSize, int strides) {
        super("average_pooling1d", poolSize, strides);
    }

    /** The padding reads an appended zero row, which adds nothing to a sum. */
    @Override
    Windows.Outside outside() {
        return Windows.Outside.EXTRA_ROW;
    }

    @Override
    Variable pool(Variable x) {
        int batch = x.dim(0);
        int steps = x.dim(1);
        int channels = x.dim(2);
        Device d = x.device();
        Windows.Taps taps = windows.taps(d, batch, steps);
        Variable table = Ops.reshape(x, batch * steps, channels);
        if (taps.readsPadding()) {
            table = Ops.concat(0, table, Variable.constant(d.zeros(1, channels)));
        }
        Variable sums = Ops.sum(Ops.gather(table, taps.indices()), 1, false);
        int out = windows.outSteps(steps);
        // Divided (not multiplied by a reciprocal), as TensorFlow's kernel does.
        return Ops.div(Ops.reshape(sums, batch, out, channels), Variable.constant(counts(d, steps, out)));
    }

    /** How many real steps each output's window holds, {@code (out, 1)}. */
    private Tensor counts(Device d, int steps, int out) {
        float[] n = new float[out];
        int left = windows.padLeft(steps);
        for (int o = 0; o < out; o++) {
            int start = o * strides() - left;
            n[o] = Math.min(start + poolSize(), steps) - Math.max(start, 0);
        }
        return d.tensor(n, out, 1);
    }
}
