package io.rnn4j.layers.autograd;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;

/** {@code a * b} elementwise with broadcasting: {@code da = g·b}, {@code db = g·a}, reduced to each shape. */
final class Mul extends Function {

    @Override
    protected Tensor forward(Tensor... in) {
        Device d = in[0].device();
        Tensor out = d.zeros(Device.broadcastShape("mul", in[0].shape(), in[1].shape()));
        d.binary(BinaryOp.MUL, in[0], in[1], out);
        save(needsGrad(1) ? in[0] : null, needsGrad(0) ? in[1] : null);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {
            needsGrad(0) ? times(g, saved(1), inputs[0].shape()) : null,
            needsGrad(1) ? times(g, saved(0), inputs[1].shape()) : null};
    }

    private static Tensor times(Tensor g, Tensor other, io.rnn4j.engine.Shape target) {
        Tensor p = g.device().zeros(g.shape());
        g.device().binary(BinaryOp.MUL, g, other, p);
        return Broadcasting.reduceTo(p, target);
    }
}
