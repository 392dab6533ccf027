package io.rnn4j.layers.autograd;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;

/** {@code a + b} with broadcasting; each gradient is the upstream one summed over broadcast axes. */
final class Add extends Function {
    private Shape a;
    private Shape b;

    @Override
    protected Tensor forward(Tensor... in) {
        a = in[0].shape();
        b = in[1].shape();
        Device d = in[0].device();
        Tensor out = d.zeros(Device.broadcastShape("add", a, b));
        d.binary(BinaryOp.ADD, in[0], in[1], out);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {
            needsGrad(0) ? Broadcasting.reduceTo(g, a) : null,
            needsGrad(1) ? Broadcasting.reduceTo(g, b) : null};
    }
}
