package io.rnn4j.layers.autograd;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;

/**
 * {@code maximum(a, b)} or {@code minimum(a, b)} elementwise with broadcasting. The gradient is
 * TensorFlow's (_MaximumMinimumGrad, what Keras 3 trains with on its TensorFlow backend): it goes
 * to a where {@code a >= b} (maximum) or {@code a <= b} (minimum), else to b, so a tie goes wholly
 * to a; each is then summed down to its input's shape.
 */
final class Extremum extends Function {
    private final boolean max;

    /** @param max maximum if true, minimum if false */
    Extremum(boolean max) {
        this.max = max;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Device d = in[0].device();
        String name = max ? "maximum" : "minimum";
        Tensor out = d.zeros(Device.broadcastShape(name, in[0].shape(), in[1].shape()));
        d.binary(max ? BinaryOp.MAX : BinaryOp.MIN, in[0], in[1], out);
        save(in[0], in[1]);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor a = saved(0);
        Tensor b = saved(1);
        Shape s = g.shape();
        Device d = g.device();
        // b strictly wins where (b - a) > 0 for maximum, (a - b) > 0 for minimum; relu' is that step
        // (0 at exactly 0, so ties stay with a).
        Tensor gap = d.zeros(s);
        d.binary(BinaryOp.SUB, max ? b : a, max ? a : b, gap);
        Tensor toB = d.full(s, 1f);
        d.unaryBackward(UnaryOp.RELU, gap, toB, toB);
        d.binary(BinaryOp.MUL, g, toB, toB);
        Tensor toA = null;
        if (needsGrad(0)) {
            toA = d.zeros(s);
            d.binary(BinaryOp.SUB, g, toB, toA);
        }
        return new Tensor[] {
            toA == null ? null : Broadcasting.reduceTo(toA, inputs[0].shape()),
            needsGrad(1) ? Broadcasting.reduceTo(toB, inputs[1].shape()) : null};
    }
}
