package io.rnn4j.layers.autograd;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;

/** {@code a / b} elementwise with broadcasting: {@code da = g / b}, {@code db = -g·a / b²}. */
final class Div extends Function {

    @Override
    protected Tensor forward(Tensor... in) {
        Device d = in[0].device();
        Tensor out = d.zeros(Device.broadcastShape("div", in[0].shape(), in[1].shape()));
        d.binary(BinaryOp.DIV, in[0], in[1], out);
        save(in[1], needsGrad(1) ? out : null);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Device d = g.device();
        Tensor b = saved(0);
        Tensor da = null;
        Tensor db = null;
        if (needsGrad(0)) {
            Tensor q = d.zeros(g.shape());
            d.binary(BinaryOp.DIV, g, b, q);
            da = Broadcasting.reduceTo(q, inputs[0].shape());
        }
        if (needsGrad(1)) {
            // d(a/b)/db = -(a/b)/b: uses the saved output instead of a second copy of a.
            Tensor q = d.zeros(g.shape());
            d.binary(BinaryOp.MUL, g, saved(1), q);
            d.binary(BinaryOp.DIV, q, b, q);
            Tensor r = Broadcasting.reduceTo(q, inputs[1].shape());
            db = d.zeros(r.shape());
            d.affine(r, -1f, 0f, db);
        }
        return new Tensor[] {da, db};
    }
}
