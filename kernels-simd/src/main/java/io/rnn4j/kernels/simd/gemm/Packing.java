package io.rnn4j.kernels.simd.gemm;

import static io.rnn4j.kernels.simd.gemm.MicroKernel.MR;
import static io.rnn4j.kernels.simd.gemm.MicroKernel.NR;

import java.util.Arrays;

/**
 * Copies blocks of A and B into the layouts {@link MicroKernel} streams, resolving transposes and
 * padding with zeros, so the micro-kernel reads both operands contiguously and never needs a tail.
 */
final class Packing {
    private Packing() {
    }

    /**
     * Packs op(B)[pc..pc+kc)[q·NR..) for panels {@code q0 ≤ q < q1} into {@code dst} at
     * {@code dstOff}: panel after panel, each kc rows of NR floats, zero past column n. B is stored
     * k×n, or n×k with {@code transB}.
     */
    static void packB(boolean transB, int n, float[] b, int bOff, int ldb, int pc, int kc, int q0, int q1, float[] dst,
            int dstOff) {
        for (int q = q0; q < q1; q++) {
            int col0 = q * NR;
            int width = Math.min(NR, n - col0);
            int panel = dstOff + (q - q0) * kc * NR;
            if (transB) {
                for (int j = 0; j < width; j++) {
                    int src = bOff + (col0 + j) * ldb + pc;
                    for (int p = 0; p < kc; p++) {
                        dst[panel + p * NR + j] = b[src + p];
                    }
                }
                if (width < NR) {
                    for (int p = 0; p < kc; p++) {
                        Arrays.fill(dst, panel + p * NR + width, panel + (p + 1) * NR, 0f);
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int row = panel + p * NR;
                    System.arraycopy(b, bOff + (pc + p) * ldb + col0, dst, row, width);
                    if (width < NR) {
                        Arrays.fill(dst, row + width, row + NR, 0f);
                    }
                }
            }
        }
    }

    /**
     * Packs op(A)[ic..ic+mc)[pc..pc+kc) into {@code dst} from 0: MR-row panels, each kc steps of MR
     * floats (one column of the panel), zero past row ic+mc. A is stored m×k, or k×m with
     * {@code transA}.
     */
    static void packA(boolean transA, float[] a, int aOff, int lda, int ic, int mc, int pc, int kc, float[] dst) {
        for (int r0 = 0; r0 < mc; r0 += MR) {
            int rows = Math.min(MR, mc - r0);
            int panel = r0 * kc;
            if (transA && rows == MR) {
                // Stored k×m: each step's MR values are contiguous; arraycopy is about 2× faster than a short loop.
                for (int p = 0; p < kc; p++) {
                    System.arraycopy(a, aOff + (pc + p) * lda + ic + r0, dst, panel + p * MR, MR);
                }
            } else if (transA) {
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (pc + p) * lda + ic + r0;
                    int at = panel + p * MR;
                    for (int r = 0; r < rows; r++) {
                        dst[at + r] = a[src + r];
                    }
                    for (int r = rows; r < MR; r++) {
                        dst[at + r] = 0f;
                    }
                }
            } else {
                for (int r = 0; r < rows; r++) {
                    int src = aOff + (ic + r0 + r) * lda + pc;
                    for (int p = 0; p < kc; p++) {
                        dst[panel + p * MR + r] = a[src + p];
                    }
                }
                for (int r = rows; r < MR; r++) {
                    for (int p = 0; p < kc; p++) {
                        dst[panel + p * MR + r] = 0f;
                    }
                }
            }
        }
    }
}
