package io.rnn4j.layers.autograd;

import io.rnn4j.engine.Tensor;

/**
 * A differentiable operation with one output, as tinygrad's {@code Function}: {@link #forward}
 * computes the value (saving what backward needs with {@link #save}), {@link #backward} maps the
 * output's gradient to one gradient per input, built from device ops. A new instance is made for
 * each application ({@link Autograd#apply}); fields hold its settings.
 */
public abstract non-sealed class Function extends Op {

    protected Function() {
    }

    /** Computes the output from the input values (null for an absent optional input). */
    protected abstract Tensor forward(Tensor... inputs);

    /**
     * The gradient of each input given the output's gradient {@code gradOutput}, or null for an
     * input that needs none ({@link #needsGrad} false). A returned tensor may be {@code gradOutput}
     * itself or a view of it; the caller never writes into what it is given.
     */
    protected abstract Tensor[] backward(Tensor gradOutput);

    @Override
    final int outputCount() {
        return 1;
    }

    @Override
    final Tensor[] backwardAll(Tensor[] gradOutputs) {
        return backward(gradOutputs[0]);
    }
}
