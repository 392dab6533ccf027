package io.rnn4j.layers.autograd;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.ReduceOp;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;

/**
 * The largest value of each window of rows gathered from a 2-D table (max pooling):
 * {@code out[n, c] = max_j table[indices[n, j], c]}, indices {@code (windows, taps)}. The gradient
 * of each output goes to one row only: the window's first tap (lowest j) holding the max, as
 * TensorFlow's CPU MaxPoolGrad routes it (its arg-max scan replaces the max only on a strictly
 * greater value). Rows shared by several windows add up. Indices get no gradient.
 *
 * <p>Backward finds the first max with device ops only: relu'({@code max - window}) is 1 below the
 * max and 0 at it on every backend (float subtraction of different values is never 0), so 1 minus
 * it marks the maxima exactly, as in {@link ReduceMax}; a running "not yet taken" mask across the
 * taps then keeps the first.
 */
final class WindowMax extends Function {
    @Override
    protected Tensor forward(Tensor... in) {
        Tensor table = in[0];
        Tensor indices = in[1];
        Device d = table.device();
        Tensor windows = d.zeros(Shape.of(indices.dim(0), indices.dim(1), table.dim(1)));
        d.gather(table, indices, windows);
        Tensor out = d.zeros(Shape.of(indices.dim(0), table.dim(1)));
        d.reduce(ReduceOp.MAX, windows, 1, out);
        if (needsGrad(0)) {
            save(windows, out, indices);
        }
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        if (!needsGrad(0)) {
            return new Tensor[] {null, null};
        }
        Tensor windows = saved(0);
        Tensor out = saved(1);
        Tensor indices = saved(2);
        Device d = g.device();
        int n = windows.dim(0);
        int taps = windows.dim(1);
        int c = windows.dim(2);
        Tensor gap = d.zeros(windows.shape());
        d.binary(BinaryOp.SUB, out.reshape(n, 1, c), windows, gap);
        Tensor hit = d.full(windows.shape(), 1f);
        d.unaryBackward(UnaryOp.RELU, gap, hit, hit);  // 1 below the max
        d.affine(hit, -1f, 1f, hit);                    // 1 at every max, 0 elsewhere
        Tensor[] tap = new Tensor[taps];
        for (int j = 0; j < taps; j++) {
            tap[j] = d.zeros(n, 1, c);
        }
        d.split(hit, 1, tap);
        Tensor free = d.full(Shape.of(n, 1, c), 1f);  // windows whose max no earlier tap took
        for (int j = 0; j < taps; j++) {
            d.binary(BinaryOp.MUL, tap[j], free, tap[j]);
            d.binary(BinaryOp.SUB, free, tap[j], free);
        }
        d.concat(tap, 1, hit);
        d.binary(BinaryOp.MUL, hit, g.reshape(n, 1, c), hit);
        Tensor dTable = d.zeros(inputs[0].shape());
        d.scatterAdd(hit, indices, dTable);
        return new Tensor[] {dTable, null};
    }
}
