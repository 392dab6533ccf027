package io.rnn4j.layers.autograd;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.ReduceOp;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;

/**
 * Sum or mean along one axis (kept as 1 or removed): the gradient is broadcast back along that
 * axis, divided by its length for the mean.
 */
final class Reduce extends Function {
    private final ReduceOp op;
    private final int axis;
    private final boolean keepDim;

    Reduce(ReduceOp op, int axis, boolean keepDim) {
        if (op == ReduceOp.MAX) {
            throw new IllegalArgumentException("Reduce: only SUM and MEAN are differentiable here, got MAX "
                    + "(Ops.max is the differentiable maximum)");
        }
        this.op = op;
        this.axis = axis;
        this.keepDim = keepDim;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor x = in[0];
        int a = x.shape().axis(axis);
        Shape outShape = keepDim ? x.shape().with(a, 1) : x.shape().without(a);
        Tensor out = x.device().zeros(outShape);
        x.device().reduce(op, x, a, out);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Shape in = inputs[0].shape();
        int a = in.axis(axis);
        Device d = g.device();
        Tensor dx = d.zeros(in);
        d.broadcast(g.reshape(in.with(a, 1).dims()), dx);
        if (op == ReduceOp.MEAN) {
            d.affine(dx, 1f / in.dim(a), 0f, dx);
        }
        return new Tensor[] {dx};
    }
}
