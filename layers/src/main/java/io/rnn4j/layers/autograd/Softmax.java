package io.rnn4j.layers.autograd;

import io.rnn4j.engine.Tensor;

/** Softmax or log-softmax along an axis; backward from the saved output ({@code softmaxBackward}). */
final class Softmax extends Function {
    private final int axis;
    private final boolean log;

    Softmax(int axis, boolean log) {
        this.axis = axis;
        this.log = log;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor out = in[0].device().zeros(in[0].shape());
        in[0].device().softmax(in[0], axis, log, out);
        save(out);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor dx = g.device().zeros(g.shape());
        g.device().softmaxBackward(saved(0), g, axis, log, dx);
        return new Tensor[] {dx};
    }
}
