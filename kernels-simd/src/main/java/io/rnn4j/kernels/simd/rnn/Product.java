package io.rnn4j.kernels.simd.rnn;

import io.rnn4j.kernels.simd.gemm.Gemv;
import io.rnn4j.kernels.simd.gemm.PackedMatrix;
import io.rnn4j.kernels.simd.gemm.Sgemm;

/**
 * A recurrent product {@code C (+)= A · M} with M packed: a GEMV when the whole batch is one row
 * (the latency case, bound by streaming M from cache), a packed GEMM otherwise. Which one is
 * decided by the batch, never by how rows are split over threads, so every row is computed the
 * same way whatever the thread count.
 */
final class Product {
    private final Gemv gemv;
    private final PackedMatrix packed;

    private Product(Gemv gemv, PackedMatrix packed) {
        this.gemv = gemv;
        this.packed = packed;
    }

    static Product of(Gemv gemv) {
        return new Product(gemv, null);
    }

    static Product of(PackedMatrix packed) {
        return new Product(null, packed);
    }

    /** {@code C = A · M} or, with {@code accumulate}, {@code C += A · M}, for {@code rows} rows. */
    void multiply(int rows, float[] a, int aOff, int lda, float[] c, int cOff, int ldc, boolean accumulate) {
        if (gemv != null) {
            gemv.multiply(a, aOff, c, cOff, accumulate);
        } else {
            Sgemm.gemm(false, rows, 1f, a, aOff, lda, packed, accumulate ? 1f : 0f, c, cOff, ldc);
        }
    }
}
