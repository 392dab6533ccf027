package io.rnn4j.layers.autograd;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;

/** An elementwise function ({@link UnaryOp}): {@code dx = g · op'(x)}, one dispatched backward op. */
final class Unary extends Function {
    private final UnaryOp op;

    Unary(UnaryOp op) {
        this.op = op;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Device d = in[0].device();
        Tensor out = d.zeros(in[0].shape());
        d.unary(op, in[0], out);
        save(in[0]);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor dx = g.device().zeros(g.shape());
        g.device().unaryBackward(op, saved(0), g, dx);
        return new Tensor[] {dx};
    }
}
