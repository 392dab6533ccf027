package io.rnn4j.kernels.simd.rnn;

import io.rnn4j.kernels.simd.gemm.Gemv;
import io.rnn4j.kernels.simd.gemm.PackedMatrix;
import io.rnn4j.kernels.simd.gemm.Sgemm;

/**
 * A recurrent product {@code C (+)= A · M} with M packed: GEMVs over a few rows at once when the
 * batch is small (the latency cases, bound by streaming M from cache; see
 * {@code CellKernel.GEMV_BATCH}), a packed GEMM otherwise. Which one is decided by the batch, never
 * by how rows are split over threads, and a GEMV row's bits do not depend on the rows beside it, so
 * every row is computed the same way whatever the thread count.
 *
 * <p>A kernel owns its products and points them at the packed weights once per call, before its
 * threads start ({@link #use}), so a call allocates none.
 */
final class Product {
    private Gemv gemv;
    private PackedMatrix packed;
    private int threads = 1;

    /** Multiplies by {@code m} from now on. */
    void use(Gemv m) {
        gemv = m;
        packed = null;
    }

    /** Multiplies by {@code m} from now on, a GEMM on at most {@code threads} threads. */
    void use(PackedMatrix m, int threads) {
        gemv = null;
        packed = m;
        this.threads = threads;
    }

    /** Forgets the weights (a pooled kernel must not keep them alive). */
    void clear() {
        gemv = null;
        packed = null;
    }

    /** {@code C = A · M} or, with {@code accumulate}, {@code C += A · M}, for {@code rows} rows. */
    void multiply(int rows, float[] a, int aOff, int lda, float[] c, int cOff, int ldc, boolean accumulate) {
        if (gemv != null) {
            gemv.multiply(rows, a, aOff, lda, c, cOff, ldc, accumulate);
        } else {
            Sgemm.gemm(false, rows, 1f, a, aOff, lda, packed, accumulate ? 1f : 0f, c, cOff, ldc, threads);
        }
    }
}
