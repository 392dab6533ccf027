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
 * start each call on what the last left in L1) measured no better.
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
 * Measured on the reference machine at k = 256, n = 1024 (one thread, medians): one row 6.06 µs,
 * two 7.8 µs (3.9 a row), three 8.8 (2.9 a row), four 14.3 µs (3.6 a row, 146 GFLOP/s, about 60 %
 * of the FMA peak; neither the FMAs nor L2 bound it, and what does was not found). The per-step GEMM they replace computed a whole register tile of 8 or
 * 12 rows for them (see {@code CellKernel.GEMV_BATCH}).
 */
public final class Gemv {
    private static final VectorSpecies<Float> S = SimdConstants.SPECIES;
    private static final int LANES = S.length();
    /** Columns per panel: four vectors. */
    private static final int PANEL = 4 * LANES;
    /** {@link SimdConstants#FAST_FMA}, written out at each use (see {@code MicroKernel.FMA} for why). */
    private static final boolean FMA = SimdConstants.FAST_FMA;
    private static final ByteOrder ORDER = AlignedFloats.ORDER;
    /** Bytes per vector, and per packed row of a panel. */
    private static final long VB = LANES * (long) Float.BYTES;
    private static final long ROW = PANEL * (long) Float.BYTES;

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
     * over B serves two or four rows, so a small batch reads B once per two or four rows instead of
     * once per row (at four rows the FMAs, not the reads, bound it). Every element is the same fma
     * chain over p as {@link #multiply(float[], int, float[], int, boolean)} gives its row alone,
     * so a row's bits do not depend on the rows beside it. Runs on the calling thread.
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
        int panels = Math.ceilDiv(n, PANEL);
        int r = 0;
        // Threes while more than four rows are left, then the rest in one group: measured at k = 256,
        // n = 1024, a group of three took 8.8 µs, two 7.8 and four 14.3 (four take one panel at a
        // time: over two they would need more than 32 registers).
        while (rows - r > 4) {
            group(3, x, xOff + r * ldx, ldx, y, yOff + r * ldy, ldy, accumulate, panels);
            r += 3;
        }
        if (rows - r == 1) {
            multiply(x, xOff + r * ldx, y, yOff + r * ldy, accumulate);
        } else {
            group(rows - r, x, xOff + r * ldx, ldx, y, yOff + r * ldy, ldy, accumulate, panels);
        }
    }

    /** {@code rows} (2 to 4) rows over all panels: pairs of whole panels where the kernel has them. */
    private void group(int rows, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy, boolean accumulate,
            int panels) {
        int q = 0;
        if (rows < 4) {
            for (; q + 1 < panels && (q + 2) * PANEL <= n; q += 2) {
                if (rows == 2) {
                    panelPairRows(x, xOff, ldx, y, yOff + q * PANEL, ldy, accumulate, (long) q * k * ROW);
                } else {
                    panelPairThreeRows(x, xOff, ldx, y, yOff + q * PANEL, ldy, accumulate, (long) q * k * ROW);
                }
            }
        }
        for (; q < panels; q++) {
            panelRows(rows, x, xOff, ldx, y, yOff + q * PANEL, ldy, accumulate, (long) q * k * ROW,
                    Math.min(PANEL, n - q * PANEL));
        }
    }

    /**
     * Two full panels for two rows: sixteen accumulators, eight loads of B per two broadcasts (as
     * {@link #panelPair}, whose chains these are, row by row).
     */
    private void panelPairRows(float[] x, int xOff, int ldx, float[] y, int yAt, int ldy, boolean accumulate,
            long base) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector a4 = a0;
        FloatVector a5 = a0;
        FloatVector a6 = a0;
        FloatVector a7 = a0;
        FloatVector c0 = a0;
        FloatVector c1 = a0;
        FloatVector c2 = a0;
        FloatVector c3 = a0;
        FloatVector c4 = a0;
        FloatVector c5 = a0;
        FloatVector c6 = a0;
        FloatVector c7 = a0;
        MemorySegment b = data;
        long second = k * ROW;
        int x1 = xOff + ldx;
        for (int p = 0; p < k; p++) {
            long at = base + p * ROW;
            long at2 = at + second;
            FloatVector xa = FloatVector.broadcast(S, x[xOff + p]);
            FloatVector xc = FloatVector.broadcast(S, x[x1 + p]);
            FloatVector b0 = FloatVector.fromMemorySegment(S, b, at, ORDER);
            a0 = FMA ? xa.fma(b0, a0) : xa.mul(b0).add(a0);
            c0 = FMA ? xc.fma(b0, c0) : xc.mul(b0).add(c0);
            FloatVector b1 = FloatVector.fromMemorySegment(S, b, at + VB, ORDER);
            a1 = FMA ? xa.fma(b1, a1) : xa.mul(b1).add(a1);
            c1 = FMA ? xc.fma(b1, c1) : xc.mul(b1).add(c1);
            FloatVector b2 = FloatVector.fromMemorySegment(S, b, at + 2 * VB, ORDER);
            a2 = FMA ? xa.fma(b2, a2) : xa.mul(b2).add(a2);
            c2 = FMA ? xc.fma(b2, c2) : xc.mul(b2).add(c2);
            FloatVector b3 = FloatVector.fromMemorySegment(S, b, at + 3 * VB, ORDER);
            a3 = FMA ? xa.fma(b3, a3) : xa.mul(b3).add(a3);
            c3 = FMA ? xc.fma(b3, c3) : xc.mul(b3).add(c3);
            FloatVector b4 = FloatVector.fromMemorySegment(S, b, at2, ORDER);
            a4 = FMA ? xa.fma(b4, a4) : xa.mul(b4).add(a4);
            c4 = FMA ? xc.fma(b4, c4) : xc.mul(b4).add(c4);
            FloatVector b5 = FloatVector.fromMemorySegment(S, b, at2 + VB, ORDER);
            a5 = FMA ? xa.fma(b5, a5) : xa.mul(b5).add(a5);
            c5 = FMA ? xc.fma(b5, c5) : xc.mul(b5).add(c5);
            FloatVector b6 = FloatVector.fromMemorySegment(S, b, at2 + 2 * VB, ORDER);
            a6 = FMA ? xa.fma(b6, a6) : xa.mul(b6).add(a6);
            c6 = FMA ? xc.fma(b6, c6) : xc.mul(b6).add(c6);
            FloatVector b7 = FloatVector.fromMemorySegment(S, b, at2 + 3 * VB, ORDER);
            a7 = FMA ? xa.fma(b7, a7) : xa.mul(b7).add(a7);
            c7 = FMA ? xc.fma(b7, c7) : xc.mul(b7).add(c7);
        }
        int y1 = yAt + ldy;
        if (accumulate) {
            a0 = a0.add(FloatVector.fromArray(S, y, yAt));
            a1 = a1.add(FloatVector.fromArray(S, y, yAt + LANES));
            a2 = a2.add(FloatVector.fromArray(S, y, yAt + 2 * LANES));
            a3 = a3.add(FloatVector.fromArray(S, y, yAt + 3 * LANES));
            a4 = a4.add(FloatVector.fromArray(S, y, yAt + 4 * LANES));
            a5 = a5.add(FloatVector.fromArray(S, y, yAt + 5 * LANES));
            a6 = a6.add(FloatVector.fromArray(S, y, yAt + 6 * LANES));
            a7 = a7.add(FloatVector.fromArray(S, y, yAt + 7 * LANES));
            c0 = c0.add(FloatVector.fromArray(S, y, y1));
            c1 = c1.add(FloatVector.fromArray(S, y, y1 + LANES));
            c2 = c2.add(FloatVector.fromArray(S, y, y1 + 2 * LANES));
            c3 = c3.add(FloatVector.fromArray(S, y, y1 + 3 * LANES));
            c4 = c4.add(FloatVector.fromArray(S, y, y1 + 4 * LANES));
            c5 = c5.add(FloatVector.fromArray(S, y, y1 + 5 * LANES));
            c6 = c6.add(FloatVector.fromArray(S, y, y1 + 6 * LANES));
            c7 = c7.add(FloatVector.fromArray(S, y, y1 + 7 * LANES));
        }
        a0.intoArray(y, yAt);
        a1.intoArray(y, yAt + LANES);
        a2.intoArray(y, yAt + 2 * LANES);
        a3.intoArray(y, yAt + 3 * LANES);
        a4.intoArray(y, yAt + 4 * LANES);
        a5.intoArray(y, yAt + 5 * LANES);
        a6.intoArray(y, yAt + 6 * LANES);
        a7.intoArray(y, yAt + 7 * LANES);
        c0.intoArray(y, y1);
        c1.intoArray(y, y1 + LANES);
        c2.intoArray(y, y1 + 2 * LANES);
        c3.intoArray(y, y1 + 3 * LANES);
        c4.intoArray(y, y1 + 4 * LANES);
        c5.intoArray(y, y1 + 5 * LANES);
        c6.intoArray(y, y1 + 6 * LANES);
        c7.intoArray(y, y1 + 7 * LANES);
    }

    /**
     * Two full panels for three rows: 24 accumulators, each vector of B loaded right before its
     * three FMAs, so that with the three broadcasts the loop stays within 32 registers.
     */
    private void panelPairThreeRows(float[] x, int xOff, int ldx, float[] y, int yAt, int ldy, boolean accumulate,
            long base) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector a4 = a0;
        FloatVector a5 = a0;
        FloatVector a6 = a0;
        FloatVector a7 = a0;
        FloatVector c0 = a0;
        FloatVector c1 = a0;
        FloatVector c2 = a0;
        FloatVector c3 = a0;
        FloatVector c4 = a0;
        FloatVector c5 = a0;
        FloatVector c6 = a0;
        FloatVector c7 = a0;
        FloatVector d0 = a0;
        FloatVector d1 = a0;
        FloatVector d2 = a0;
        FloatVector d3 = a0;
        FloatVector d4 = a0;
        FloatVector d5 = a0;
        FloatVector d6 = a0;
        FloatVector d7 = a0;
        MemorySegment b = data;
        long second = k * ROW;
        int x1 = xOff + ldx;
        int x2 = x1 + ldx;
        for (int p = 0; p < k; p++) {
            long at = base + p * ROW;
            long at2 = at + second;
            FloatVector xa = FloatVector.broadcast(S, x[xOff + p]);
            FloatVector xc = FloatVector.broadcast(S, x[x1 + p]);
            FloatVector xd = FloatVector.broadcast(S, x[x2 + p]);
            FloatVector b0 = FloatVector.fromMemorySegment(S, b, at, ORDER);
            a0 = FMA ? xa.fma(b0, a0) : xa.mul(b0).add(a0);
            c0 = FMA ? xc.fma(b0, c0) : xc.mul(b0).add(c0);
            d0 = FMA ? xd.fma(b0, d0) : xd.mul(b0).add(d0);
            FloatVector b1 = FloatVector.fromMemorySegment(S, b, at + VB, ORDER);
            a1 = FMA ? xa.fma(b1, a1) : xa.mul(b1).add(a1);
            c1 = FMA ? xc.fma(b1, c1) : xc.mul(b1).add(c1);
            d1 = FMA ? xd.fma(b1, d1) : xd.mul(b1).add(d1);
            FloatVector b2 = FloatVector.fromMemorySegment(S, b, at + 2 * VB, ORDER);
            a2 = FMA ? xa.fma(b2, a2) : xa.mul(b2).add(a2);
            c2 = FMA ? xc.fma(b2, c2) : xc.mul(b2).add(c2);
            d2 = FMA ? xd.fma(b2, d2) : xd.mul(b2).add(d2);
            FloatVector b3 = FloatVector.fromMemorySegment(S, b, at + 3 * VB, ORDER);
            a3 = FMA ? xa.fma(b3, a3) : xa.mul(b3).add(a3);
            c3 = FMA ? xc.fma(b3, c3) : xc.mul(b3).add(c3);
            d3 = FMA ? xd.fma(b3, d3) : xd.mul(b3).add(d3);
            FloatVector b4 = FloatVector.fromMemorySegment(S, b, at2, ORDER);
            a4 = FMA ? xa.fma(b4, a4) : xa.mul(b4).add(a4);
            c4 = FMA ? xc.fma(b4, c4) : xc.mul(b4).add(c4);
            d4 = FMA ? xd.fma(b4, d4) : xd.mul(b4).add(d4);
            FloatVector b5 = FloatVector.fromMemorySegment(S, b, at2 + VB, ORDER);
            a5 = FMA ? xa.fma(b5, a5) : xa.mul(b5).add(a5);
            c5 = FMA ? xc.fma(b5, c5) : xc.mul(b5).add(c5);
            d5 = FMA ? xd.fma(b5, d5) : xd.mul(b5).add(d5);
            FloatVector b6 = FloatVector.fromMemorySegment(S, b, at2 + 2 * VB, ORDER);
            a6 = FMA ? xa.fma(b6, a6) : xa.mul(b6).add(a6);
            c6 = FMA ? xc.fma(b6, c6) : xc.mul(b6).add(c6);
            d6 = FMA ? xd.fma(b6, d6) : xd.mul(b6).add(d6);
            FloatVector b7 = FloatVector.fromMemorySegment(S, b, at2 + 3 * VB, ORDER);
            a7 = FMA ? xa.fma(b7, a7) : xa.mul(b7).add(a7);
            c7 = FMA ? xc.fma(b7, c7) : xc.mul(b7).add(c7);
            d7 = FMA ? xd.fma(b7, d7) : xd.mul(b7).add(d7);
        }
        int y1 = yAt + ldy;
        int y2 = y1 + ldy;
        if (accumulate) {
            a0 = a0.add(FloatVector.fromArray(S, y, yAt));
            a1 = a1.add(FloatVector.fromArray(S, y, yAt + LANES));
            a2 = a2.add(FloatVector.fromArray(S, y, yAt + 2 * LANES));
            a3 = a3.add(FloatVector.fromArray(S, y, yAt + 3 * LANES));
            a4 = a4.add(FloatVector.fromArray(S, y, yAt + 4 * LANES));
            a5 = a5.add(FloatVector.fromArray(S, y, yAt + 5 * LANES));
            a6 = a6.add(FloatVector.fromArray(S, y, yAt + 6 * LANES));
            a7 = a7.add(FloatVector.fromArray(S, y, yAt + 7 * LANES));
            c0 = c0.add(FloatVector.fromArray(S, y, y1));
            c1 = c1.add(FloatVector.fromArray(S, y, y1 + LANES));
            c2 = c2.add(FloatVector.fromArray(S, y, y1 + 2 * LANES));
            c3 = c3.add(FloatVector.fromArray(S, y, y1 + 3 * LANES));
            c4 = c4.add(FloatVector.fromArray(S, y, y1 + 4 * LANES));
            c5 = c5.add(FloatVector.fromArray(S, y, y1 + 5 * LANES));
            c6 = c6.add(FloatVector.fromArray(S, y, y1 + 6 * LANES));
            c7 = c7.add(FloatVector.fromArray(S, y, y1 + 7 * LANES));
            d0 = d0.add(FloatVector.fromArray(S, y, y2));
            d1 = d1.add(FloatVector.fromArray(S, y, y2 + LANES));
            d2 = d2.add(FloatVector.fromArray(S, y, y2 + 2 * LANES));
            d3 = d3.add(FloatVector.fromArray(S, y, y2 + 3 * LANES));
            d4 = d4.add(FloatVector.fromArray(S, y, y2 + 4 * LANES));
            d5 = d5.add(FloatVector.fromArray(S, y, y2 + 5 * LANES));
            d6 = d6.add(FloatVector.fromArray(S, y, y2 + 6 * LANES));
            d7 = d7.add(FloatVector.fromArray(S, y, y2 + 7 * LANES));
        }
        a0.intoArray(y, yAt);
        a1.intoArray(y, yAt + LANES);
        a2.intoArray(y, yAt + 2 * LANES);
        a3.intoArray(y, yAt + 3 * LANES);
        a4.intoArray(y, yAt + 4 * LANES);
        a5.intoArray(y, yAt + 5 * LANES);
        a6.intoArray(y, yAt + 6 * LANES);
        a7.intoArray(y, yAt + 7 * LANES);
        c0.intoArray(y, y1);
        c1.intoArray(y, y1 + LANES);
        c2.intoArray(y, y1 + 2 * LANES);
        c3.intoArray(y, y1 + 3 * LANES);
        c4.intoArray(y, y1 + 4 * LANES);
        c5.intoArray(y, y1 + 5 * LANES);
        c6.intoArray(y, y1 + 6 * LANES);
        c7.intoArray(y, y1 + 7 * LANES);
        d0.intoArray(y, y2);
        d1.intoArray(y, y2 + LANES);
        d2.intoArray(y, y2 + 2 * LANES);
        d3.intoArray(y, y2 + 3 * LANES);
        d4.intoArray(y, y2 + 4 * LANES);
        d5.intoArray(y, y2 + 5 * LANES);
        d6.intoArray(y, y2 + 6 * LANES);
        d7.intoArray(y, y2 + 7 * LANES);
    }

    /**
     * One panel for {@code rows} (2 to 4) rows: sixteen accumulators, four loads of B per four
     * broadcasts. Rows past {@code rows} repeat row 0 and are not stored (every accumulator is
     * always computed: a vector assigned on only one branch would live on the heap). Of a partial
     * last panel only the {@code valid} columns are read and written.
     */
    private void panelRows(int rows, float[] x, int xOff, int ldx, float[] y, int yAt, int ldy, boolean accumulate,
            long base, int valid) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector c0 = a0;
        FloatVector c1 = a0;
        FloatVector c2 = a0;
        FloatVector c3 = a0;
        FloatVector d0 = a0;
        FloatVector d1 = a0;
        FloatVector d2 = a0;
        FloatVector d3 = a0;
        FloatVector e0 = a0;
        FloatVector e1 = a0;
        FloatVector e2 = a0;
        FloatVector e3 = a0;
        MemorySegment b = data;
        int x1 = xOff + ldx;
        int x2 = rows > 2 ? x1 + ldx : xOff;
        int x3 = rows > 3 ? x2 + ldx : xOff;
        for (int p = 0; p < k; p++) {
            long at = base + p * ROW;
            FloatVector xa = FloatVector.broadcast(S, x[xOff + p]);
            FloatVector xc = FloatVector.broadcast(S, x[x1 + p]);
            FloatVector xd = FloatVector.broadcast(S, x[x2 + p]);
            FloatVector xe = FloatVector.broadcast(S, x[x3 + p]);
            FloatVector b0 = FloatVector.fromMemorySegment(S, b, at, ORDER);
            a0 = FMA ? xa.fma(b0, a0) : xa.mul(b0).add(a0);
            c0 = FMA ? xc.fma(b0, c0) : xc.mul(b0).add(c0);
            d0 = FMA ? xd.fma(b0, d0) : xd.mul(b0).add(d0);
            e0 = FMA ? xe.fma(b0, e0) : xe.mul(b0).add(e0);
            FloatVector b1 = FloatVector.fromMemorySegment(S, b, at + VB, ORDER);
            a1 = FMA ? xa.fma(b1, a1) : xa.mul(b1).add(a1);
            c1 = FMA ? xc.fma(b1, c1) : xc.mul(b1).add(c1);
            d1 = FMA ? xd.fma(b1, d1) : xd.mul(b1).add(d1);
            e1 = FMA ? xe.fma(b1, e1) : xe.mul(b1).add(e1);
            FloatVector b2 = FloatVector.fromMemorySegment(S, b, at + 2 * VB, ORDER);
            a2 = FMA ? xa.fma(b2, a2) : xa.mul(b2).add(a2);
            c2 = FMA ? xc.fma(b2, c2) : xc.mul(b2).add(c2);
            d2 = FMA ? xd.fma(b2, d2) : xd.mul(b2).add(d2);
            e2 = FMA ? xe.fma(b2, e2) : xe.mul(b2).add(e2);
            FloatVector b3 = FloatVector.fromMemorySegment(S, b, at + 3 * VB, ORDER);
            a3 = FMA ? xa.fma(b3, a3) : xa.mul(b3).add(a3);
            c3 = FMA ? xc.fma(b3, c3) : xc.mul(b3).add(c3);
            d3 = FMA ? xd.fma(b3, d3) : xd.mul(b3).add(d3);
            e3 = FMA ? xe.fma(b3, e3) : xe.mul(b3).add(e3);
        }
        // Masked stores (all lanes set for a whole panel): a partial last panel writes only its
        // valid columns, as panel() does.
        VectorMask<Float> m0 = S.indexInRange(0, valid);
        VectorMask<Float> m1 = S.indexInRange(LANES, valid);
        VectorMask<Float> m2 = S.indexInRange(2 * LANES, valid);
        VectorMask<Float> m3 = S.indexInRange(3 * LANES, valid);
        int y1 = yAt + ldy;
        int y2 = y1 + ldy;
        int y3 = y2 + ldy;
        if (accumulate) {
            a0.add(FloatVector.fromArray(S, y, yAt, m0)).intoArray(y, yAt, m0);
            a1.add(FloatVector.fromArray(S, y, yAt + LANES, m1)).intoArray(y, yAt + LANES, m1);
            a2.add(FloatVector.fromArray(S, y, yAt + 2 * LANES, m2)).intoArray(y, yAt + 2 * LANES, m2);
            a3.add(FloatVector.fromArray(S, y, yAt + 3 * LANES, m3)).intoArray(y, yAt + 3 * LANES, m3);
        } else {
            a0.intoArray(y, yAt, m0);
            a1.intoArray(y, yAt + LANES, m1);
            a2.intoArray(y, yAt + 2 * LANES, m2);
            a3.intoArray(y, yAt + 3 * LANES, m3);
        }
        if (accumulate) {
            c0.add(FloatVector.fromArray(S, y, y1, m0)).intoArray(y, y1, m0);
            c1.add(FloatVector.fromArray(S, y, y1 + LANES, m1)).intoArray(y, y1 + LANES, m1);
            c2.add(FloatVector.fromArray(S, y, y1 + 2 * LANES, m2)).intoArray(y, y1 + 2 * LANES, m2);
            c3.add(FloatVector.fromArray(S, y, y1 + 3 * LANES, m3)).intoArray(y, y1 + 3 * LANES, m3);
        } else {
            c0.intoArray(y, y1, m0);
            c1.intoArray(y, y1 + LANES, m1);
            c2.intoArray(y, y1 + 2 * LANES, m2);
            c3.intoArray(y, y1 + 3 * LANES, m3);
        }
        if (rows > 2) {
            if (accumulate) {
                d0.add(FloatVector.fromArray(S, y, y2, m0)).intoArray(y, y2, m0);
                d1.add(FloatVector.fromArray(S, y, y2 + LANES, m1)).intoArray(y, y2 + LANES, m1);
                d2.add(FloatVector.fromArray(S, y, y2 + 2 * LANES, m2)).intoArray(y, y2 + 2 * LANES, m2);
                d3.add(FloatVector.fromArray(S, y, y2 + 3 * LANES, m3)).intoArray(y, y2 + 3 * LANES, m3);
            } else {
                d0.intoArray(y, y2, m0);
                d1.intoArray(y, y2 + LANES, m1);
                d2.intoArray(y, y2 + 2 * LANES, m2);
                d3.intoArray(y, y2 + 3 * LANES, m3);
            }
        }
        if (rows > 3) {
            if (accumulate) {
                e0.add(FloatVector.fromArray(S, y, y3, m0)).intoArray(y, y3, m0);
                e1.add(FloatVector.fromArray(S, y, y3 + LANES, m1)).intoArray(y, y3 + LANES, m1);
                e2.add(FloatVector.fromArray(S, y, y3 + 2 * LANES, m2)).intoArray(y, y3 + 2 * LANES, m2);
                e3.add(FloatVector.fromArray(S, y, y3 + 3 * LANES, m3)).intoArray(y, y3 + 3 * LANES, m3);
            } else {
                e0.intoArray(y, y3, m0);
                e1.intoArray(y, y3 + LANES, m1);
                e2.intoArray(y, y3 + 2 * LANES, m2);
                e3.intoArray(y, y3 + 3 * LANES, m3);
            }
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
