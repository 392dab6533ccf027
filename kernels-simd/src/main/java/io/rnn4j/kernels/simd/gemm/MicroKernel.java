package io.rnn4j.kernels.simd.gemm;

import static io.rnn4j.kernels.simd.platform.SimdConstants.fma;

import io.rnn4j.kernels.simd.platform.AlignedFloats;
import io.rnn4j.kernels.simd.platform.SimdConstants;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked GEMM micro-kernel: one MR×NR tile of C from an MR-row panel of packed A and
 * an NR-column panel of packed B, {@code kc} deep, accumulated entirely in vector registers.
 *
 * <p><b>Shape.</b> NR is two vectors. Each step of the k loop loads two vectors of B, broadcasts MR
 * values of A and issues 2·MR independent FMAs into 2·MR accumulators. An FMA has about 4 cycles of
 * latency and two issue ports, so at least 8 chains must be in flight; more accumulators amortise
 * the two B loads (and the tile's fixed cost, about 130 cycles: entry checks, loop exit, the
 * epilogue) over more FMAs, bounded by the register file: with 32 vector registers MR = 12 (24
 * accumulators + 2 B + 1 broadcast), with 16 (AVX2) MR = 6 (12 + 2 + 1). MR follows the width:
 * 512 bits means AVX-512 and 32 registers; narrower widths get 6, which is safe on AVX2 (NEON, or a
 * forced narrower width on AVX-512, has 32 registers and could take more; not measured). At 512
 * bits an 8-row tile ({@link #SHORT}) takes the rows a block of 12s leaves when they are 8 or 16
 * ({@link #rowsFor}), so a 32-row LSTM step is 12 + 12 + 8 and 64 rows 4·12 + 8 + 8, with no
 * partial tile. Measured against 8 rows throughout (2026-11-27, alternating runs, one thread):
 * 64×1024×256 212/208 → 221/212 GFLOP/s, 256×2048×512 180/186 → 198/197, 3200×1024×64 164/169
 * → 166/173, the LSTM step's 32×1024×320 205/210 → 216/216 (two threads at once: 200 → 206–209
 * each). (12 rows with a 4-row edge instead of 8 + 8 lost 4–12 % at 64 rows.) A 4-row tile
 * ({@link #SMALL}) takes a block of four rows (a batch of 8 split over two threads) and edges of up
 * to four: 4×1024×320 27.5 → 15.9 µs (95 → 165 GFLOP/s), 2×1024×320 about 27 → 16.9 µs. A block
 * of one to three rows goes across four panels at once ({@link #wide}): 1, 2 and 3×1024×320 16.3,
 * 15.7 and 16.9 → 12.1, 12.6 and 13.1 µs.
 *
 * <p><b>Operands.</b> A's panel holds MR rows of kc floats {@link #AS} apart (row-major, copied by
 * {@link Packing#packA}), so each step's MR broadcasts share one index and differ by constant
 * displacements: the loop is MR broadcasts, 2 loads, 2·MR FMAs and 4 to 6 integer instructions,
 * with no bounds checks and, at 12 rows, no spills (read in the C2 code). Reading A's rows in place, at their own stride, cost an add
 * per row and step and measured about 7 % slower on the LSTM step's product. B's panel is in an
 * aligned off-heap buffer ({@link AlignedFloats}): from an array, a vector load straddles two
 * cache lines.
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
 * {@code alpha·acc} or updated to {@code fma(alpha, acc, y)} (y: C's element, or the bias), the
 * same whichever tile, thread or path (full or edge) computes it, so results do not depend on the
 * thread count.
 */
final class MicroKernel {
    static final VectorSpecies<Float> S = SimdConstants.SPECIES;
    static final int LANES = S.length();
    /** Columns of a tile and of a packed B panel: two vectors. */
    static final int NR = 2 * LANES;
    /** Rows of a tile and of a packed A panel. */
    static final int MR = S.vectorBitSize() >= 512 ? 12 : 6;
    /** Rows of the short tile: a panel of this many rows (the last of 32, say) needs no scratch. */
    static final int SHORT = S.vectorBitSize() >= 512 ? 8 : 6;
    /** Rows of the smallest tile at 512 bits (a block of four rows needs no padding); MR elsewhere. */
    static final int SMALL = S.vectorBitSize() >= 512 ? 4 : MR;
    /**
     * The most rows {@link #wide} takes (at 512 bits; 0 elsewhere: 24 accumulators need 32
     * registers), and the panels it spans.
     */
    static final int WIDE_ROWS = S.vectorBitSize() >= 512 ? 3 : 0;
    static final int WIDE_PANELS = 4;
    /**
     * {@link SimdConstants#FAST_FMA}, the one decision between {@code a.fma(b, c)} and
     * {@code a.mul(b).add(c)}; the kernels write the choice out at each use instead of calling a
     * helper that takes vectors, which C2 can leave out of line in a large compilation
     * (NodeCountInliningCutoff) and then boxes every accumulator on each call.
     */
    private static final boolean FMA = SimdConstants.FAST_FMA;
    private static final ByteOrder ORDER = AlignedFloats.ORDER;
    /** Bytes of one vector, and of one packed B row (NR floats). */
    private static final long VB = LANES * (long) Float.BYTES;
    private static final long NRB = NR * (long) Float.BYTES;
    /**
     * The row stride of a packed A panel: a constant, so that each broadcast's address is the step's
     * index plus a fixed displacement (with A's own stride C2 spends an add per row and step).
     * One cache line more than KC: at exactly KC (2 KB) every row's line c fell into the same two
     * of L1's 64 sets, so a block of short rows (K = 32 or 64: the batch-1 input projection) evicted
     * itself; 33 lines apart, the rows of a panel spread over all sets. Measured on the Xeon
     * (one thread, alternating runs): 100×512×32 171–172 → 177–181 GFLOP/s, 100×1024×64 196–198 →
     * 202–207, 3200×1024×64 177–179 → 178–183, the LSTM step's 32×1024×320 and 64×1024×256 unchanged.
     */
    static final int AS = GemmLoops.KC + 16;

    private MicroKernel() {
    }

    /**
     * The height of the next tile when {@code left} rows of a block remain: MR, or SHORT where
     * that leaves no short remainder (at MR = 12: 16 rows go as 8 + 8, not 12 and a 4-row edge;
     * 32 as 12 + 12 + 8, 64 as 4·12 + 8 + 8), or all of {@code left} when fewer than a tile remain
     * (an edge). Which tile computes a row never changes its bits.
     */
    static int rowsFor(int left) {
        if (MR != SHORT && (left == 2 * SHORT || left == SHORT)) {
            return SHORT;
        }
        return Math.min(left, MR);
    }

    /** Whether {@code rows} is the height of a tile {@link #tile} computes (MR, SHORT or SMALL). */
    static boolean isTile(int rows) {
        return rows == MR || rows == SHORT || rows == SMALL;
    }

    /**
     * C[0..rows)[0..NR) at {@code cOff} (row stride {@code ldc}) = {@code alpha·acc} when {@code y}
     * is null, else {@code alpha·acc + Y} with Y's row r at {@code yOff + r·ldy} (Y = C itself to
     * accumulate, or a bias row with {@code ldy} 0), where acc = Σ_p A[r][p]·B[p][j] over the packed
     * A panel at {@code aOff} (row r at {@code aOff + r·AS}) and the packed B panel at byte
     * {@code bOff} of its aligned buffer (NR floats per p), {@code kc} deep. {@code rows} is MR, {@link #SHORT}
     * or {@link #SMALL}.
     */
    static void tile(int rows, float[] a, int aOff, MemorySegment b, long bOff, int kc, float[] c, int cOff, int ldc,
            float alpha, float[] y, int yOff, int ldy) {
        if (MR == 12) {
            if (rows == 12) {
                kernel12(a, aOff, b, bOff, kc, c, cOff, ldc, alpha, y, yOff, ldy);
            } else if (rows == 8) {
                kernel8(a, aOff, b, bOff, kc, c, cOff, ldc, alpha, y, yOff, ldy);
            } else {
                kernel4(a, aOff, b, bOff, kc, c, cOff, ldc, alpha, y, yOff, ldy);
            }
        } else {
            kernel6(a, aOff, b, bOff, kc, c, cOff, ldc, alpha, y, yOff, ldy);
        }
    }

    /**
     * A partial tile ({@code rows} ≤ MR, {@code cols} ≤ NR) of {@link #tile}: a whole tile (of
     * SMALL or SHORT rows when they suffice) goes to {@code scratch} (MR·NR floats), then only the valid
     * part reaches C, with the same arithmetic as a full tile.
     */
    static void edge(float[] a, int aOff, MemorySegment b, long bOff, int kc, float[] scratch, int rows, int cols,
            float[] c, int cOff, int ldc, float alpha, float[] y, int yOff, int ldy) {
        tile(rows <= SMALL ? SMALL : rows <= SHORT ? SHORT : MR, a, aOff, b, bOff, kc, scratch, 0, NR, 1f, null, 0, 0);
        for (int r = 0; r < rows; r++) {
            int row = cOff + r * ldc;
            int yRow = yOff + r * ldy;
            for (int j = 0; j < cols; j++) {
                float acc = scratch[r * NR + j];
                c[row + j] = y == null ? alpha * acc : fma(alpha, acc, y[yRow + j]);
            }
        }
    }

    /**
     * C for one to {@link #WIDE_ROWS} rows across {@link #WIDE_PANELS} adjacent panels of B (panel j
     * at byte {@code bOff + j·panelStride}), in C's columns right after each other: a block of so
     * few rows (a batch over many threads, a one-row product) then reads each B vector for three
     * rows instead of padding the rows to a tile. 24 accumulators; each B vector is loaded right
     * before its three FMAs, so that with the three broadcasts the loop stays within 32 registers.
     * A's rows past {@code rows} are its panel's zero padding, computed and not stored. Each element
     * is the same chain as in {@link #tile}, rounded the same way.
     */
    static void wide(int rows, float[] a, int aOff, MemorySegment b, long bOff, long panelStride, int kc, float[] c,
            int cOff, int ldc, float alpha, float[] y, int yOff, int ldy) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c02 = c00;
        FloatVector c03 = c00;
        FloatVector c04 = c00;
        FloatVector c05 = c00;
        FloatVector c06 = c00;
        FloatVector c07 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c12 = c00;
        FloatVector c13 = c00;
        FloatVector c14 = c00;
        FloatVector c15 = c00;
        FloatVector c16 = c00;
        FloatVector c17 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c22 = c00;
        FloatVector c23 = c00;
        FloatVector c24 = c00;
        FloatVector c25 = c00;
        FloatVector c26 = c00;
        FloatVector c27 = c00;
        long s1 = panelStride;
        long s2 = 2 * panelStride;
        long s3 = 3 * panelStride;
        for (int p = 0; p < kc; p++) {
            long bi = bOff + p * NRB;
            int ai = aOff + p;
            FloatVector e0 = FloatVector.broadcast(S, a[ai]);
            FloatVector e1 = FloatVector.broadcast(S, a[ai + AS]);
            FloatVector e2 = FloatVector.broadcast(S, a[ai + 2 * AS]);
            FloatVector b0 = FloatVector.fromMemorySegment(S, b, bi, ORDER);
            c00 = FMA ? e0.fma(b0, c00) : e0.mul(b0).add(c00);
            c10 = FMA ? e1.fma(b0, c10) : e1.mul(b0).add(c10);
            c20 = FMA ? e2.fma(b0, c20) : e2.mul(b0).add(c20);
            FloatVector b1 = FloatVector.fromMemorySegment(S, b, bi + VB, ORDER);
            c01 = FMA ? e0.fma(b1, c01) : e0.mul(b1).add(c01);
            c11 = FMA ? e1.fma(b1, c11) : e1.mul(b1).add(c11);
            c21 = FMA ? e2.fma(b1, c21) : e2.mul(b1).add(c21);
            FloatVector b2 = FloatVector.fromMemorySegment(S, b, bi + s1, ORDER);
            c02 = FMA ? e0.fma(b2, c02) : e0.mul(b2).add(c02);
            c12 = FMA ? e1.fma(b2, c12) : e1.mul(b2).add(c12);
            c22 = FMA ? e2.fma(b2, c22) : e2.mul(b2).add(c22);
            FloatVector b3 = FloatVector.fromMemorySegment(S, b, bi + s1 + VB, ORDER);
            c03 = FMA ? e0.fma(b3, c03) : e0.mul(b3).add(c03);
            c13 = FMA ? e1.fma(b3, c13) : e1.mul(b3).add(c13);
            c23 = FMA ? e2.fma(b3, c23) : e2.mul(b3).add(c23);
            FloatVector b4 = FloatVector.fromMemorySegment(S, b, bi + s2, ORDER);
            c04 = FMA ? e0.fma(b4, c04) : e0.mul(b4).add(c04);
            c14 = FMA ? e1.fma(b4, c14) : e1.mul(b4).add(c14);
            c24 = FMA ? e2.fma(b4, c24) : e2.mul(b4).add(c24);
            FloatVector b5 = FloatVector.fromMemorySegment(S, b, bi + s2 + VB, ORDER);
            c05 = FMA ? e0.fma(b5, c05) : e0.mul(b5).add(c05);
            c15 = FMA ? e1.fma(b5, c15) : e1.mul(b5).add(c15);
            c25 = FMA ? e2.fma(b5, c25) : e2.mul(b5).add(c25);
            FloatVector b6 = FloatVector.fromMemorySegment(S, b, bi + s3, ORDER);
            c06 = FMA ? e0.fma(b6, c06) : e0.mul(b6).add(c06);
            c16 = FMA ? e1.fma(b6, c16) : e1.mul(b6).add(c16);
            c26 = FMA ? e2.fma(b6, c26) : e2.mul(b6).add(c26);
            FloatVector b7 = FloatVector.fromMemorySegment(S, b, bi + s3 + VB, ORDER);
            c07 = FMA ? e0.fma(b7, c07) : e0.mul(b7).add(c07);
            c17 = FMA ? e1.fma(b7, c17) : e1.mul(b7).add(c17);
            c27 = FMA ? e2.fma(b7, c27) : e2.mul(b7).add(c27);
        }
        FloatVector al = FloatVector.broadcast(S, alpha);
        // Written out per row (see kernel12 for why no helper); C = alpha·acc, or alpha·acc + Y.
        if (y == null) {
            c00.mul(al).intoArray(c, cOff);
            c01.mul(al).intoArray(c, cOff + LANES);
            c02.mul(al).intoArray(c, cOff + 2 * LANES);
            c03.mul(al).intoArray(c, cOff + 3 * LANES);
            c04.mul(al).intoArray(c, cOff + 4 * LANES);
            c05.mul(al).intoArray(c, cOff + 5 * LANES);
            c06.mul(al).intoArray(c, cOff + 6 * LANES);
            c07.mul(al).intoArray(c, cOff + 7 * LANES);
        } else {
            FloatVector y00 = FloatVector.fromArray(S, y, yOff);
            (FMA ? al.fma(c00, y00) : al.mul(c00).add(y00)).intoArray(c, cOff);
            FloatVector y01 = FloatVector.fromArray(S, y, yOff + LANES);
            (FMA ? al.fma(c01, y01) : al.mul(c01).add(y01)).intoArray(c, cOff + LANES);
            FloatVector y02 = FloatVector.fromArray(S, y, yOff + 2 * LANES);
            (FMA ? al.fma(c02, y02) : al.mul(c02).add(y02)).intoArray(c, cOff + 2 * LANES);
            FloatVector y03 = FloatVector.fromArray(S, y, yOff + 3 * LANES);
            (FMA ? al.fma(c03, y03) : al.mul(c03).add(y03)).intoArray(c, cOff + 3 * LANES);
            FloatVector y04 = FloatVector.fromArray(S, y, yOff + 4 * LANES);
            (FMA ? al.fma(c04, y04) : al.mul(c04).add(y04)).intoArray(c, cOff + 4 * LANES);
            FloatVector y05 = FloatVector.fromArray(S, y, yOff + 5 * LANES);
            (FMA ? al.fma(c05, y05) : al.mul(c05).add(y05)).intoArray(c, cOff + 5 * LANES);
            FloatVector y06 = FloatVector.fromArray(S, y, yOff + 6 * LANES);
            (FMA ? al.fma(c06, y06) : al.mul(c06).add(y06)).intoArray(c, cOff + 6 * LANES);
            FloatVector y07 = FloatVector.fromArray(S, y, yOff + 7 * LANES);
            (FMA ? al.fma(c07, y07) : al.mul(c07).add(y07)).intoArray(c, cOff + 7 * LANES);
        }
        if (rows > 1) {
            if (y == null) {
                c10.mul(al).intoArray(c, cOff + ldc);
                c11.mul(al).intoArray(c, cOff + ldc + LANES);
                c12.mul(al).intoArray(c, cOff + ldc + 2 * LANES);
                c13.mul(al).intoArray(c, cOff + ldc + 3 * LANES);
                c14.mul(al).intoArray(c, cOff + ldc + 4 * LANES);
                c15.mul(al).intoArray(c, cOff + ldc + 5 * LANES);
                c16.mul(al).intoArray(c, cOff + ldc + 6 * LANES);
                c17.mul(al).intoArray(c, cOff + ldc + 7 * LANES);
            } else {
                FloatVector y10 = FloatVector.fromArray(S, y, yOff + ldy);
                (FMA ? al.fma(c10, y10) : al.mul(c10).add(y10)).intoArray(c, cOff + ldc);
                FloatVector y11 = FloatVector.fromArray(S, y, yOff + ldy + LANES);
                (FMA ? al.fma(c11, y11) : al.mul(c11).add(y11)).intoArray(c, cOff + ldc + LANES);
                FloatVector y12 = FloatVector.fromArray(S, y, yOff + ldy + 2 * LANES);
                (FMA ? al.fma(c12, y12) : al.mul(c12).add(y12)).intoArray(c, cOff + ldc + 2 * LANES);
                FloatVector y13 = FloatVector.fromArray(S, y, yOff + ldy + 3 * LANES);
                (FMA ? al.fma(c13, y13) : al.mul(c13).add(y13)).intoArray(c, cOff + ldc + 3 * LANES);
                FloatVector y14 = FloatVector.fromArray(S, y, yOff + ldy + 4 * LANES);
                (FMA ? al.fma(c14, y14) : al.mul(c14).add(y14)).intoArray(c, cOff + ldc + 4 * LANES);
                FloatVector y15 = FloatVector.fromArray(S, y, yOff + ldy + 5 * LANES);
                (FMA ? al.fma(c15, y15) : al.mul(c15).add(y15)).intoArray(c, cOff + ldc + 5 * LANES);
                FloatVector y16 = FloatVector.fromArray(S, y, yOff + ldy + 6 * LANES);
                (FMA ? al.fma(c16, y16) : al.mul(c16).add(y16)).intoArray(c, cOff + ldc + 6 * LANES);
                FloatVector y17 = FloatVector.fromArray(S, y, yOff + ldy + 7 * LANES);
                (FMA ? al.fma(c17, y17) : al.mul(c17).add(y17)).intoArray(c, cOff + ldc + 7 * LANES);
            }
        }
        if (rows > 2) {
            if (y == null) {
                c20.mul(al).intoArray(c, cOff + 2 * ldc);
                c21.mul(al).intoArray(c, cOff + 2 * ldc + LANES);
                c22.mul(al).intoArray(c, cOff + 2 * ldc + 2 * LANES);
                c23.mul(al).intoArray(c, cOff + 2 * ldc + 3 * LANES);
                c24.mul(al).intoArray(c, cOff + 2 * ldc + 4 * LANES);
                c25.mul(al).intoArray(c, cOff + 2 * ldc + 5 * LANES);
                c26.mul(al).intoArray(c, cOff + 2 * ldc + 6 * LANES);
                c27.mul(al).intoArray(c, cOff + 2 * ldc + 7 * LANES);
            } else {
                FloatVector y20 = FloatVector.fromArray(S, y, yOff + 2 * ldy);
                (FMA ? al.fma(c20, y20) : al.mul(c20).add(y20)).intoArray(c, cOff + 2 * ldc);
                FloatVector y21 = FloatVector.fromArray(S, y, yOff + 2 * ldy + LANES);
                (FMA ? al.fma(c21, y21) : al.mul(c21).add(y21)).intoArray(c, cOff + 2 * ldc + LANES);
                FloatVector y22 = FloatVector.fromArray(S, y, yOff + 2 * ldy + 2 * LANES);
                (FMA ? al.fma(c22, y22) : al.mul(c22).add(y22)).intoArray(c, cOff + 2 * ldc + 2 * LANES);
                FloatVector y23 = FloatVector.fromArray(S, y, yOff + 2 * ldy + 3 * LANES);
                (FMA ? al.fma(c23, y23) : al.mul(c23).add(y23)).intoArray(c, cOff + 2 * ldc + 3 * LANES);
                FloatVector y24 = FloatVector.fromArray(S, y, yOff + 2 * ldy + 4 * LANES);
                (FMA ? al.fma(c24, y24) : al.mul(c24).add(y24)).intoArray(c, cOff + 2 * ldc + 4 * LANES);
                FloatVector y25 = FloatVector.fromArray(S, y, yOff + 2 * ldy + 5 * LANES);
                (FMA ? al.fma(c25, y25) : al.mul(c25).add(y25)).intoArray(c, cOff + 2 * ldc + 5 * LANES);
                FloatVector y26 = FloatVector.fromArray(S, y, yOff + 2 * ldy + 6 * LANES);
                (FMA ? al.fma(c26, y26) : al.mul(c26).add(y26)).intoArray(c, cOff + 2 * ldc + 6 * LANES);
                FloatVector y27 = FloatVector.fromArray(S, y, yOff + 2 * ldy + 7 * LANES);
                (FMA ? al.fma(c27, y27) : al.mul(c27).add(y27)).intoArray(c, cOff + 2 * ldc + 7 * LANES);
            }
        }
    }

    /** The 12×NR tile: 24 accumulators (see the class comment for why 12). */
    private static void kernel12(float[] a, int aOff, MemorySegment b, long bOff, int kc, float[] c, int cOff,
            int ldc, float alpha, float[] y, int yOff, int ldy) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        FloatVector c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00;
        FloatVector c50 = c00, c51 = c00;
        FloatVector c60 = c00, c61 = c00;
        FloatVector c70 = c00, c71 = c00;
        FloatVector c80 = c00, c81 = c00;
        FloatVector c90 = c00, c91 = c00;
        FloatVector c100 = c00, c101 = c00;
        FloatVector c110 = c00, c111 = c00;
        for (int p = 0; p < kc; p++) {
            long bi = bOff + p * NRB;
            int ai = aOff + p;
            FloatVector b0 = FloatVector.fromMemorySegment(S, b, bi, ORDER);
            FloatVector b1 = FloatVector.fromMemorySegment(S, b, bi + VB, ORDER);
            FloatVector e0 = FloatVector.broadcast(S, a[ai]);
            c00 = FMA ? e0.fma(b0, c00) : e0.mul(b0).add(c00);
            c01 = FMA ? e0.fma(b1, c01) : e0.mul(b1).add(c01);
            FloatVector e1 = FloatVector.broadcast(S, a[ai + 1 * AS]);
            c10 = FMA ? e1.fma(b0, c10) : e1.mul(b0).add(c10);
            c11 = FMA ? e1.fma(b1, c11) : e1.mul(b1).add(c11);
            FloatVector e2 = FloatVector.broadcast(S, a[ai + 2 * AS]);
            c20 = FMA ? e2.fma(b0, c20) : e2.mul(b0).add(c20);
            c21 = FMA ? e2.fma(b1, c21) : e2.mul(b1).add(c21);
            FloatVector e3 = FloatVector.broadcast(S, a[ai + 3 * AS]);
            c30 = FMA ? e3.fma(b0, c30) : e3.mul(b0).add(c30);
            c31 = FMA ? e3.fma(b1, c31) : e3.mul(b1).add(c31);
            FloatVector e4 = FloatVector.broadcast(S, a[ai + 4 * AS]);
            c40 = FMA ? e4.fma(b0, c40) : e4.mul(b0).add(c40);
            c41 = FMA ? e4.fma(b1, c41) : e4.mul(b1).add(c41);
            FloatVector e5 = FloatVector.broadcast(S, a[ai + 5 * AS]);
            c50 = FMA ? e5.fma(b0, c50) : e5.mul(b0).add(c50);
            c51 = FMA ? e5.fma(b1, c51) : e5.mul(b1).add(c51);
            FloatVector e6 = FloatVector.broadcast(S, a[ai + 6 * AS]);
            c60 = FMA ? e6.fma(b0, c60) : e6.mul(b0).add(c60);
            c61 = FMA ? e6.fma(b1, c61) : e6.mul(b1).add(c61);
            FloatVector e7 = FloatVector.broadcast(S, a[ai + 7 * AS]);
            c70 = FMA ? e7.fma(b0, c70) : e7.mul(b0).add(c70);
            c71 = FMA ? e7.fma(b1, c71) : e7.mul(b1).add(c71);
            FloatVector e8 = FloatVector.broadcast(S, a[ai + 8 * AS]);
            c80 = FMA ? e8.fma(b0, c80) : e8.mul(b0).add(c80);
            c81 = FMA ? e8.fma(b1, c81) : e8.mul(b1).add(c81);
            FloatVector e9 = FloatVector.broadcast(S, a[ai + 9 * AS]);
            c90 = FMA ? e9.fma(b0, c90) : e9.mul(b0).add(c90);
            c91 = FMA ? e9.fma(b1, c91) : e9.mul(b1).add(c91);
            FloatVector e10 = FloatVector.broadcast(S, a[ai + 10 * AS]);
            c100 = FMA ? e10.fma(b0, c100) : e10.mul(b0).add(c100);
            c101 = FMA ? e10.fma(b1, c101) : e10.mul(b1).add(c101);
            FloatVector e11 = FloatVector.broadcast(S, a[ai + 11 * AS]);
            c110 = FMA ? e11.fma(b0, c110) : e11.mul(b0).add(c110);
            c111 = FMA ? e11.fma(b1, c111) : e11.mul(b1).add(c111);
        }
        FloatVector al = FloatVector.broadcast(S, alpha);
        // Written out rather than through a helper: a helper taking vectors that C2 declines to
        // inline (it did, for a 39-byte one) boxes every accumulator.
        if (y == null) {
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
            c80.mul(al).intoArray(c, cOff + 8 * ldc);
            c81.mul(al).intoArray(c, cOff + 8 * ldc + LANES);
            c90.mul(al).intoArray(c, cOff + 9 * ldc);
            c91.mul(al).intoArray(c, cOff + 9 * ldc + LANES);
            c100.mul(al).intoArray(c, cOff + 10 * ldc);
            c101.mul(al).intoArray(c, cOff + 10 * ldc + LANES);
            c110.mul(al).intoArray(c, cOff + 11 * ldc);
            c111.mul(al).intoArray(c, cOff + 11 * ldc + LANES);
        } else {
            // C = alpha·acc + Y, one fma per element (the edge path rounds the same way).
            FloatVector y00 = FloatVector.fromArray(S, y, yOff);
            FloatVector y01 = FloatVector.fromArray(S, y, yOff + LANES);
            (FMA ? al.fma(c00, y00) : al.mul(c00).add(y00)).intoArray(c, cOff);
            (FMA ? al.fma(c01, y01) : al.mul(c01).add(y01)).intoArray(c, cOff + LANES);
            FloatVector y10 = FloatVector.fromArray(S, y, yOff + 1 * ldy);
            FloatVector y11 = FloatVector.fromArray(S, y, yOff + 1 * ldy + LANES);
            (FMA ? al.fma(c10, y10) : al.mul(c10).add(y10)).intoArray(c, cOff + 1 * ldc);
            (FMA ? al.fma(c11, y11) : al.mul(c11).add(y11)).intoArray(c, cOff + 1 * ldc + LANES);
            FloatVector y20 = FloatVector.fromArray(S, y, yOff + 2 * ldy);
            FloatVector y21 = FloatVector.fromArray(S, y, yOff + 2 * ldy + LANES);
            (FMA ? al.fma(c20, y20) : al.mul(c20).add(y20)).intoArray(c, cOff + 2 * ldc);
            (FMA ? al.fma(c21, y21) : al.mul(c21).add(y21)).intoArray(c, cOff + 2 * ldc + LANES);
            FloatVector y30 = FloatVector.fromArray(S, y, yOff + 3 * ldy);
            FloatVector y31 = FloatVector.fromArray(S, y, yOff + 3 * ldy + LANES);
            (FMA ? al.fma(c30, y30) : al.mul(c30).add(y30)).intoArray(c, cOff + 3 * ldc);
            (FMA ? al.fma(c31, y31) : al.mul(c31).add(y31)).intoArray(c, cOff + 3 * ldc + LANES);
            FloatVector y40 = FloatVector.fromArray(S, y, yOff + 4 * ldy);
            FloatVector y41 = FloatVector.fromArray(S, y, yOff + 4 * ldy + LANES);
            (FMA ? al.fma(c40, y40) : al.mul(c40).add(y40)).intoArray(c, cOff + 4 * ldc);
            (FMA ? al.fma(c41, y41) : al.mul(c41).add(y41)).intoArray(c, cOff + 4 * ldc + LANES);
            FloatVector y50 = FloatVector.fromArray(S, y, yOff + 5 * ldy);
            FloatVector y51 = FloatVector.fromArray(S, y, yOff + 5 * ldy + LANES);
            (FMA ? al.fma(c50, y50) : al.mul(c50).add(y50)).intoArray(c, cOff + 5 * ldc);
            (FMA ? al.fma(c51, y51) : al.mul(c51).add(y51)).intoArray(c, cOff + 5 * ldc + LANES);
            FloatVector y60 = FloatVector.fromArray(S, y, yOff + 6 * ldy);
            FloatVector y61 = FloatVector.fromArray(S, y, yOff + 6 * ldy + LANES);
            (FMA ? al.fma(c60, y60) : al.mul(c60).add(y60)).intoArray(c, cOff + 6 * ldc);
            (FMA ? al.fma(c61, y61) : al.mul(c61).add(y61)).intoArray(c, cOff + 6 * ldc + LANES);
            FloatVector y70 = FloatVector.fromArray(S, y, yOff + 7 * ldy);
            FloatVector y71 = FloatVector.fromArray(S, y, yOff + 7 * ldy + LANES);
            (FMA ? al.fma(c70, y70) : al.mul(c70).add(y70)).intoArray(c, cOff + 7 * ldc);
            (FMA ? al.fma(c71, y71) : al.mul(c71).add(y71)).intoArray(c, cOff + 7 * ldc + LANES);
            FloatVector y80 = FloatVector.fromArray(S, y, yOff + 8 * ldy);
            FloatVector y81 = FloatVector.fromArray(S, y, yOff + 8 * ldy + LANES);
            (FMA ? al.fma(c80, y80) : al.mul(c80).add(y80)).intoArray(c, cOff + 8 * ldc);
            (FMA ? al.fma(c81, y81) : al.mul(c81).add(y81)).intoArray(c, cOff + 8 * ldc + LANES);
            FloatVector y90 = FloatVector.fromArray(S, y, yOff + 9 * ldy);
            FloatVector y91 = FloatVector.fromArray(S, y, yOff + 9 * ldy + LANES);
            (FMA ? al.fma(c90, y90) : al.mul(c90).add(y90)).intoArray(c, cOff + 9 * ldc);
            (FMA ? al.fma(c91, y91) : al.mul(c91).add(y91)).intoArray(c, cOff + 9 * ldc + LANES);
            FloatVector y100 = FloatVector.fromArray(S, y, yOff + 10 * ldy);
            FloatVector y101 = FloatVector.fromArray(S, y, yOff + 10 * ldy + LANES);
            (FMA ? al.fma(c100, y100) : al.mul(c100).add(y100)).intoArray(c, cOff + 10 * ldc);
            (FMA ? al.fma(c101, y101) : al.mul(c101).add(y101)).intoArray(c, cOff + 10 * ldc + LANES);
            FloatVector y110 = FloatVector.fromArray(S, y, yOff + 11 * ldy);
            FloatVector y111 = FloatVector.fromArray(S, y, yOff + 11 * ldy + LANES);
            (FMA ? al.fma(c110, y110) : al.mul(c110).add(y110)).intoArray(c, cOff + 11 * ldc);
            (FMA ? al.fma(c111, y111) : al.mul(c111).add(y111)).intoArray(c, cOff + 11 * ldc + LANES);
        }
    }

    /** The 8×NR tile: 16 accumulators (see the class comment for why 8). */
    private static void kernel8(float[] a, int aOff, MemorySegment b, long bOff, int kc, float[] c, int cOff,
            int ldc, float alpha, float[] y, int yOff, int ldy) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        FloatVector c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00;
        FloatVector c50 = c00, c51 = c00;
        FloatVector c60 = c00, c61 = c00;
        FloatVector c70 = c00, c71 = c00;
        for (int p = 0; p < kc; p++) {
            long bi = bOff + p * NRB;
            int ai = aOff + p;
            FloatVector b0 = FloatVector.fromMemorySegment(S, b, bi, ORDER);
            FloatVector b1 = FloatVector.fromMemorySegment(S, b, bi + VB, ORDER);
            FloatVector e0 = FloatVector.broadcast(S, a[ai]);
            c00 = FMA ? e0.fma(b0, c00) : e0.mul(b0).add(c00);
            c01 = FMA ? e0.fma(b1, c01) : e0.mul(b1).add(c01);
            FloatVector e1 = FloatVector.broadcast(S, a[ai + 1 * AS]);
            c10 = FMA ? e1.fma(b0, c10) : e1.mul(b0).add(c10);
            c11 = FMA ? e1.fma(b1, c11) : e1.mul(b1).add(c11);
            FloatVector e2 = FloatVector.broadcast(S, a[ai + 2 * AS]);
            c20 = FMA ? e2.fma(b0, c20) : e2.mul(b0).add(c20);
            c21 = FMA ? e2.fma(b1, c21) : e2.mul(b1).add(c21);
            FloatVector e3 = FloatVector.broadcast(S, a[ai + 3 * AS]);
            c30 = FMA ? e3.fma(b0, c30) : e3.mul(b0).add(c30);
            c31 = FMA ? e3.fma(b1, c31) : e3.mul(b1).add(c31);
            FloatVector e4 = FloatVector.broadcast(S, a[ai + 4 * AS]);
            c40 = FMA ? e4.fma(b0, c40) : e4.mul(b0).add(c40);
            c41 = FMA ? e4.fma(b1, c41) : e4.mul(b1).add(c41);
            FloatVector e5 = FloatVector.broadcast(S, a[ai + 5 * AS]);
            c50 = FMA ? e5.fma(b0, c50) : e5.mul(b0).add(c50);
            c51 = FMA ? e5.fma(b1, c51) : e5.mul(b1).add(c51);
            FloatVector e6 = FloatVector.broadcast(S, a[ai + 6 * AS]);
            c60 = FMA ? e6.fma(b0, c60) : e6.mul(b0).add(c60);
            c61 = FMA ? e6.fma(b1, c61) : e6.mul(b1).add(c61);
            FloatVector e7 = FloatVector.broadcast(S, a[ai + 7 * AS]);
            c70 = FMA ? e7.fma(b0, c70) : e7.mul(b0).add(c70);
            c71 = FMA ? e7.fma(b1, c71) : e7.mul(b1).add(c71);
        }
        FloatVector al = FloatVector.broadcast(S, alpha);
        // Written out rather than through a helper: a helper taking vectors that C2 declines to
        // inline (it did, for a 39-byte one) boxes every accumulator.
        if (y == null) {
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
            // C = alpha·acc + Y, one fma per element (the edge path rounds the same way).
            FloatVector y00 = FloatVector.fromArray(S, y, yOff);
            FloatVector y01 = FloatVector.fromArray(S, y, yOff + LANES);
            (FMA ? al.fma(c00, y00) : al.mul(c00).add(y00)).intoArray(c, cOff);
            (FMA ? al.fma(c01, y01) : al.mul(c01).add(y01)).intoArray(c, cOff + LANES);
            FloatVector y10 = FloatVector.fromArray(S, y, yOff + 1 * ldy);
            FloatVector y11 = FloatVector.fromArray(S, y, yOff + 1 * ldy + LANES);
            (FMA ? al.fma(c10, y10) : al.mul(c10).add(y10)).intoArray(c, cOff + 1 * ldc);
            (FMA ? al.fma(c11, y11) : al.mul(c11).add(y11)).intoArray(c, cOff + 1 * ldc + LANES);
            FloatVector y20 = FloatVector.fromArray(S, y, yOff + 2 * ldy);
            FloatVector y21 = FloatVector.fromArray(S, y, yOff + 2 * ldy + LANES);
            (FMA ? al.fma(c20, y20) : al.mul(c20).add(y20)).intoArray(c, cOff + 2 * ldc);
            (FMA ? al.fma(c21, y21) : al.mul(c21).add(y21)).intoArray(c, cOff + 2 * ldc + LANES);
            FloatVector y30 = FloatVector.fromArray(S, y, yOff + 3 * ldy);
            FloatVector y31 = FloatVector.fromArray(S, y, yOff + 3 * ldy + LANES);
            (FMA ? al.fma(c30, y30) : al.mul(c30).add(y30)).intoArray(c, cOff + 3 * ldc);
            (FMA ? al.fma(c31, y31) : al.mul(c31).add(y31)).intoArray(c, cOff + 3 * ldc + LANES);
            FloatVector y40 = FloatVector.fromArray(S, y, yOff + 4 * ldy);
            FloatVector y41 = FloatVector.fromArray(S, y, yOff + 4 * ldy + LANES);
            (FMA ? al.fma(c40, y40) : al.mul(c40).add(y40)).intoArray(c, cOff + 4 * ldc);
            (FMA ? al.fma(c41, y41) : al.mul(c41).add(y41)).intoArray(c, cOff + 4 * ldc + LANES);
            FloatVector y50 = FloatVector.fromArray(S, y, yOff + 5 * ldy);
            FloatVector y51 = FloatVector.fromArray(S, y, yOff + 5 * ldy + LANES);
            (FMA ? al.fma(c50, y50) : al.mul(c50).add(y50)).intoArray(c, cOff + 5 * ldc);
            (FMA ? al.fma(c51, y51) : al.mul(c51).add(y51)).intoArray(c, cOff + 5 * ldc + LANES);
            FloatVector y60 = FloatVector.fromArray(S, y, yOff + 6 * ldy);
            FloatVector y61 = FloatVector.fromArray(S, y, yOff + 6 * ldy + LANES);
            (FMA ? al.fma(c60, y60) : al.mul(c60).add(y60)).intoArray(c, cOff + 6 * ldc);
            (FMA ? al.fma(c61, y61) : al.mul(c61).add(y61)).intoArray(c, cOff + 6 * ldc + LANES);
            FloatVector y70 = FloatVector.fromArray(S, y, yOff + 7 * ldy);
            FloatVector y71 = FloatVector.fromArray(S, y, yOff + 7 * ldy + LANES);
            (FMA ? al.fma(c70, y70) : al.mul(c70).add(y70)).intoArray(c, cOff + 7 * ldc);
            (FMA ? al.fma(c71, y71) : al.mul(c71).add(y71)).intoArray(c, cOff + 7 * ldc + LANES);
        }
    }

    /**
     * The 4×NR tile: 8 accumulators, just enough FMA chains for two units at a latency of four
     * cycles. For blocks of four rows (a batch of 8 over two threads), which the 8-row tile took
     * with half its rows padding.
     */
    private static void kernel4(float[] a, int aOff, MemorySegment b, long bOff, int kc, float[] c, int cOff,
            int ldc, float alpha, float[] y, int yOff, int ldy) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        FloatVector c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00;
        for (int p = 0; p < kc; p++) {
            long bi = bOff + p * NRB;
            int ai = aOff + p;
            FloatVector b0 = FloatVector.fromMemorySegment(S, b, bi, ORDER);
            FloatVector b1 = FloatVector.fromMemorySegment(S, b, bi + VB, ORDER);
            FloatVector e0 = FloatVector.broadcast(S, a[ai]);
            c00 = FMA ? e0.fma(b0, c00) : e0.mul(b0).add(c00);
            c01 = FMA ? e0.fma(b1, c01) : e0.mul(b1).add(c01);
            FloatVector e1 = FloatVector.broadcast(S, a[ai + 1 * AS]);
            c10 = FMA ? e1.fma(b0, c10) : e1.mul(b0).add(c10);
            c11 = FMA ? e1.fma(b1, c11) : e1.mul(b1).add(c11);
            FloatVector e2 = FloatVector.broadcast(S, a[ai + 2 * AS]);
            c20 = FMA ? e2.fma(b0, c20) : e2.mul(b0).add(c20);
            c21 = FMA ? e2.fma(b1, c21) : e2.mul(b1).add(c21);
            FloatVector e3 = FloatVector.broadcast(S, a[ai + 3 * AS]);
            c30 = FMA ? e3.fma(b0, c30) : e3.mul(b0).add(c30);
            c31 = FMA ? e3.fma(b1, c31) : e3.mul(b1).add(c31);
        }
        FloatVector al = FloatVector.broadcast(S, alpha);
        // Written out rather than through a helper: a helper taking vectors that C2 declines to
        // inline (it did, for a 39-byte one) boxes every accumulator.
        if (y == null) {
            c00.mul(al).intoArray(c, cOff);
            c01.mul(al).intoArray(c, cOff + LANES);
            c10.mul(al).intoArray(c, cOff + 1 * ldc);
            c11.mul(al).intoArray(c, cOff + 1 * ldc + LANES);
            c20.mul(al).intoArray(c, cOff + 2 * ldc);
            c21.mul(al).intoArray(c, cOff + 2 * ldc + LANES);
            c30.mul(al).intoArray(c, cOff + 3 * ldc);
            c31.mul(al).intoArray(c, cOff + 3 * ldc + LANES);
        } else {
            // C = alpha·acc + Y, one fma per element (the edge path rounds the same way).
            FloatVector y00 = FloatVector.fromArray(S, y, yOff);
            FloatVector y01 = FloatVector.fromArray(S, y, yOff + LANES);
            (FMA ? al.fma(c00, y00) : al.mul(c00).add(y00)).intoArray(c, cOff);
            (FMA ? al.fma(c01, y01) : al.mul(c01).add(y01)).intoArray(c, cOff + LANES);
            FloatVector y10 = FloatVector.fromArray(S, y, yOff + 1 * ldy);
            FloatVector y11 = FloatVector.fromArray(S, y, yOff + 1 * ldy + LANES);
            (FMA ? al.fma(c10, y10) : al.mul(c10).add(y10)).intoArray(c, cOff + 1 * ldc);
            (FMA ? al.fma(c11, y11) : al.mul(c11).add(y11)).intoArray(c, cOff + 1 * ldc + LANES);
            FloatVector y20 = FloatVector.fromArray(S, y, yOff + 2 * ldy);
            FloatVector y21 = FloatVector.fromArray(S, y, yOff + 2 * ldy + LANES);
            (FMA ? al.fma(c20, y20) : al.mul(c20).add(y20)).intoArray(c, cOff + 2 * ldc);
            (FMA ? al.fma(c21, y21) : al.mul(c21).add(y21)).intoArray(c, cOff + 2 * ldc + LANES);
            FloatVector y30 = FloatVector.fromArray(S, y, yOff + 3 * ldy);
            FloatVector y31 = FloatVector.fromArray(S, y, yOff + 3 * ldy + LANES);
            (FMA ? al.fma(c30, y30) : al.mul(c30).add(y30)).intoArray(c, cOff + 3 * ldc);
            (FMA ? al.fma(c31, y31) : al.mul(c31).add(y31)).intoArray(c, cOff + 3 * ldc + LANES);
        }
    }

    /** The 6×NR tile: 12 accumulators (see the class comment for why 6). */
    private static void kernel6(float[] a, int aOff, MemorySegment b, long bOff, int kc, float[] c, int cOff,
            int ldc, float alpha, float[] y, int yOff, int ldy) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        FloatVector c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00;
        FloatVector c50 = c00, c51 = c00;
        for (int p = 0; p < kc; p++) {
            // (long) (p·NR)·4 rather than p·NRB: at 256 bits with 16 registers C2 compiles this form
            // to a loop 1.4× faster (64×1024×256 with -XX:UseAVX=2 on the Xeon: 77 → 110 GFLOP/s
            // against a 123 peak), while in the 512-bit kernels it was 10 % slower (221 → 199).
            long bi = bOff + (long) (p * NR) * Float.BYTES;
            int ai = aOff + p;
            FloatVector b0 = FloatVector.fromMemorySegment(S, b, bi, ORDER);
            FloatVector b1 = FloatVector.fromMemorySegment(S, b, bi + VB, ORDER);
            FloatVector e0 = FloatVector.broadcast(S, a[ai]);
            c00 = FMA ? e0.fma(b0, c00) : e0.mul(b0).add(c00);
            c01 = FMA ? e0.fma(b1, c01) : e0.mul(b1).add(c01);
            FloatVector e1 = FloatVector.broadcast(S, a[ai + 1 * AS]);
            c10 = FMA ? e1.fma(b0, c10) : e1.mul(b0).add(c10);
            c11 = FMA ? e1.fma(b1, c11) : e1.mul(b1).add(c11);
            FloatVector e2 = FloatVector.broadcast(S, a[ai + 2 * AS]);
            c20 = FMA ? e2.fma(b0, c20) : e2.mul(b0).add(c20);
            c21 = FMA ? e2.fma(b1, c21) : e2.mul(b1).add(c21);
            FloatVector e3 = FloatVector.broadcast(S, a[ai + 3 * AS]);
            c30 = FMA ? e3.fma(b0, c30) : e3.mul(b0).add(c30);
            c31 = FMA ? e3.fma(b1, c31) : e3.mul(b1).add(c31);
            FloatVector e4 = FloatVector.broadcast(S, a[ai + 4 * AS]);
            c40 = FMA ? e4.fma(b0, c40) : e4.mul(b0).add(c40);
            c41 = FMA ? e4.fma(b1, c41) : e4.mul(b1).add(c41);
            FloatVector e5 = FloatVector.broadcast(S, a[ai + 5 * AS]);
            c50 = FMA ? e5.fma(b0, c50) : e5.mul(b0).add(c50);
            c51 = FMA ? e5.fma(b1, c51) : e5.mul(b1).add(c51);
        }
        FloatVector al = FloatVector.broadcast(S, alpha);
        // Written out rather than through a helper: a helper taking vectors that C2 declines to
        // inline (it did, for a 39-byte one) boxes every accumulator.
        if (y == null) {
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
            // C = alpha·acc + Y, one fma per element (the edge path rounds the same way).
            FloatVector y00 = FloatVector.fromArray(S, y, yOff);
            FloatVector y01 = FloatVector.fromArray(S, y, yOff + LANES);
            (FMA ? al.fma(c00, y00) : al.mul(c00).add(y00)).intoArray(c, cOff);
            (FMA ? al.fma(c01, y01) : al.mul(c01).add(y01)).intoArray(c, cOff + LANES);
            FloatVector y10 = FloatVector.fromArray(S, y, yOff + 1 * ldy);
            FloatVector y11 = FloatVector.fromArray(S, y, yOff + 1 * ldy + LANES);
            (FMA ? al.fma(c10, y10) : al.mul(c10).add(y10)).intoArray(c, cOff + 1 * ldc);
            (FMA ? al.fma(c11, y11) : al.mul(c11).add(y11)).intoArray(c, cOff + 1 * ldc + LANES);
            FloatVector y20 = FloatVector.fromArray(S, y, yOff + 2 * ldy);
            FloatVector y21 = FloatVector.fromArray(S, y, yOff + 2 * ldy + LANES);
            (FMA ? al.fma(c20, y20) : al.mul(c20).add(y20)).intoArray(c, cOff + 2 * ldc);
            (FMA ? al.fma(c21, y21) : al.mul(c21).add(y21)).intoArray(c, cOff + 2 * ldc + LANES);
            FloatVector y30 = FloatVector.fromArray(S, y, yOff + 3 * ldy);
            FloatVector y31 = FloatVector.fromArray(S, y, yOff + 3 * ldy + LANES);
            (FMA ? al.fma(c30, y30) : al.mul(c30).add(y30)).intoArray(c, cOff + 3 * ldc);
            (FMA ? al.fma(c31, y31) : al.mul(c31).add(y31)).intoArray(c, cOff + 3 * ldc + LANES);
            FloatVector y40 = FloatVector.fromArray(S, y, yOff + 4 * ldy);
            FloatVector y41 = FloatVector.fromArray(S, y, yOff + 4 * ldy + LANES);
            (FMA ? al.fma(c40, y40) : al.mul(c40).add(y40)).intoArray(c, cOff + 4 * ldc);
            (FMA ? al.fma(c41, y41) : al.mul(c41).add(y41)).intoArray(c, cOff + 4 * ldc + LANES);
            FloatVector y50 = FloatVector.fromArray(S, y, yOff + 5 * ldy);
            FloatVector y51 = FloatVector.fromArray(S, y, yOff + 5 * ldy + LANES);
            (FMA ? al.fma(c50, y50) : al.mul(c50).add(y50)).intoArray(c, cOff + 5 * ldc);
            (FMA ? al.fma(c51, y51) : al.mul(c51).add(y51)).intoArray(c, cOff + 5 * ldc + LANES);
        }
    }
}
