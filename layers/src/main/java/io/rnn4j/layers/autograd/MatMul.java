package io.rnn4j.layers.autograd;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;

/** {@code a · b} for a (m, k) and b (k, n): {@code da = g · bᵀ}, {@code db = aᵀ · g}, each one GEMM. */
final class MatMul extends Function {

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor a = in[0];
        Tensor b = in[1];
        Device d = a.device();
        if (a.rank() != 2 || b.rank() != 2 || a.dim(1) != b.dim(0)) {
            throw new IllegalArgumentException("matmul: expected (m, k) · (k, n), got " + a.shape() + " · "
                    + b.shape());
        }
        Tensor out = d.zeros(a.dim(0), b.dim(1));
        d.gemm(false, false, 1f, a, b, 0f, out);
        save(needsGrad(1) ? a : null, needsGrad(0) ? b : null);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Device d = g.device();
        Tensor da = null;
        Tensor db = null;
        if (needsGrad(0)) {
            Tensor b = saved(1);
            da = d.zeros(g.dim(0), b.dim(0));
            d.gemm(false, true, 1f, g, b, 0f, da);
        }
        if (needsGrad(1)) {
            Tensor a = saved(0);
            db = d.zeros(a.dim(1), g.dim(1));
            d.gemm(true, false, 1f, a, g, 0f, db);
        }
        return new Tensor[] {da, db};
    }
}
