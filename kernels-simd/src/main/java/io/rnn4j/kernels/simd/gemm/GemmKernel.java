package io.rnn4j.kernels.simd.gemm;

import static io.rnn4j.kernels.simd.platform.SimdConstants.fma;

import io.rnn4j.kernels.simd.platform.SimdConstants;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/** The GEMM kernels for one species. */
final class GemmKernel {
    static final GemmKernel PREFERRED = new GemmKernel(SimdConstants.SPECIES);

    private final VectorSpecies<Float> species;

    GemmKernel(VectorSpecies<Float> species) {
        this.species = species;
    }

    VectorSpecies<Float> species() {
        return species;
    }

    /** Panel width of packed B: two vectors. */
    static int panelWidth(VectorSpecies<Float> species) {
        return 2 * species.length();
    }

    void gemm(boolean transA, int m, float alpha, float[] a, int aOff, int lda, PackedMatrix b, float beta,
            float[] c, int cOff, int ldc) {
        int k = b.rows();
        int n = b.cols();
        int lanes = species.length();
        float[] bp = b.data();
        for (int i = 0; i < m; i++) {
            for (int q = 0; q < b.panels(); q++) {
                FloatVector acc0 = FloatVector.zero(species);
                FloatVector acc1 = FloatVector.zero(species);
                int off = b.offset(q, 0);
                for (int p = 0; p < k; p++) {
                    float ap = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    FloatVector av = FloatVector.broadcast(species, ap);
                    acc0 = fma(av, FloatVector.fromArray(species, bp, off), acc0);
                    acc1 = fma(av, FloatVector.fromArray(species, bp, off + lanes), acc1);
                    off += 2 * lanes;
                }
                int col = q * 2 * lanes;
                int row = cOff + i * ldc;
                store(acc0, alpha, beta, c, row + col, n - col);
                store(acc1, alpha, beta, c, row + col + lanes, n - col - lanes);
            }
        }
    }

    private void store(FloatVector acc, float alpha, float beta, float[] c, int at, int valid) {
        if (valid <= 0) {
            return;
        }
        VectorMask<Float> mask = species.indexInRange(0, valid);
        FloatVector r = acc.mul(alpha);
        if (beta != 0f) {
            r = r.add(FloatVector.fromArray(species, c, at, mask).mul(beta));
        }
        r.intoArray(c, at, mask);
    }
}
