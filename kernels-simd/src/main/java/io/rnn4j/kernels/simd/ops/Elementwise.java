package io.rnn4j.kernels.simd.ops;

import static io.rnn4j.kernels.simd.platform.SimdConstants.fma;

import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.kernels.simd.math.ActivationGrads;
import io.rnn4j.kernels.simd.math.Activations;
import io.rnn4j.kernels.simd.platform.SimdConstants;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** The one-tensor pointwise ops: unary functions, their gradients, and {@code alpha·x + beta}. */
public final class Elementwise {
    private static final VectorSpecies<Float> S = SimdConstants.SPECIES;
    private static final int L = S.length();
    /** FMA or multiply-add (SimdConstants.fma written out: see VectorMath on calls that take vectors). */
    private static final boolean FMA = SimdConstants.FAST_FMA;

    private Elementwise() {
    }

    /** {@code out = op(x)}; out may be x. */
    public static void unary(UnaryOp op, Tensor x, Tensor out) {
        Activations.apply(op, Heap.array(x), Heap.offset(x), Heap.array(out), Heap.offset(out), Heap.size(x),
                Activations.scratch());
    }

    /** {@code dx = dy · op'(x)}; dx may be dy. */
    public static void unaryBackward(UnaryOp op, Tensor x, Tensor dy, Tensor dx) {
        ActivationGrads.fromInput(op, Heap.array(x), Heap.offset(x), Heap.array(dy), Heap.offset(dy), Heap.array(dx),
                Heap.offset(dx), Heap.size(x), Activations.scratch());
    }

    /** {@code out = alpha · x + beta} (fused where FMA is fast); out may be x. */
    public static void affine(Tensor x, float alpha, float beta, Tensor out) {
        float[] xa = Heap.array(x);
        float[] oa = Heap.array(out);
        int xo = Heap.offset(x);
        int oo = Heap.offset(out);
        int n = Heap.size(x);
        FloatVector va = FloatVector.broadcast(S, alpha);
        FloatVector vb = FloatVector.broadcast(S, beta);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, xa, xo + i);
            (FMA ? v.fma(va, vb) : v.mul(va).add(vb)).intoArray(oa, oo + i);
        }
        for (; i < n; i++) {
            oa[oo + i] = fma(xa[xo + i], alpha, beta);
        }
    }
}
