package io.rnn4j.layers.autograd;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;

/**
 * {@code min(max(x, lo), hi)} (Keras's clip, used by the crossentropies). The gradient passes where
 * {@code lo <= x <= hi} (not at NaN), as TensorFlow's clip_by_value; the masks come from relu's derivative,
 * which is 1 exactly where its argument is positive.
 */
final class Clip extends Function {
    private final float lo;
    private final float hi;

    Clip(float lo, float hi) {
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("clip: expected lo <= hi, got " + lo + " and " + hi);
        }
        this.lo = lo;
        this.hi = hi;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Device d = in[0].device();
        Tensor out = d.zeros(in[0].shape());
        d.binary(BinaryOp.MAX, in[0], d.full(Shape.of(), lo), out);
        d.binary(BinaryOp.MIN, out, d.full(Shape.of(), hi), out);
        save(in[0]);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Device d = g.device();
        Tensor x = saved(0);
        Tensor t = d.zeros(x.shape());
        Tensor cut = d.zeros(x.shape());
        Tensor dx = d.zeros(x.shape());
        d.affine(x, -1f, lo, t);                  // lo - x > 0 exactly where x < lo
        d.unaryBackward(UnaryOp.RELU, t, g, cut);
        d.binary(BinaryOp.SUB, g, cut, dx);
        d.affine(x, 1f, -hi, t);                  // x - hi > 0 exactly where x > hi
        d.unaryBackward(UnaryOp.RELU, t, dx, cut);
        d.binary(BinaryOp.SUB, dx, cut, dx);
        // none at NaN, as clip_by_value's maximum/minimum, whose selects (x <= hi, t >= lo) are false for NaN:
        // min(|x|, 1) + 1 > 0 for every number (∞ included), NaN for NaN
        d.unary(UnaryOp.ABS, x, t);
        d.binary(BinaryOp.MIN, t, d.full(Shape.of(), 1f), t);
        d.affine(t, 1f, 1f, t);
        d.unaryBackward(UnaryOp.RELU, t, dx, dx);
        return new Tensor[] {dx};
    }
}
