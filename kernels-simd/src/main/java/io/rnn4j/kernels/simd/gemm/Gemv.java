package io.rnn4j.kernels.simd.gemm;

import io.rnn4j.kernels.simd.platform.AlignedFloats;
import io.rnn4j.kernels.simd.platform.SimdConstants;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batch-1 product {@code y = x · B} (or {@code y += x · B}) with B (k×n) packed once for streaming
 * from cache: the recurrent step {@code h·U} of a batch-1 RNN.
 *
 * <p><b>Floor.</b> Each element of B is used once per call, so the product is bound by reading B:
 * {@code 4·k·n} bytes, from L2 when it fits (U of a 4H×H LSTM: 256 KB at H = 128, 1 MB at H = 256).
 * On the reference machine (Xeon, AVX-512) a plain vector sum streams 256 KB or 1 MB from L2 at 193
 * GB/s when the data is 64-byte aligned and at 107 GB/s when it is not (a Java array's elements
 * never are: every 64-byte load then straddles two cache lines). So B is packed into an aligned
 * buffer ({@link AlignedFloats}); this GEMV then measured 1.52 µs at H = 128 (172 GB/s, 1.36 µs
 * floor) and 5.9 µs at H = 256 (178 GB/s, 5.4 µs floor), against 2.4 and 9.4 µs from an array.
 * A single stream of eight-vector rows, sixteen accumulators or a serpentine panel order (to
 * start each call on what the last left in L1) measured no better. Nor does the cell's gate
 * arithmetic hide behind this stream: with U's columns in 32-unit chunks of all four LSTM gates,
 * each chunk's gates run right after its columns (1.84 µs a step at H = 128, against 1.74 for the
 * whole GEMV and then the whole gate pass), and in pieces between 32-row sub-loops of the next
 * chunk's columns they took 2.23 µs against 2.25 run after them: the out-of-order window overlaps
 * neither, and splitting the loop costs more than it could. Laying 20 KB of U in L1 sets that the
 * rest never maps to, so that it stays in L1 between steps, gained only 1–3 % in a harness.
 * Where the 10 % over the plain stream goes (one 256 KB pass, harness): the same loop with FMAs by
 * a constant instead of adds 1.47 against 1.41 µs, broadcasting x[p] as well 1.51; x pre-broadcast
 * into vectors (a load instead of a broadcast) 1.65, and 256-bit vectors 1.65 even for the adds.
 * B is packed into panels of four vectors' width, k rows each, all panels back to back, so one call
 * reads one contiguous array front to back and the hardware prefetcher sees a single stream.
 *
 * <p><b>Loop.</b> Two panels at a time, eight accumulators: each row step loads eight vectors of
 * B, broadcasts x[p] and issues eight independent FMAs. With four (one panel) the FMA latency
 * (about 4 cycles) capped the loads below what aligned L2 delivers. Elements are summed over p in
 * order whichever way they are grouped. The column tail is the last panel, zero-padded when packed
 * and stored through a mask, so no scalar tail is needed and no length has to be aligned.
 *
 * <p><b>A few rows.</b> A small batch's step ({@link #multiply(int, float[], int, int, float[], int,
 * int, boolean)}) takes two or three rows per pass over B (two panels, sixteen or 24
 * accumulators) or four (one panel, sixteen accumulators), each row the same chain as alone.
 * Measured on the reference machine at k = 256, n = 1024 (one thread, medians): one row 5.9–6.1 µs,
 * two 7.8 (3.9 a row), three 9.4 (3.1 a row), four 11.0 (2.8 a row, 190 GFLOP/s, about 80 % of the
 * FMA peak). The kernels live in {@code GemvRows} as static methods given B and k: written here as
 * instance methods reading them from fields, the four-row loop took 14.3 µs. The per-step GEMM
 * they replace computed a whole register tile of 8 or 12 rows for them (see
 * {@code CellKernel.GEMV_BATCH}).
 */
public final class Gemv {
    static final VectorSpecies<Float> S = SimdConstants.SPECIES;
    static final int LANES = S.length();
    /** Columns per panel: four vectors. */
    static final int PANEL = 4 * LANES;
    /** {@link SimdConstants#FAST_FMA}, written out at each use (see {@code MicroKernel.FMA} for why). */
    static final boolean FMA = SimdConstants.FAST_FMA;
    static final ByteOrder ORDER = AlignedFloats.ORDER;
    /** Bytes per vector, and per packed row of a panel. */
    static final long VB = LANES * (long) Float.BYTES;
    static final long ROW = PANEL * (long) Float.BYTES;

    private final int k;
    private final int n;
    private final MemorySegment data;

    private Gemv(int k, int n, MemorySegment data) {
        this.k = k;
        this.n = n;
        this.data = data;
    }

    /**
     * Packs B, stored k×n with row stride {@code ldb} at {@code bOff}.
     *
     * @throws IllegalArgumentException if a size is negative, {@code ldb} too small or the array too
     *     short
     */
    public static Gemv pack(int k, int n, float[] b, int bOff, int ldb) {
        return repack(null, k, n, b, bOff, ldb);
    }

    /**
     * Packs B as {@link #pack} does, into {@code old}'s memory when {@code old} has the same k and n
     * (weights re-packed after every write reuse one buffer instead of leaving each to the
     * collector), else into new memory. Returns the packed form: {@code old} itself, or a new one.
     *
     * @throws IllegalArgumentException as {@link #pack}
     */
    public static Gemv repack(Gemv old, int k, int n, float[] b, int bOff, int ldb) {
        GemmChecks.matrix("B", false, k, n, b, bOff, ldb);
        int panels = Math.ceilDiv(n, PANEL);
        Gemv g = old != null && old.k == k && old.n == n ? old
                : new Gemv(k, n, AlignedFloats.allocate(Math.multiplyExact(Math.multiplyExact((long) panels, k), PANEL)));
        for (int q = 0; q < panels; q++) {
            int col0 = q * PANEL;
            int width = Math.min(PANEL, n - col0);
            for (int p = 0; p < k; p++) {
                // Past column n the panel keeps the zeros it was allocated with.
                AlignedFloats.copy(b, bOff + p * ldb + col0, g.data, ((long) q * k + p) * PANEL, width);
            }
        }
        return g;
    }

    /**
     * {@code y[0..n) = x[0..k) · B}, or {@code y += x · B} with {@code accumulate}. Runs on the
     * calling thread.
     *
     * @throws IllegalArgumentException if x or y is too short for k or n floats at its offset
     */
    public void multiply(float[] x, int xOff, float[] y, int yOff, boolean accumulate) {
        multiply(x, xOff, y, yOff, accumulate, 0, n);
    }

    /**
     * The same for columns {@code [from, to)} only, so several threads can each own a slice of B's
     * columns (each keeping its slice in its own core's cache); {@code y[yOff + j]} for j outside
     * the range is not touched. {@code from} and {@code to} must be multiples of
     * {@link #columnBlock()}, or {@code to == cols()}.
     *
     * @throws IllegalArgumentException if the range is out of bounds or not aligned, or x or y too
     *     short
     */
    public void multiply(float[] x, int xOff, float[] y, int yOff, boolean accumulate, int from, int to) {
        GemmChecks.matrix("x", false, 1, k, x, xOff, Math.max(1, k));
        GemmChecks.matrix("y", false, 1, n, y, yOff, Math.max(1, n));
        if (from < 0 || to > n || from > to || from % PANEL != 0 || to % PANEL != 0 && to != n) {
            throw new IllegalArgumentException("gemv columns: expected 0 <= from <= to <= " + n + ", from a multiple of "
                    + PANEL + " and to a multiple of it or " + n + ", got [" + from + ", " + to + ")");
        }
        int q = from / PANEL;
        int end = Math.ceilDiv(to, PANEL);
        // Two full panels at a time: eight independent FMA chains (four cannot keep up with L2).
        for (; q + 1 < end && (q + 2) * PANEL <= to; q += 2) {
            panelPair(x, xOff, y, yOff + q * PANEL, accumulate, (long) q * k * ROW);
        }
        for (; q < end; q++) {
            panel(x, xOff, y, yOff + q * PANEL, accumulate, (long) q * k * ROW, Math.min(PANEL, to - q * PANEL));
        }
    }

    /**
     * {@code Y = X · B} (or {@code Y += X · B}) for a few rows at once: row r of X at
     * {@code xOff + r·ldx} (k floats), row r of Y at {@code yOff + r·ldy} (n floats). Each pass
     * over B serves two to four rows (with AVX-512's registers; else one), so a small batch reads B
     * once per two to four rows instead of once per row. Every element is the same fma chain over p
     * as {@link #multiply(float[], int, float[], int, boolean)} gives its row alone, so a row's bits
     * do not depend on the rows beside it. Runs on the calling thread.
     *
     * @throws IllegalArgumentException if rows is negative, or X or Y too short for it
     */
    public void multiply(int rows, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy, boolean accumulate) {
        if (rows < 0) {
            throw new IllegalArgumentException("gemv rows: expected a non-negative count, got " + rows);
        }
        if (rows == 0) {
            return;
        }
        GemmChecks.matrix("X", false, rows, k, x, xOff, Math.max(ldx, 1));
        GemmChecks.matrix("Y", false, rows, n, y, yOff, Math.max(ldy, 1));
        int r = 0;
        if (!GemvRows.APPLY) {
            for (; r < rows; r++) {
                multiply(x, xOff + r * ldx, y, yOff + r * ldy, accumulate);
            }
            return;
        }
        // Threes while more than four rows are left, then the rest in one group: at k = 256, n = 1024
        // six rows took 18.8 µs as 3 + 3 and as 4 + 2, five 16.3 as 3 + 2 (four take one panel at a
        // time: over two they would need more than 32 registers).
        while (rows - r > 4) {
            GemvRows.group(data, k, n, 3, x, xOff + r * ldx, ldx, y, yOff + r * ldy, ldy, accumulate);
            r += 3;
        }
        if (rows - r == 1) {
            multiply(x, xOff + r * ldx, y, yOff + r * ldy, accumulate);
        } else {
            GemvRows.group(data, k, n, rows - r, x, xOff + r * ldx, ldx, y, yOff + r * ldy, ldy, accumulate);
        }
    }

    /** Two full panels, the second right after the first in y and in B. */
    private void panelPair(float[] x, int xOff, float[] y, int yAt, boolean accumulate, long base) {
        FloatVector acc0 = FloatVector.zero(S);
        FloatVector acc1 = acc0;
        FloatVector acc2 = acc0;
        FloatVector acc3 = acc0;
        FloatVector acc4 = acc0;
        FloatVector acc5 = acc0;
        FloatVector acc6 = acc0;
        FloatVector acc7 = acc0;
        MemorySegment b = data;
        long second = k * ROW;
        for (int p = 0; p < k; p++) {
            long at = base + p * ROW;
            long at2 = at + second;
            FloatVector xp = FloatVector.broadcast(S, x[xOff + p]);
            FloatVector b0 = FloatVector.fromMemorySegment(S, b, at, ORDER);
            acc0 = FMA ? xp.fma(b0, acc0) : xp.mul(b0).add(acc0);
            FloatVector b4 = FloatVector.fromMemorySegment(S, b, at2, ORDER);
            acc4 = FMA ? xp.fma(b4, acc4) : xp.mul(b4).add(acc4);
            FloatVector b1 = FloatVector.fromMemorySegment(S, b, at + VB, ORDER);
            acc1 = FMA ? xp.fma(b1, acc1) : xp.mul(b1).add(acc1);
            FloatVector b5 = FloatVector.fromMemorySegment(S, b, at2 + VB, ORDER);
            acc5 = FMA ? xp.fma(b5, acc5) : xp.mul(b5).add(acc5);
            FloatVector b2 = FloatVector.fromMemorySegment(S, b, at + 2 * VB, ORDER);
            acc2 = FMA ? xp.fma(b2, acc2) : xp.mul(b2).add(acc2);
            FloatVector b6 = FloatVector.fromMemorySegment(S, b, at2 + 2 * VB, ORDER);
            acc6 = FMA ? xp.fma(b6, acc6) : xp.mul(b6).add(acc6);
            FloatVector b3 = FloatVector.fromMemorySegment(S, b, at + 3 * VB, ORDER);
            acc3 = FMA ? xp.fma(b3, acc3) : xp.mul(b3).add(acc3);
            FloatVector b7 = FloatVector.fromMemorySegment(S, b, at2 + 3 * VB, ORDER);
            acc7 = FMA ? xp.fma(b7, acc7) : xp.mul(b7).add(acc7);
        }
        if (accumulate) {
            acc0 = acc0.add(FloatVector.fromArray(S, y, yAt));
            acc1 = acc1.add(FloatVector.fromArray(S, y, yAt + LANES));
            acc2 = acc2.add(FloatVector.fromArray(S, y, yAt + 2 * LANES));
            acc3 = acc3.add(FloatVector.fromArray(S, y, yAt + 3 * LANES));
            acc4 = acc4.add(FloatVector.fromArray(S, y, yAt + 4 * LANES));
            acc5 = acc5.add(FloatVector.fromArray(S, y, yAt + 5 * LANES));
            acc6 = acc6.add(FloatVector.fromArray(S, y, yAt + 6 * LANES));
            acc7 = acc7.add(FloatVector.fromArray(S, y, yAt + 7 * LANES));
        }
        acc0.intoArray(y, yAt);
        acc1.intoArray(y, yAt + LANES);
        acc2.intoArray(y, yAt + 2 * LANES);
        acc3.intoArray(y, yAt + 3 * LANES);
        acc4.intoArray(y, yAt + 4 * LANES);
        acc5.intoArray(y, yAt + 5 * LANES);
        acc6.intoArray(y, yAt + 6 * LANES);
        acc7.intoArray(y, yAt + 7 * LANES);
    }

    /** One panel: y[0..valid) of it at {@code yAt}. */
    private void panel(float[] x, int xOff, float[] y, int yAt, boolean accumulate, long base, int valid) {
        FloatVector acc0 = FloatVector.zero(S);
        FloatVector acc1 = acc0;
        FloatVector acc2 = acc0;
        FloatVector acc3 = acc0;
        MemorySegment b = data;
        for (int p = 0; p < k; p++) {
            long at = base + p * ROW;
            FloatVector xp = FloatVector.broadcast(S, x[xOff + p]);
            FloatVector b0 = FloatVector.fromMemorySegment(S, b, at, ORDER);
            acc0 = FMA ? xp.fma(b0, acc0) : xp.mul(b0).add(acc0);
            FloatVector b1 = FloatVector.fromMemorySegment(S, b, at + VB, ORDER);
            acc1 = FMA ? xp.fma(b1, acc1) : xp.mul(b1).add(acc1);
            FloatVector b2 = FloatVector.fromMemorySegment(S, b, at + 2 * VB, ORDER);
            acc2 = FMA ? xp.fma(b2, acc2) : xp.mul(b2).add(acc2);
            FloatVector b3 = FloatVector.fromMemorySegment(S, b, at + 3 * VB, ORDER);
            acc3 = FMA ? xp.fma(b3, acc3) : xp.mul(b3).add(acc3);
        }
        // Stores written out, not through helpers: a helper that takes vectors and is not inlined
        // boxes them (C2 declined a 56-byte one here).
        if (valid == PANEL && accumulate) {
            acc0.add(FloatVector.fromArray(S, y, yAt)).intoArray(y, yAt);
            acc1.add(FloatVector.fromArray(S, y, yAt + LANES)).intoArray(y, yAt + LANES);
            acc2.add(FloatVector.fromArray(S, y, yAt + 2 * LANES)).intoArray(y, yAt + 2 * LANES);
            acc3.add(FloatVector.fromArray(S, y, yAt + 3 * LANES)).intoArray(y, yAt + 3 * LANES);
        } else if (valid == PANEL) {
            acc0.intoArray(y, yAt);
            acc1.intoArray(y, yAt + LANES);
            acc2.intoArray(y, yAt + 2 * LANES);
            acc3.intoArray(y, yAt + 3 * LANES);
        } else {
            // The last panel: lanes at or past {@code valid} are masked off, never read or written.
            VectorMask<Float> m0 = S.indexInRange(0, valid);
            VectorMask<Float> m1 = S.indexInRange(LANES, valid);
            VectorMask<Float> m2 = S.indexInRange(2 * LANES, valid);
            VectorMask<Float> m3 = S.indexInRange(3 * LANES, valid);
            if (accumulate) {
                acc0.add(FloatVector.fromArray(S, y, yAt, m0)).intoArray(y, yAt, m0);
                acc1.add(FloatVector.fromArray(S, y, yAt + LANES, m1)).intoArray(y, yAt + LANES, m1);
                acc2.add(FloatVector.fromArray(S, y, yAt + 2 * LANES, m2)).intoArray(y, yAt + 2 * LANES, m2);
                acc3.add(FloatVector.fromArray(S, y, yAt + 3 * LANES, m3)).intoArray(y, yAt + 3 * LANES, m3);
            } else {
                acc0.intoArray(y, yAt, m0);
                acc1.intoArray(y, yAt + LANES, m1);
                acc2.intoArray(y, yAt + 2 * LANES, m2);
                acc3.intoArray(y, yAt + 3 * LANES, m3);
            }
        }
    }

    /** k, the length of x. */
    public int rows() {
        return k;
    }

    /** n, the length of y. */
    public int cols() {
        return n;
    }

    /** The column granularity of {@link #multiply(float[], int, float[], int, boolean, int, int)}. */
    public int columnBlock() {
        return PANEL;
    }
}
