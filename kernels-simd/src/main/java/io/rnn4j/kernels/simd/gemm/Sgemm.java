package io.rnn4j.kernels.simd.gemm;

/**
 * Single-precision GEMM on row-major float arrays with BLAS semantics, vectorized with the Vector
 * API.
 */
public final class Sgemm {
    private Sgemm() {
    }

    /**
     * {@code C = alpha · op(A) · op(B) + beta · C}, row-major, BLAS semantics: op(A) is m×k (A
     * stored k×m when {@code transA}), op(B) is k×n (B stored n×k when {@code transB}), C is m×n;
     * {@code lda}, {@code ldb}, {@code ldc} are row strides. With {@code beta == 0} C is not read.
     *
     * @throws IllegalArgumentException if a size is negative, a stride too small or an array too
     *     short; nothing is written then
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
            int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        GemmChecks.matrix("A", transA, m, k, a, aOff, lda);
        GemmChecks.matrix("C", false, m, n, c, cOff, ldc);
        PackedMatrix packed = PackedMatrix.pack(transB, k, n, b, bOff, ldb);
        GemmKernel.PREFERRED.gemm(transA, m, alpha, a, aOff, lda, packed, beta, c, cOff, ldc);
    }

    /**
     * The same with B already packed ({@link PackedMatrix#pack}): n, k and B's transpose come from
     * the packing.
     *
     * @throws IllegalArgumentException as above
     */
    public static void gemm(boolean transA, int m, float alpha, float[] a, int aOff, int lda, PackedMatrix b,
            float beta, float[] c, int cOff, int ldc) {
        GemmChecks.matrix("A", transA, m, b.rows(), a, aOff, lda);
        GemmChecks.matrix("C", false, m, b.cols(), c, cOff, ldc);
        GemmKernel.PREFERRED.gemm(transA, m, alpha, a, aOff, lda, b, beta, c, cOff, ldc);
    }
}
