package io.rnn4j.kernels.simd.gemm;

import static io.rnn4j.kernels.simd.gemm.MicroKernel.MR;
import static io.rnn4j.kernels.simd.gemm.MicroKernel.NR;

import io.rnn4j.kernels.simd.platform.AlignedFloats;
import io.rnn4j.kernels.simd.platform.FreeList;
import io.rnn4j.kernels.simd.platform.SimdThreads;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The loops around {@link MicroKernel}: the split across threads, cache blocking over N, K and M,
 * and packing (BLIS's loop order, rewritten for row-major C with vectors along N).
 *
 * <pre>
 * for each thread's chunk (a range of B panels, or of A rows when M is the longer side)
 *   for jc in chunk's columns, NC at a time     B block KC×NC (1 MB): L2
 *     for pc in K, KC at a time                 (pack B block, unless pre-packed)
 *       for ic in chunk's rows, MC at a time    pack A block MC×KC, rows AS apart: L2
 *         for each B panel (NR columns)          B panel KC×NR, reused by every A panel
 *           for each A panel (MR rows)           micro-kernel: MR×NR tile of C
 * </pre>
 * (A block of at most {@code SmallTiles.WIDE_ROWS} rows takes four B panels at a time instead.)
 *
 * <p>Blocking only reorders tiles: each C element is the same fma chain over p (cut at the same
 * KC boundaries) whatever the chunk, tile or thread that computes it, so results are bit-identical
 * for any thread count. Chunks are contiguous ranges aligned to whole panels, so each element of C
 * has one writer.
 */
final class GemmLoops {
    /**
     * Depth of a block. A B panel is KC·NR·4 bytes (64 KB at 512 bits), streamed from L2 at about
     * 16 bytes per cycle, well within what L2 delivers; a deeper block halves the passes over C.
     * Measured here on 256×2048×512: KC = 512 about 150 GFLOP/s, 256 about 120, 128 worse; again
     * with A in row panels (2026-11-27, loaded machine, two runs): 512 160–165, 256 155, 192
     * 152–154, and no better at 256 or 192 for 32×1024×320 or 64×1024×256 either.
     */
    static final int KC = 512;
    /**
     * Rows of an A block, a multiple of MR: MC·AS·4 bytes (297 KB at MR = 12) stay in L2. A is
     * copied into it whether or not it is stored row-major: a row per arraycopy, into rows of a
     * constant stride the micro-kernel's broadcasts then address with fixed displacements.
     */
    static final int MC = 12 * MR;
    /**
     * Floats in a B block (KC×NC): 1 MB, half the L2 of this machine and a bound on the per-thread
     * buffer for raw B. NC follows from the depth: a shallow K gets wide blocks (at K = 64 the
     * whole of a 1024-column B is one block, and A is packed once), a deep K narrow ones (512
     * columns at K = 512), so the block stays in L2 while every block of A rows streams past it.
     */
    static final int B_BLOCK_FLOATS = 1 << 18;

    /**
     * Packing buffers, sized once and lent to one chunk at a time from a {@link FreeList} (no
     * allocation per GEMM once warm, and no buffer per thread that ever ran one).
     */
    private static final class Workspace {
        private static final FreeList<Workspace> FREE = new FreeList<>(FreeList.defaultSize(), Workspace::new);

        /** A block of op(A), packed ({@link Packing#packA}: MC rows, AS apart). */
        final float[] a = new float[MC * MicroKernel.AS];
        final float[] scratch = new float[MR * NR];
        private MemorySegment b;

        /** The raw-B block buffer (1 MB, aligned like packed weights), allocated on first use. */
        MemorySegment b() {
            if (b == null) {
                b = AlignedFloats.allocate(B_BLOCK_FLOATS);
            }
            return b;
        }
    }

    private GemmLoops() {
    }

    /**
     * C = alpha·op(A)·op(B) + beta·C, on up to {@code threads} threads. B is {@code packed}, or (when
     * that is null) the raw {@code b}, stored k×n or n×k with {@code transB}. Arguments are valid.
     */
    static void gemm(boolean transA, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
            PackedMatrix packed, boolean transB, float[] b, int bOff, int ldb, float beta, float[] c, int cOff,
            int ldc, int threads) {
        gemm(transA, m, n, k, alpha, a, aOff, lda, k, null, 0, 0, packed, transB, b, bOff, ldb, beta, null, 0, c, cOff,
                ldc, threads);
    }

    /**
     * The same with op(A)'s columns from two matrices and an optional bias row: op(A) is
     * {@code [A1 A2]}, A1 the first {@code k1} columns ({@code a}, row-major unless {@code transA}),
     * A2 the other k − k1 ({@code a2}, row-major; absent with transA, which needs k1 = k); with a
     * {@code bias} (n floats from {@code biasOff}), beta must be 0 and C = alpha·op(A)·op(B) + bias
     * in every row. Arguments are valid.
     */
    static void gemm(boolean transA, int m, int n, int k, float alpha, float[] a, int aOff, int lda, int k1,
            float[] a2, int a2Off, int lda2, PackedMatrix packed, boolean transB, float[] b, int bOff, int ldb,
            float beta, float[] bias, int biasOff, float[] c, int cOff, int ldc, int threads) {
        if (m == 0 || n == 0) {
            return;
        }
        int panels = Math.ceilDiv(n, NR);
        int rowPanels = Math.ceilDiv(m, MR);
        long flops = 2L * m * n * k;
        int chunks = flops < SimdThreads.MIN_PARALLEL_FLOPS ? 1 : Math.max(1, threads);
        // Split the longer of M and N. Each thread then re-reads only the smaller operand in full
        // (all of A when N is split, all of B when M is), keeps its slice of the larger one in its
        // own core's cache, and (splitting M) writes whole rows of C, so no cache line of C is
        // shared between threads except at one boundary.
        boolean byColumns = m <= n ? panels >= chunks : rowPanels < chunks;
        int parts = Math.min(chunks, byColumns ? panels : rowPanels);
        if (parts == 1) {
            // On the caller, without the lambda below: a call that captures allocates.
            block(transA, n, k, alpha, a, aOff, lda, k1, a2, a2Off, lda2, packed, transB, b, bOff, ldb, beta, bias,
                    biasOff, c, cOff, ldc, 0, m, 0, panels);
            return;
        }
        SimdThreads.forEachChunk(parts, flops, chunk -> {
            int q0 = 0;
            int q1 = panels;
            int i0 = 0;
            int i1 = m;
            if (byColumns) {
                q0 = (int) ((long) chunk * panels / parts);
                q1 = (int) ((long) (chunk + 1) * panels / parts);
            } else {
                i0 = MR * (int) ((long) chunk * rowPanels / parts);
                i1 = Math.min(m, MR * (int) ((long) (chunk + 1) * rowPanels / parts));
            }
            block(transA, n, k, alpha, a, aOff, lda, k1, a2, a2Off, lda2, packed, transB, b, bOff, ldb, beta, bias,
                    biasOff, c, cOff, ldc, i0, i1, q0, q1);
        });
    }

    /** Rows {@code [i0, i1)} and panels {@code [q0, q1)} of C, on the calling thread. */
    private static void block(boolean transA, int n, int k, float alpha, float[] a, int aOff, int lda, int k1,
            float[] a2, int a2Off, int lda2, PackedMatrix packed, boolean transB, float[] b, int bOff, int ldb,
            float beta, float[] bias, int biasOff, float[] c, int cOff, int ldc, int i0, int i1, int q0, int q1) {
        int j0 = q0 * NR;
        int j1 = Math.min(n, q1 * NR);
        if (k == 0 && bias != null) {
            for (int i = i0; i < i1; i++) {
                System.arraycopy(bias, biasOff + j0, c, cOff + i * ldc + j0, j1 - j0);
            }
            return;
        }
        if (k == 0 || beta != 0f && beta != 1f) {
            scale(beta, c, cOff, ldc, i0, i1, j0, j1);
        }
        if (k == 0) {
            return;
        }
        Workspace ws = Workspace.FREE.borrow();
        try {
            loops(transA, n, k, alpha, a, aOff, lda, k1, a2, a2Off, lda2, packed, transB, b, bOff, ldb, beta, bias,
                    biasOff, c, cOff, ldc, i0, i1, q0, q1, ws);
        } finally {
            Workspace.FREE.giveBack(ws);
        }
    }

    /** The blocked loop nest of the class comment over one chunk. */
    private static void loops(boolean transA, int n, int k, float alpha, float[] a, int aOff, int lda, int k1,
            float[] a2, int a2Off, int lda2, PackedMatrix packed, boolean transB, float[] b, int bOff, int ldb,
            float beta, float[] bias, int biasOff, float[] c, int cOff, int ldc, int i0, int i1, int q0, int q1,
            Workspace ws) {
        int ncPanels = Math.max(1, B_BLOCK_FLOATS / (Math.min(k, KC) * NR));
        for (int qc = q0; qc < q1; qc += ncPanels) {
            int qcEnd = Math.min(q1, qc + ncPanels);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                // The first K block sets C (beta 0: from nothing, or from the bias row) or adds to
                // it (beta 1, or C already scaled); later blocks add to it.
                boolean first = pc == 0 && beta == 0f;
                float[] y = first ? bias : c;
                MemorySegment bp = packed != null ? packed.data() : ws.b();
                if (packed == null) {
                    Packing.packB(transB, n, b, bOff, ldb, pc, kc, qc, qcEnd, bp, 0);
                }
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    Packing.packA(transA, a, aOff, lda, k1, a2, a2Off, lda2, ic, mc, pc, kc, ws.a);
                    for (int q = qc; q < qcEnd; q++) {
                        int cols = Math.min(NR, n - q * NR);
                        long bAt = packed != null ? packed.offset(q, pc) : (long) (q - qc) * kc * NR * Float.BYTES;
                        if (mc <= SmallTiles.WIDE_ROWS && q + SmallTiles.WIDE_PANELS <= qcEnd
                                && (q + SmallTiles.WIDE_PANELS) * NR <= n) {
                            // So few rows that a tile would be mostly padding: across several panels.
                            long stride = packed != null ? packed.offset(q + 1, pc) - bAt
                                    : (long) kc * NR * Float.BYTES;
                            int cAt = cOff + ic * ldc + q * NR;
                            SmallTiles.wide(mc, ws.a, 0, bp, bAt, stride, kc, c, cAt, ldc, alpha, y,
                                    y == c ? cAt : biasOff + q * NR, y == c ? ldc : 0);
                            q += SmallTiles.WIDE_PANELS - 1;
                            continue;
                        }
                        for (int ir = 0, rows; ir < mc; ir += rows) {
                            rows = MicroKernel.rowsFor(mc - ir);
                            int cAt = cOff + (ic + ir) * ldc + q * NR;
                            int yAt = y == c ? cAt : biasOff + q * NR;
                            int ldy = y == c ? ldc : 0;
                            int aAt = ir * MicroKernel.AS;
                            if (cols == NR && MicroKernel.isTile(rows)) {
                                MicroKernel.tile(rows, ws.a, aAt, bp, bAt, kc, c, cAt, ldc, alpha, y, yAt, ldy);
                            } else {
                                MicroKernel.edge(ws.a, aAt, bp, bAt, kc, ws.scratch, rows, cols, c, cAt, ldc, alpha, y,
                                        yAt, ldy);
                            }
                        }
                    }
                }
            }
        }
    }

    /** C = beta·C over the block (zero when beta is 0, never reading C then). */
    private static void scale(float beta, float[] c, int cOff, int ldc, int i0, int i1, int j0, int j1) {
        for (int i = i0; i < i1; i++) {
            int row = cOff + i * ldc;
            if (beta == 0f) {
                Arrays.fill(c, row + j0, row + j1, 0f);
            } else {
                for (int j = j0; j < j1; j++) {
                    c[row + j] *= beta;
                }
            }
        }
    }
}
