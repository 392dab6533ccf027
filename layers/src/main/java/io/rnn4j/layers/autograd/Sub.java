package io.rnn4j.layers.autograd;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;

/** {@code a - b} with broadcasting: {@code da = g}, {@code db = -g}, each summed over broadcast axes. */
final class Sub extends Function {
    private Shape a;
    private Shape b;

    @Override
    protected Tensor forward(Tensor... in) {
        a = in[0].shape();
        b = in[1].shape();
        Device d = in[0].device();
        Tensor out = d.zeros(Device.broadcastShape("sub", a, b));
        d.binary(BinaryOp.SUB, in[0], in[1], out);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor db = null;
        if (needsGrad(1)) {
            Tensor reduced = Broadcasting.reduceTo(g, b);
            db = g.device().zeros(b);
            g.device().affine(reduced, -1f, 0f, db);
        }
        return new Tensor[] {needsGrad(0) ? Broadcasting.reduceTo(g, a) : null, db};
    }
}
