package io.rnn4j.layers.autograd;

import io.rnn4j.engine.Tensor;

/** A view with other dimensions (one may be -1); the gradient is viewed back. No copy either way. */
final class Reshape extends Function {
    private final int[] dims;

    Reshape(int[] dims) {
        this.dims = dims.clone();
    }

    @Override
    protected Tensor forward(Tensor... in) {
        return in[0].reshape(dims);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.reshape(inputs[0].shape().dims())};
    }
}
