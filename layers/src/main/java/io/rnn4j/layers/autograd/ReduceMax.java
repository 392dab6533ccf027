package io.rnn4j.layers.autograd;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.ReduceOp;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;

/**
 * The maximum along one axis (kept as 1 or removed), as {@code tf.reduce_max}. Its gradient is
 * TensorFlow's (_MinOrMaxGrad, what Keras 3 trains with on its TensorFlow backend): it goes to the
 * elements equal to the maximum, split equally when several tie. The backward is composed of
 * existing device ops, so every backend runs it without a kernel of its own.
 */
final class ReduceMax extends Function {
    private final int axis;
    private final boolean keepDim;

    ReduceMax(int axis, boolean keepDim) {
        this.axis = axis;
        this.keepDim = keepDim;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor x = in[0];
        Device d = x.device();
        int a = x.shape().axis(axis);
        Tensor kept = d.zeros(x.shape().with(a, 1));
        d.reduce(ReduceOp.MAX, x, a, kept);
        save(x, kept);
        return keepDim ? kept : kept.reshape(x.shape().without(a).dims());
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor x = saved(0);
        Tensor max = saved(1);
        Shape s = x.shape();
        Device d = g.device();
        Tensor gap = d.zeros(s);
        d.binary(BinaryOp.SUB, max, x, gap);
        // relu'(z) is 1 for z > 0 and 0 at exactly 0 on every backend, so this is 1 where x is below
        // the maximum; 1 minus it is TensorFlow's equal(max, x) indicator.
        Tensor selected = d.full(s, 1f);
        d.unaryBackward(UnaryOp.RELU, gap, selected, selected);
        d.affine(selected, -1f, 1f, selected);
        Tensor count = d.zeros(max.shape());
        d.reduce(ReduceOp.SUM, selected, s.axis(axis), count);
        // TensorFlow's order: indicators / count, then times the gradient.
        d.binary(BinaryOp.DIV, selected, count, selected);
        d.binary(BinaryOp.MUL, selected, g.reshape(max.shape().dims()), selected);
        return new Tensor[] {selected};
    }
}
