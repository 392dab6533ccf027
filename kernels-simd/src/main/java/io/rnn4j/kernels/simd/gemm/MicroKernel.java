package io.rnn4j.kernels.simd.gemm;

import static io.rnn4j.kernels.simd.platform.SimdConstants.fma;

import io.rnn4j.kernels.simd.platform.SimdConstants;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked GEMM micro-kernel: one MR×NR tile of C from an MR-row panel of packed A and
 * an NR-column panel of packed B, {@code kc} deep, accumulated entirely in vector registers.
 *
 * <p><b>Shape.</b> NR is two vectors. Each step of the k loop loads two vectors of B, broadcasts MR
 * values of A and issues 2·MR independent FMAs into 2·MR accumulators. An FMA has about 4 cycles of
 * latency and two issue ports, so at least 8 chains must be in flight; more accumulators amortise
 * the two B loads over more FMAs, bounded by the register file: with 32 vector registers MR = 8
 * (16 accumulators + 2 B + 1 broadcast), with 16 (AVX2) MR = 6 (12 + 2 + 1). MR follows the width:
 * 512 bits means AVX-512 and 32 registers; narrower widths get 6, which is safe on AVX2 (NEON, or a
 * forced narrower width on AVX-512, has 32 registers and could take 8; not measured). On this machine (Xeon, AVX-512, 2 FMA ports) a throwaway harness
 * measured, for a 192×1024×256 block from L2 and a pure-FMA peak of about 228 GFLOP/s per core:
 * 8×2 vectors about 177 GFLOP/s, 12×2 about 185, 6×2 about 160, 4×4 about 130.
 *
 * <p><b>Floor.</b> Per k step: 2·MR FMAs (MR cycles at two per cycle) against 2 vector loads and MR
 * broadcast loads, which fit the load ports; so the kernel is FMA-bound as long as B's panel
 * ({@code kc}·NR·4 bytes, 64 KB at KC = 512) streams from L1 or L2 at 2 vectors per MR cycles (16
 * bytes per cycle at 512 bits) and A's from L1. C costs one load and store per tile per
 * {@code kc}, about 1/kc of the FMAs.
 *
 * <p><b>Tails.</b> This kernel has no tail loops: the callers pad A's panels to MR rows and B's to NR
 * columns with zeros and route partial tiles through {@link #edge}, which lets the register tile
 * always be full. All vectors live inside one method body: a method that takes or returns vectors and
 * is not inlined boxes them.
 *
 * <p><b>Rounding.</b> Every element is {@code fma}-accumulated over p in order, then either set to
 * {@code alpha·acc} or updated to {@code fma(alpha, acc, c)}, the same whichever tile, thread or
 * path (full or edge) computes it, so results do not depend on the thread count.
 */
final class MicroKernel {
    static final VectorSpecies<Float> S = SimdConstants.SPECIES;
    static final int LANES = S.length();
    /** Columns of a tile and of a packed B panel: two vectors. */
    static final int NR = 2 * LANES;
    /** Rows of a tile and of a packed A panel. */
    static final int MR = S.vectorBitSize() >= 512 ? 8 : 6;

    private MicroKernel() {
    }

    /**
     * C[0..MR)[0..NR) at {@code cOff} (row stride {@code ldc}) = {@code alpha·acc} when
     * {@code set}, else {@code += alpha·acc}, where acc = Σ_p A[p][r]·B[p][j] over the packed A
     * panel at {@code aOff} (MR floats per p) and packed B panel at {@code bOff} (NR floats per p).
     */
    static void tile(float[] a, int aOff, float[] b, int bOff, int kc, float[] c, int cOff, int ldc, float alpha,
            boolean set) {
        if (MR == 8) {
            kernel8(a, aOff, b, bOff, kc, c, cOff, ldc, alpha, set);
        } else {
            kernel6(a, aOff, b, bOff, kc, c, cOff, ldc, alpha, set);
        }
    }

    /**
     * A partial tile ({@code rows} ≤ MR, {@code cols} ≤ NR): the full tile goes to {@code scratch}
     * (MR·NR floats), then only the valid part reaches C, with the same arithmetic as a full tile.
     */
    static void edge(float[] a, int aOff, float[] b, int bOff, int kc, float[] scratch, int rows, int cols, float[] c,
            int cOff, int ldc, float alpha, boolean set) {
        tile(a, aOff, b, bOff, kc, scratch, 0, NR, 1f, true);
        for (int r = 0; r < rows; r++) {
            int row = cOff + r * ldc;
            for (int j = 0; j < cols; j++) {
                float acc = scratch[r * NR + j];
                c[row + j] = set ? alpha * acc : fma(alpha, acc, c[row + j]);
            }
        }
    }

    /** The 8×NR tile: 16 accumulators (see the class comment for why 8). */
    private static void kernel8(float[] a, int aOff, float[] b, int bOff, int kc, float[] c, int cOff, int ldc,
            float alpha, boolean set) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        FloatVector c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00;
        FloatVector c50 = c00, c51 = c00;
        FloatVector c60 = c00, c61 = c00;
        FloatVector c70 = c00, c71 = c00;
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * NR;
            int ai = aOff + p * 8;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + LANES);
            FloatVector a0 = FloatVector.broadcast(S, a[ai]);
            c00 = fma(a0, b0, c00);
            c01 = fma(a0, b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ai + 1]);
            c10 = fma(a1, b0, c10);
            c11 = fma(a1, b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[ai + 2]);
            c20 = fma(a2, b0, c20);
            c21 = fma(a2, b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ai + 3]);
            c30 = fma(a3, b0, c30);
            c31 = fma(a3, b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, a[ai + 4]);
            c40 = fma(a4, b0, c40);
            c41 = fma(a4, b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, a[ai + 5]);
            c50 = fma(a5, b0, c50);
            c51 = fma(a5, b1, c51);
            FloatVector a6 = FloatVector.broadcast(S, a[ai + 6]);
            c60 = fma(a6, b0, c60);
            c61 = fma(a6, b1, c61);
            FloatVector a7 = FloatVector.broadcast(S, a[ai + 7]);
            c70 = fma(a7, b0, c70);
            c71 = fma(a7, b1, c71);
        }
        FloatVector al = FloatVector.broadcast(S, alpha);
        // Written out rather than through a helper: a helper taking vectors that C2 declines to
        // inline (it did, for a 39-byte one) boxes every accumulator.
        if (set) {
            c00.mul(al).intoArray(c, cOff);
            c01.mul(al).intoArray(c, cOff + LANES);
            c10.mul(al).intoArray(c, cOff + 1 * ldc);
            c11.mul(al).intoArray(c, cOff + 1 * ldc + LANES);
            c20.mul(al).intoArray(c, cOff + 2 * ldc);
            c21.mul(al).intoArray(c, cOff + 2 * ldc + LANES);
            c30.mul(al).intoArray(c, cOff + 3 * ldc);
            c31.mul(al).intoArray(c, cOff + 3 * ldc + LANES);
            c40.mul(al).intoArray(c, cOff + 4 * ldc);
            c41.mul(al).intoArray(c, cOff + 4 * ldc + LANES);
            c50.mul(al).intoArray(c, cOff + 5 * ldc);
            c51.mul(al).intoArray(c, cOff + 5 * ldc + LANES);
            c60.mul(al).intoArray(c, cOff + 6 * ldc);
            c61.mul(al).intoArray(c, cOff + 6 * ldc + LANES);
            c70.mul(al).intoArray(c, cOff + 7 * ldc);
            c71.mul(al).intoArray(c, cOff + 7 * ldc + LANES);
        } else {
            fma(al, c00, FloatVector.fromArray(S, c, cOff)).intoArray(c, cOff);
            fma(al, c01, FloatVector.fromArray(S, c, cOff + LANES)).intoArray(c, cOff + LANES);
            fma(al, c10, FloatVector.fromArray(S, c, cOff + 1 * ldc)).intoArray(c, cOff + 1 * ldc);
            fma(al, c11, FloatVector.fromArray(S, c, cOff + 1 * ldc + LANES)).intoArray(c, cOff + 1 * ldc + LANES);
            fma(al, c20, FloatVector.fromArray(S, c, cOff + 2 * ldc)).intoArray(c, cOff + 2 * ldc);
            fma(al, c21, FloatVector.fromArray(S, c, cOff + 2 * ldc + LANES)).intoArray(c, cOff + 2 * ldc + LANES);
            fma(al, c30, FloatVector.fromArray(S, c, cOff + 3 * ldc)).intoArray(c, cOff + 3 * ldc);
            fma(al, c31, FloatVector.fromArray(S, c, cOff + 3 * ldc + LANES)).intoArray(c, cOff + 3 * ldc + LANES);
            fma(al, c40, FloatVector.fromArray(S, c, cOff + 4 * ldc)).intoArray(c, cOff + 4 * ldc);
            fma(al, c41, FloatVector.fromArray(S, c, cOff + 4 * ldc + LANES)).intoArray(c, cOff + 4 * ldc + LANES);
            fma(al, c50, FloatVector.fromArray(S, c, cOff + 5 * ldc)).intoArray(c, cOff + 5 * ldc);
            fma(al, c51, FloatVector.fromArray(S, c, cOff + 5 * ldc + LANES)).intoArray(c, cOff + 5 * ldc + LANES);
            fma(al, c60, FloatVector.fromArray(S, c, cOff + 6 * ldc)).intoArray(c, cOff + 6 * ldc);
            fma(al, c61, FloatVector.fromArray(S, c, cOff + 6 * ldc + LANES)).intoArray(c, cOff + 6 * ldc + LANES);
            fma(al, c70, FloatVector.fromArray(S, c, cOff + 7 * ldc)).intoArray(c, cOff + 7 * ldc);
            fma(al, c71, FloatVector.fromArray(S, c, cOff + 7 * ldc + LANES)).intoArray(c, cOff + 7 * ldc + LANES);
        }
    }

    /** The 6×NR tile: 12 accumulators (see the class comment for why 6). */
    private static void kernel6(float[] a, int aOff, float[] b, int bOff, int kc, float[] c, int cOff, int ldc,
            float alpha, boolean set) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        FloatVector c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00;
        FloatVector c50 = c00, c51 = c00;
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * NR;
            int ai = aOff + p * 6;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + LANES);
            FloatVector a0 = FloatVector.broadcast(S, a[ai]);
            c00 = fma(a0, b0, c00);
            c01 = fma(a0, b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ai + 1]);
            c10 = fma(a1, b0, c10);
            c11 = fma(a1, b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[ai + 2]);
            c20 = fma(a2, b0, c20);
            c21 = fma(a2, b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ai + 3]);
            c30 = fma(a3, b0, c30);
            c31 = fma(a3, b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, a[ai + 4]);
            c40 = fma(a4, b0, c40);
            c41 = fma(a4, b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, a[ai + 5]);
            c50 = fma(a5, b0, c50);
            c51 = fma(a5, b1, c51);
        }
        FloatVector al = FloatVector.broadcast(S, alpha);
        // Written out rather than through a helper: a helper taking vectors that C2 declines to
        // inline (it did, for a 39-byte one) boxes every accumulator.
        if (set) {
            c00.mul(al).intoArray(c, cOff);
            c01.mul(al).intoArray(c, cOff + LANES);
            c10.mul(al).intoArray(c, cOff + 1 * ldc);
            c11.mul(al).intoArray(c, cOff + 1 * ldc + LANES);
            c20.mul(al).intoArray(c, cOff + 2 * ldc);
            c21.mul(al).intoArray(c, cOff + 2 * ldc + LANES);
            c30.mul(al).intoArray(c, cOff + 3 * ldc);
            c31.mul(al).intoArray(c, cOff + 3 * ldc + LANES);
            c40.mul(al).intoArray(c, cOff + 4 * ldc);
            c41.mul(al).intoArray(c, cOff + 4 * ldc + LANES);
            c50.mul(al).intoArray(c, cOff + 5 * ldc);
            c51.mul(al).intoArray(c, cOff + 5 * ldc + LANES);
        } else {
            fma(al, c00, FloatVector.fromArray(S, c, cOff)).intoArray(c, cOff);
            fma(al, c01, FloatVector.fromArray(S, c, cOff + LANES)).intoArray(c, cOff + LANES);
            fma(al, c10, FloatVector.fromArray(S, c, cOff + 1 * ldc)).intoArray(c, cOff + 1 * ldc);
            fma(al, c11, FloatVector.fromArray(S, c, cOff + 1 * ldc + LANES)).intoArray(c, cOff + 1 * ldc + LANES);
            fma(al, c20, FloatVector.fromArray(S, c, cOff + 2 * ldc)).intoArray(c, cOff + 2 * ldc);
            fma(al, c21, FloatVector.fromArray(S, c, cOff + 2 * ldc + LANES)).intoArray(c, cOff + 2 * ldc + LANES);
            fma(al, c30, FloatVector.fromArray(S, c, cOff + 3 * ldc)).intoArray(c, cOff + 3 * ldc);
            fma(al, c31, FloatVector.fromArray(S, c, cOff + 3 * ldc + LANES)).intoArray(c, cOff + 3 * ldc + LANES);
            fma(al, c40, FloatVector.fromArray(S, c, cOff + 4 * ldc)).intoArray(c, cOff + 4 * ldc);
            fma(al, c41, FloatVector.fromArray(S, c, cOff + 4 * ldc + LANES)).intoArray(c, cOff + 4 * ldc + LANES);
            fma(al, c50, FloatVector.fromArray(S, c, cOff + 5 * ldc)).intoArray(c, cOff + 5 * ldc);
            fma(al, c51, FloatVector.fromArray(S, c, cOff + 5 * ldc + LANES)).intoArray(c, cOff + 5 * ldc + LANES);
        }
    }
}
