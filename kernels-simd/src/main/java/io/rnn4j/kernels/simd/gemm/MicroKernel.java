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
 * to four: 4×1024×320 27.5 → 15.9 µs (95 → 165 GFLOP/s). A block of one to three rows goes across
 * four panels at once ({@link SmallTiles#wide}): 1, 2 and 3×1024×320 16.3, 15.7 and 16.9 → 12.1,
 * 12.6 and 13.1 µs.
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
     * {@link SimdConstants#FAST_FMA}, the one decision between {@code a.fma(b, c)} and
     * {@code a.mul(b).add(c)}; the kernels write the choice out at each use instead of calling a
     * helper that takes vectors, which C2 can leave out of line in a large compilation
     * (NodeCountInliningCutoff) and then boxes every accumulator on each call.
     */
    static final boolean FMA = SimdConstants.FAST_FMA;
    static final ByteOrder ORDER = AlignedFloats.ORDER;
    /** Bytes of one vector, and of one packed B row (NR floats). */
    static final long VB = LANES * (long) Float.BYTES;
    static final long NRB = NR * (long) Float.BYTES;
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
     * {@code bOff} of its aligned buffer (NR floats per p), {@code kc} deep. {@code rows} is MR,
     * {@link #SHORT} or {@link #SMALL}.
     */
    static void tile(int rows, float[] a, int aOff, MemorySegment b, long bOff, int kc, float[] c, int cOff, int ldc,
            float alpha, float[] y, int yOff, int ldy) {
        if (MR == 12) {
            if (rows == 12) {
                kernel12(a, aOff, b, bOff, kc, c, cOff, ldc, alpha, y, yOff, ldy);
            } else if (rows == 8) {
                kernel8(a, aOff, b, bOff, kc, c, cOff, ldc, alpha, y, yOff, ldy);
            } else {
                SmallTiles.kernel4(a, aOff, b, bOff, kc, c, cOff, ldc, alpha, y, yOff, ldy);
            }
        } else {
            kernel6(a, aOff, b, bOff, kc, c, cOff, ldc, alpha, y, yOff, ldy);
        }
    }

    /**
     * A partial tile ({@code rows} ≤ MR, {@code cols} ≤ NR) of {@link #tile}: a whole tile (of
     * SMALL or SHORT rows when they suffice) goes to {@code scratch} (MR·NR floats), then only the
     * valid part reaches C, with the same arithmetic as a full tile.
     */
    static void edge(float[] a, int aOff, MemorySegment b, long bOff, int kc, float[] scratch, int rows, int cols,
            float[] c, int cOff, int ldc, float alpha, float[] y, int yOff, int ldy) {
        int height = rows <= SMALL ? SMALL : rows <= SHORT ? SHORT : MR;
        tile(height, a, aOff, b, bOff, kc, scratch, 0, NR, 1f, null, 0, 0);
        for (int r = 0; r < rows; r++) {
            int row = cOff + r * ldc;
            int yRow = yOff + r * ldy;
            for (int j = 0; j < cols; j++) {
                float acc = scratch[r * NR + j];
                c[row + j] = y == null ? alpha * acc : fma(alpha, acc, y[yRow + j]);
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
