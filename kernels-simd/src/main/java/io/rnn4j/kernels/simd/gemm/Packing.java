package io.rnn4j.kernels.simd.gemm;

import static io.rnn4j.kernels.simd.gemm.MicroKernel.NR;

import static io.rnn4j.kernels.simd.gemm.MicroKernel.MR;

import io.rnn4j.kernels.simd.platform.AlignedFloats;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Copies blocks of A and B into the layouts {@link MicroKernel} streams, resolving transposes and
 * padding with zeros, so the micro-kernel reads both operands contiguously and never needs a tail.
 */
final class Packing {
    private static final VectorSpecies<Float> S = MicroKernel.S;
    private static final int LANES = MicroKernel.LANES;
    private static final ByteOrder ORDER = AlignedFloats.ORDER;

    private Packing() {
    }

    /**
     * Packs op(B)[pc..pc+kc)[q·NR..) for panels {@code q0 ≤ q < q1} into the aligned {@code dst}
     * from float index {@code dstOff}: panel after panel, each kc rows of NR floats, zero past column n. B is stored
     * k×n, or n×k with {@code transB}.
     */
    static void packB(boolean transB, int n, float[] b, int bOff, int ldb, int pc, int kc, int q0, int q1,
            MemorySegment dst, long dstOff) {
        if (transB) {
            packTransposedB(n, b, bOff, ldb, pc, kc, q0, q1, dst, dstOff);
            return;
        }
        // Panel by panel: each row piece is two vectors, which copy faster than a 128-byte
        // arraycopy call. (Row by row of B into every panel, B read front to back, measured
        // slower: 57 against 43 µs for 256×1024, the writes then scattered over 32 panels.)
        for (int q = q0; q < q1; q++) {
            int col0 = q * NR;
            int width = Math.min(NR, n - col0);
            long panel = dstOff + (long) (q - q0) * kc * NR;
            int src = bOff + pc * ldb + col0;
            if (width == NR) {
                for (int p = 0; p < kc; p++, src += ldb) {
                    long row = (panel + (long) p * NR) * Float.BYTES;
                    FloatVector.fromArray(S, b, src).intoMemorySegment(dst, row, ORDER);
                    FloatVector.fromArray(S, b, src + LANES).intoMemorySegment(dst, row + LANES * Float.BYTES, ORDER);
                }
            } else {
                for (int p = 0; p < kc; p++, src += ldb) {
                    long row = panel + (long) p * NR;
                    AlignedFloats.copy(b, src, dst, row, width);
                    dst.asSlice((row + width) * Float.BYTES, (long) (NR - width) * Float.BYTES).fill((byte) 0);
                }
            }
        }
    }

    /** {@link #packB} for B stored n×k: each panel column is a contiguous run of a row of B. */
    private static void packTransposedB(int n, float[] b, int bOff, int ldb, int pc, int kc, int q0, int q1,
            MemorySegment dst, long dstOff) {
        for (int q = q0; q < q1; q++) {
            int col0 = q * NR;
            int width = Math.min(NR, n - col0);
            long panel = dstOff + (long) (q - q0) * kc * NR;
            for (int j = 0; j < width; j++) {
                int src = bOff + (col0 + j) * ldb + pc;
                for (int p = 0; p < kc; p++) {
                    dst.setAtIndex(AlignedFloats.FLOAT, panel + (long) p * NR + j, b[src + p]);
                }
            }
            if (width < NR) {
                for (int p = 0; p < kc; p++) {
                    long row = panel + (long) p * NR;
                    dst.asSlice((row + width) * Float.BYTES, (long) (NR - width) * Float.BYTES).fill((byte) 0);
                }
            }
        }
    }

    /**
     * Packs op(A)[ic..ic+mc)[pc..pc+kc) into {@code dst} from 0 as the row panels {@link MicroKernel}
     * reads: row r at {@code r·AS}, kc floats, rows past mc up to a whole panel (MR) zero. op(A)'s
     * first {@code k1} columns come from {@code a} (stored m×k1, or k×m with {@code transA}), the
     * rest from {@code a2} (stored m×(k − k1); not with transA).
     */
    static void packA(boolean transA, float[] a, int aOff, int lda, int k1, float[] a2, int a2Off, int lda2, int ic,
            int mc, int pc, int kc, float[] dst) {
        int as = MicroKernel.AS;
        if (transA) {
            // Row p of the stored A holds column p of op(A): contiguous reads, stores AS apart, in
            // blocks of rows so that the lines written stay in L1 while a block fills.
            for (int r0 = 0; r0 < mc; r0 += 16) {
                int r1 = Math.min(mc, r0 + 16);
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (pc + p) * lda + ic;
                    for (int r = r0; r < r1; r++) {
                        dst[r * as + p] = a[src + r];
                    }
                }
            }
        } else {
            int n1 = Math.clamp(k1 - pc, 0, kc);
            int from2 = Math.max(0, pc - k1);
            for (int r = 0; r < mc; r++) {
                if (n1 > 0) {
                    System.arraycopy(a, aOff + (ic + r) * lda + pc, dst, r * as, n1);
                }
                if (n1 < kc) {
                    System.arraycopy(a2, a2Off + (ic + r) * lda2 + from2, dst, r * as + n1, kc - n1);
                }
            }
        }
        for (int r = mc; r < Math.ceilDiv(mc, MR) * MR; r++) {
            Arrays.fill(dst, r * as, r * as + kc, 0f);
        }
    }
}
