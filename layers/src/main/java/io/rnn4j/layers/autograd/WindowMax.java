package io.rnn4j.layers.autograd;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.ReduceOp;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;

/**
 * The largest value of each window of rows gathered from a 2-D table (max pooling):
 * {@code out[n, c] = max_j table[indices[n, j], c]}, indices {@code (windows, taps)}. The gradient
 * of each output goes to one row only: the window's first tap (lowest j) holding the max, as
 * TensorFlow's CPU MaxPoolGrad routes it (its arg-max scan replaces the max only on a strictly
 * greater value); rows shared by several windows add up. Indices get no gradient.
 *
 * <p>Backward finds the first max with device ops only: {@code window - max} is exactly 0 at a
 * max and otherwise at least 2^-149 in magnitude (float subtraction of different values is never
 * 0), so scaling it by 2^149 and clamping at -1 gives -1 or 0 exactly; a running "not yet taken"
 * mask across the taps then keeps the first. Infinite or NaN inputs make that gradient NaN.
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
        Tensor hit = d.zeros(windows.shape());
        d.binary(BinaryOp.SUB, windows, out.reshape(n, 1, c), hit);
        d.affine(hit, 0x1p100f, 0f, hit);  // 2^149 is past float's range: two exact power-of-two steps
        d.affine(hit, 0x1p49f, 0f, hit);
        d.binary(BinaryOp.MAX, hit, d.full(Shape.of(1), -1f), hit);
        d.affine(hit, 1f, 1f, hit);        // 1 at every max, 0 elsewhere
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
