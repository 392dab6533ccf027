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
 * Measured 2026-11-27 with B packed once (scratch harness, best of three interleaved 1 s rounds
 * of 20 calls, 12-row tiles; the FMA-loop peak 220–223 GFLOP/s in the same run): one thread 211,
 * 172 and 192 GFLOP/s, that is 95 %, 78 % and 87 % of the peak; two threads 398, 331 and 380
 * GFLOP/s, 1.89×, 1.93× and 1.98× one thread. (With 8-row tiles, earlier: 189–190, 153–158,
 * 169–183; two threads 1.80–2.00×.) The LSTM step's product ({@link #gemmStacked}, 32×1024 from
 * [x_t h]·[W; U] with K = 64 + 256, plus the bias) runs at about 216 GFLOP/s on one thread and
 * 206–209 on each of two at once. The micro-kernel's loop is 12 broadcasts, 2 loads and 24 FMAs
 * with no bounds checks or spills (read in the C2 code); with 8 rows a single L1-resident tile at
 * kc = 320 reached 94 % of the peak, a tile whose B panel streams from L2 83 %. At K = 64
 * writing the 13 MB of C caps the second shape.
 *
 * <p>Results are bit-identical for any thread count. Every call with {@code m·n·k} above about a
 * million runs on the kernel threads; smaller ones on the caller. The overloads with a
 * {@code threads} argument cap that: callers that already split their work over the kernel threads
 * (the fused RNN kernels give each thread a block of batch rows) pass 1, so that each step's GEMM
 * runs on its own thread instead of queueing jobs the other, busy, thread never takes.
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
        gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, SimdThreads.threads());
    }

    /**
     * The same on at most {@code threads} threads (the caller's included; 1 runs on the caller
     * alone). The result is the same bits for any value.
     *
     * @throws IllegalArgumentException as above, or if {@code threads < 1}
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
            int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc, int threads) {
        GemmChecks.matrix("A", transA, m, k, a, aOff, lda);
        GemmChecks.matrix("B", transB, k, n, b, bOff, ldb);
        GemmChecks.matrix("C", false, m, n, c, cOff, ldc);
        threads(threads);
        GemmLoops.gemm(transA, m, n, k, alpha, a, aOff, lda, null, transB, b, bOff, ldb, beta, c, cOff, ldc, threads);
    }

    /**
     * The same with B already packed ({@link PackedMatrix#pack}): n, k and B's transpose come from
     * the packing.
     *
     * @throws IllegalArgumentException as above
     */
    public static void gemm(boolean transA, int m, float alpha, float[] a, int aOff, int lda, PackedMatrix b,
            float beta, float[] c, int cOff, int ldc) {
        gemm(transA, m, alpha, a, aOff, lda, b, beta, c, cOff, ldc, SimdThreads.threads());
    }

    /**
     * The same with B packed, on at most {@code threads} threads (1: the caller alone).
     *
     * @throws IllegalArgumentException as above, or if {@code threads < 1}
     */
    public static void gemm(boolean transA, int m, float alpha, float[] a, int aOff, int lda, PackedMatrix b,
            float beta, float[] c, int cOff, int ldc, int threads) {
        if (b == null) {
            throw new IllegalArgumentException("B: expected a PackedMatrix, got null");
        }
        GemmChecks.matrix("A", transA, m, b.rows(), a, aOff, lda);
        GemmChecks.matrix("C", false, m, b.cols(), c, cOff, ldc);
        threads(threads);
        GemmLoops.gemm(transA, m, b.cols(), b.rows(), alpha, a, aOff, lda, b, false, null, 0, 0, beta, c, cOff, ldc,
                threads);
    }

    /**
     * {@code C = [A1 A2] · B + bias} with B packed, on at most {@code threads} threads: op(A)'s
     * first {@code k1} columns are the row-major A1 ({@code a1}, m×k1), its other
     * {@code B.rows() − k1} the row-major A2 ({@code a2}); {@code bias}, when not null, holds n
     * floats added to every row of C (C is not read). One product over a stacked B = [B1; B2]
     * instead of two: a recurrent step's {@code x·W + h·U + b} passes over C once.
     *
     * @throws IllegalArgumentException if {@code b} is null, k1 is outside [0, B.rows()], a stride
     *     is too small, an array too short or {@code threads < 1}; nothing is written then
     */
    public static void gemmStacked(int m, float[] a1, int a1Off, int lda1, int k1, float[] a2, int a2Off, int lda2,
            PackedMatrix b, float[] bias, int biasOff, float[] c, int cOff, int ldc, int threads) {
        if (b == null) {
            throw new IllegalArgumentException("B: expected a PackedMatrix, got null");
        }
        int k = b.rows();
        int n = b.cols();
        if (k1 < 0 || k1 > k) {
            throw new IllegalArgumentException("k1: expected 0 to " + k + " (B's rows), got " + k1);
        }
        GemmChecks.matrix("A1", false, m, k1, a1, a1Off, lda1);
        if (k1 < k) {
            GemmChecks.matrix("A2", false, m, k - k1, a2, a2Off, lda2);
        }
        if (bias != null) {
            GemmChecks.matrix("bias", false, 1, n, bias, biasOff, Math.max(1, n));
        }
        GemmChecks.matrix("C", false, m, n, c, cOff, ldc);
        threads(threads);
        GemmLoops.gemm(false, m, n, k, 1f, a1, a1Off, lda1, k1, a2, a2Off, lda2, b, false, null, 0, 0, 0f, bias,
                biasOff, c, cOff, ldc, threads);
    }

    private static void threads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("gemm threads: expected at least 1, got " + threads);
        }
    }
}
