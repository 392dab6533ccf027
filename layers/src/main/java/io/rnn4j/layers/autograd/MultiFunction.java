package io.rnn4j.layers.autograd;

import io.rnn4j.engine.Tensor;

/**
 * A differentiable operation with several outputs (a recurrent sequence gives its outputs and its
 * final states; split gives its parts). Otherwise as {@link Function}.
 */
public abstract non-sealed class MultiFunction extends Op {
    private final int outputs;

    protected MultiFunction(int outputs) {
        if (outputs < 1) {
            throw new IllegalArgumentException("MultiFunction: outputs must be >= 1, got " + outputs);
        }
        this.outputs = outputs;
    }

    /** Computes the outputs (exactly as many as given to the constructor; null for one not computed). */
    protected abstract Tensor[] forward(Tensor... inputs);

    /**
     * The gradient of each input given the gradients of the outputs; an output that received no
     * gradient has a null entry in {@code gradOutputs}. Null for inputs that need none.
     */
    protected abstract Tensor[] backward(Tensor[] gradOutputs);

    @Override
    final int outputCount() {
        return outputs;
    }

    @Override
    final Tensor[] backwardAll(Tensor[] gradOutputs) {
        return backward(gradOutputs);
    }
}
