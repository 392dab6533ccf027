package io.rnn4j.layers.autograd;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;

/** x repeated NumPy-style to a larger shape (RepeatVector); the gradient is summed back. */
final class BroadcastTo extends Function {
    private final Shape shape;

    BroadcastTo(Shape shape) {
        this.shape = shape;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor out = in[0].device().zeros(shape);
        in[0].device().broadcast(in[0], out);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {Broadcasting.reduceTo(g, inputs[0].shape())};
    }
}
