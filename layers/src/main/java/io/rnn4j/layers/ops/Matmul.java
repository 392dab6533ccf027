package io.rnn4j.layers.ops;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.List;

/**
 * Keras 3's {@code Matmul} operation (keras/src/ops/numpy.py), what {@code x1 @ x2} and
 * {@code keras.ops.matmul(x1, x2)} record: NumPy's matmul, the product of the last two axes
 * ({@code (..., m, k) @ (..., k, n) -> (..., m, n)}) for every index of the axes before them, which
 * broadcast ({@code compute_matmul_output_shape}); TensorFlow's {@code tf.matmul} (BatchMatMulV2)
 * for such operands. Both tensors must be of one rank of at least 3, so that the batch axis of each
 * is the other's: NumPy aligns shapes at their last axes, and a rank-2 operand {@code (batch, k)}
 * would be multiplied across the batch (TensorFlow's tensordot), mixing samples.
 */
public final class Matmul extends TensorOperation {

    /** Keras's {@code Matmul()}: applied to (x1, x2). */
    public Matmul() {
        super("matmul");
    }

    @Override
    int tensors() {
        return 2;
    }

    @Override
    int[] outputDims(List<int[]> in) {
        int[] a = in.get(0);
        int[] b = in.get(1);
        if (a.length != b.length || a.length < 3) {
            throw fail("x1 " + show(a) + " and x2 " + show(b) + ": rnn4j multiplies tensors of one rank of at "
                    + "least 3 (batch, ..., rows, columns), so that their batch axes align");
        }
        int r = a.length;
        if (a[r - 1] != Shape.UNKNOWN && b[r - 2] != Shape.UNKNOWN && a[r - 1] != b[r - 2]) {
            throw fail("inner dimensions (x1.shape[-1] and x2.shape[-2]) must be equal, but received x1.shape="
                    + show(a) + " and x2.shape=" + show(b));
        }
        int[] out = new int[r];
        for (int i = 0; i < r - 2; i++) {
            int x = a[i];
            int y = b[i];
            if (x != y && x != 1 && y != 1 && x != Shape.UNKNOWN && y != Shape.UNKNOWN) {
                throw fail("cannot broadcast the leading axes of x1 " + show(a) + " and x2 " + show(b));
            }
            out[i] = x == 1 ? y : x == Shape.UNKNOWN ? (y == 1 ? Shape.UNKNOWN : y) : x;
        }
        out[r - 2] = a[r - 2];
        out[r - 1] = b[r - 1];
        return out;
    }

    @Override
    Variable compute(List<Variable> in, CallContext ctx) {
        Variable a = in.get(0);
        Variable b = in.get(1);
        int r = a.rank();
        int[] out = outputDims(List.of(a.shape().dims(), b.shape().dims()));
        int m = a.dim(r - 2);
        int k = a.dim(r - 1);
        int n = b.dim(r - 1);
        if (r == 3) {
            return Ops.batchMatmul(a, b, false, false);
        }
        // The leading axes broadcast, then flattened into one batch of matrices.
        int[] lead = java.util.Arrays.copyOf(out, r - 2);
        a = broadcast(a, lead, m, k);
        b = broadcast(b, lead, k, n);
        int batch = Math.toIntExact(Shape.of(lead).size());
        Variable y = Ops.batchMatmul(Ops.reshape(a, batch, m, k), Ops.reshape(b, batch, k, n), false, false);
        return Ops.reshape(y, out);
    }

    private static Variable broadcast(Variable x, int[] lead, int rows, int cols) {
        int[] full = java.util.Arrays.copyOf(lead, lead.length + 2);
        full[lead.length] = rows;
        full[lead.length + 1] = cols;
        return java.util.Arrays.equals(full, x.shape().dims()) ? x : Ops.broadcastTo(x, Shape.of(full));
    }
}
