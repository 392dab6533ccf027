package io.rnn4j.layers.autograd;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;

/**
 * {@code op(a[i]) · op(b[i])} for every {@code i} of the first axis (attention's scores and context):
 * a (B, m, k) or, transposed, (B, k, m); b (B, k, n) or (B, n, k); out (B, m, n). One GEMM per
 * batch row on views. Backward: {@code da = g · op(b)ᵀ} (or {@code op(b) · gᵀ} when a is
 * transposed) and {@code db = op(a)ᵀ · g} (or {@code gᵀ · op(a)}), each again one GEMM per row.
 */
final class BatchMatMul extends Function {
    private final boolean transA;
    private final boolean transB;

    BatchMatMul(boolean transA, boolean transB) {
        this.transA = transA;
        this.transB = transB;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor a = in[0];
        Tensor b = in[1];
        if (a.rank() != 3 || b.rank() != 3 || a.dim(0) != b.dim(0) || inner(a, transA, false) != inner(b, transB, true)) {
            throw new IllegalArgumentException("batch_matmul: expected (B, m, k) · (B, k, n)"
                    + (transA ? " with a given as (B, k, m)" : "") + (transB ? " with b given as (B, n, k)" : "")
                    + ", got " + a.shape() + " · " + b.shape());
        }
        int m = transA ? a.dim(2) : a.dim(1);
        int n = transB ? b.dim(1) : b.dim(2);
        Tensor out = a.device().zeros(a.dim(0), m, n);
        each(transA, transB, a, b, out);
        save(needsGrad(1) ? a : null, needsGrad(0) ? b : null);
        return out;
    }

    /** The contracted dimension of a (left operand) or b (right operand). */
    private static int inner(Tensor t, boolean transposed, boolean right) {
        return transposed == right ? t.dim(2) : t.dim(1);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Device d = g.device();
        Tensor da = null;
        Tensor db = null;
        if (needsGrad(0)) {
            Tensor b = saved(1);
            da = d.zeros(inputs[0].shape());
            if (transA) {
                each(transB, true, b, g, da);
            } else {
                each(false, !transB, g, b, da);
            }
        }
        if (needsGrad(1)) {
            Tensor a = saved(0);
            db = d.zeros(inputs[1].shape());
            if (transB) {
                each(true, transA, g, a, db);
            } else {
                each(!transA, false, a, g, db);
            }
        }
        return new Tensor[] {da, db};
    }

    /** {@code out[i] = op(x[i]) · op(y[i])} for every i. */
    private static void each(boolean tx, boolean ty, Tensor x, Tensor y, Tensor out) {
        Device d = out.device();
        for (int i = 0; i < out.dim(0); i++) {
            d.gemm(tx, ty, 1f, x.slice(i), y.slice(i), 0f, out.slice(i));
        }
    }
}
