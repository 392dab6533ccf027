package io.rnn4j.layers;

import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;

/**
 * Keras's MaxPooling1D: the largest value of each window of {@code pool_size} steps, per channel
 * (see {@link Pooling1D} for the windows). Defaults: pool_size 2, strides = pool_size, "valid".
 * "same" padding never wins a window (TensorFlow pads with -inf). The gradient of each output goes
 * to one step only, the first max of its window, as TensorFlow's CPU kernel sends it.
 */
public final class MaxPooling1D extends Pooling1D<MaxPooling1D> {

    /** Windows of 2 steps, every 2 steps (Keras's defaults). */
    public MaxPooling1D() {
        this(2);
    }

    /** Windows of {@code poolSize} steps, every {@code poolSize} steps. */
    public MaxPooling1D(int poolSize) {
        this(poolSize, poolSize);
    }

    /** Windows of {@code poolSize} steps, every {@code strides} steps. */
    public MaxPooling1D(int poolSize, int strides) {
        super("max_pooling1d", poolSize, strides);
    }

    /** The padding reads the window's nearest real step: a copy of a value the window holds cannot change its max. */
    @Override
    Windows.Outside outside() {
        return Windows.Outside.NEAREST;
    }

    @Override
    Variable pool(Variable x) {
        int batch = x.dim(0);
        int channels = x.dim(2);
        Windows.Taps taps = windows.taps(x.device(), batch, x.dim(1));
        // Sizes spelled out: a -1 cannot be inferred from 0 elements (an empty batch or input).
        Variable max = Ops.windowMax(Ops.reshape(x, batch * x.dim(1), channels), taps.indices());
        return Ops.reshape(max, batch, windows.outSteps(x.dim(1)), channels);
    }
}
