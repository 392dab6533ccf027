package io.rnn4j.kernels.simd.gemm;

import io.rnn4j.kernels.simd.platform.SimdThreads;

/**
 * Single-precision GEMM on row-major float arrays with BLAS semantics, vectorized with the Vector
 * API: a register-blocked micro-kernel ({@link MicroKernel}) inside cache-blocked, packed loops
 * ({@link GemmLoops}), split over {@link SimdThreads} for shapes large enough to pay.
 *
 * <p><b>Floor.</b> {@code 2·m·n·k} flops at the FMA peak. On the reference machine (2-core Xeon
 * under KVM, AVX-512 with two FMA ports: 64 flops per cycle) a pure-FMA loop measured about 228
 * GFLOP/s per core. Bytes, at the LSTM shapes (M, N, K):
 * <ul>
 *   <li>(64, 1024, 256): 34 MFLOP, 147 µs at peak; A 64 KB, packed B 1 MB, C 256 KB, all from L2
 *       (about 9 GB/s): compute-bound.
 *   <li>(3200, 1024, 64): 419 MFLOP, 1.84 ms at peak; C is 13 MB written to memory, 0.46 ms on
 *       its own (a fill measured 28 GB/s), so about 80 % of peak is the ceiling unless the writes
 *       overlap the FMAs completely.
 *   <li>(256, 2048, 512): 537 MFLOP, 2.35 ms at peak; B is 4 MB (L3), read once per 512-column
 *       block and then reused from L2 by every block of A rows: compute-bound.
 * </ul>
 * Measured single-threaded with packed B (best 3 ms slice of several runs on the shared, noisy
 * machine, peak measured in the same runs): about 205, 150–185 and 150–165 GFLOP/s, that is 90 %,
 * 65–80 % and 65–73 % of the peak. With two threads the best slices reached 1.5–1.8× that; the
 * other core was rarely free enough to say more.
 *
 * <p>Results are bit-identical for any thread count. Every call with {@code m·n·k} above about a
 * million runs on the kernel threads; smaller ones on the caller.
 */
public final class Sgemm {
    private Sgemm() {
    }

    /**
     * {@code C = alpha · op(A) · op(B) + beta · C}, row-major, BLAS semantics: op(A) is m×k (A
     * stored k×m when {@code transA}), op(B) is k×n (B stored n×k when {@code transB}), C is m×n;
     * {@code lda}, {@code ldb}, {@code ldc} are row strides. With {@code beta == 0} C is not read
     * (NaN in C does not propagate).
     *
     * @throws IllegalArgumentException if a size is negative, a stride too small or an array too
     *     short; nothing is written then
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
            int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        GemmChecks.matrix("A", transA, m, k, a, aOff, lda);
        GemmChecks.matrix("B", transB, k, n, b, bOff, ldb);
        GemmChecks.matrix("C", false, m, n, c, cOff, ldc);
        GemmLoops.gemm(transA, m, n, k, alpha, a, aOff, lda, null, transB, b, bOff, ldb, beta, c, cOff, ldc,
                SimdThreads.threads());
    }

    /**
     * The same with B already packed ({@link PackedMatrix#pack}): n, k and B's transpose come from
     * the packing.
     *
     * @throws IllegalArgumentException as above
     */
    public static void gemm(boolean transA, int m, float alpha, float[] a, int aOff, int lda, PackedMatrix b,
            float beta, float[] c, int cOff, int ldc) {
        if (b == null) {
            throw new IllegalArgumentException("B: expected a PackedMatrix, got null");
        }
        GemmChecks.matrix("A", transA, m, b.rows(), a, aOff, lda);
        GemmChecks.matrix("C", false, m, b.cols(), c, cOff, ldc);
        GemmLoops.gemm(transA, m, b.cols(), b.rows(), alpha, a, aOff, lda, b, false, null, 0, 0, beta, c, cOff, ldc,
                SimdThreads.threads());
    }
}
