package io.rnn4j.layers.autograd;

import io.rnn4j.engine.Tensor;

/** x with the order of one axis reversed (go_backwards, Bidirectional); the gradient is reversed back. */
final class Reverse extends Function {
    private final int axis;

    Reverse(int axis) {
        this.axis = axis;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor out = in[0].device().zeros(in[0].shape());
        in[0].device().reverse(in[0], axis, out);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor dx = g.device().zeros(g.shape());
        g.device().reverse(g, axis, dx);
        return new Tensor[] {dx};
    }
}
