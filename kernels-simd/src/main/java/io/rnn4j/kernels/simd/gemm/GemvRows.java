package io.rnn4j.kernels.simd.gemm;

import static io.rnn4j.kernels.simd.gemm.Gemv.FMA;
import static io.rnn4j.kernels.simd.gemm.Gemv.LANES;
import static io.rnn4j.kernels.simd.gemm.Gemv.ORDER;
import static io.rnn4j.kernels.simd.gemm.Gemv.PANEL;
import static io.rnn4j.kernels.simd.gemm.Gemv.ROW;
import static io.rnn4j.kernels.simd.gemm.Gemv.S;
import static io.rnn4j.kernels.simd.gemm.Gemv.VB;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * The kernels of {@link Gemv#multiply(int, float[], int, int, float[], int, int, boolean)}: two,
 * three or four rows of X against one packed B (k×n, {@link Gemv}'s panels) in one pass, each row's
 * elements the same fma chains over p as the one-row product's. Every accumulator of a kernel lives
 * in its one method body (a method that takes or returns vectors and is not inlined boxes them).
 */
final class GemvRows {
    /**
     * Whether these kernels are used: only with the 32 vector registers of AVX-512 (taken to come
     * with 512 bits, like {@code MicroKernel.MR}). With 16 they spill: with C2 limited to 16
     * registers ({@code -XX:UseAVX=2} on the Xeon) three rows took 23.9 µs at k = 256, n = 1024
     * against 21.7 for three one-row products, and a two-row kernel over one panel (eight
     * accumulators) 15.7 against 15.2. There a small batch takes one row at a time.
     */
    static final boolean APPLY = S.vectorBitSize() >= 512;

    private GemvRows() {
    }

    /** {@code rows} (2 to 4) rows over all panels: pairs of whole panels where the kernel has them. */
    static void group(MemorySegment b, int k, int n, int rows, float[] x, int xOff, int ldx, float[] y, int yOff,
            int ldy, boolean accumulate) {
        int panels = Math.ceilDiv(n, PANEL);
        int q = 0;
        if (rows < 4) {
            for (; q + 1 < panels && (q + 2) * PANEL <= n; q += 2) {
                if (rows == 2) {
                    pairTwoRows(b, k, x, xOff, ldx, y, yOff + q * PANEL, ldy, accumulate, (long) q * k * ROW);
                } else {
                    pairThreeRows(b, k, x, xOff, ldx, y, yOff + q * PANEL, ldy, accumulate, (long) q * k * ROW);
                }
            }
        }
        for (; q < panels; q++) {
            panelRows(b, k, rows, x, xOff, ldx, y, yOff + q * PANEL, ldy, accumulate, (long) q * k * ROW,
                    Math.min(PANEL, n - q * PANEL));
        }
    }

    /**
     * Two full panels for two rows: sixteen accumulators, eight loads of B per two broadcasts (as
     * {@code Gemv.panelPair}, whose chains these are, row by row).
     */
    private static void pairTwoRows(MemorySegment b, int k, float[] x, int xOff, int ldx, float[] y, int yAt,
            int ldy, boolean accumulate, long base) {
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
    private static void pairThreeRows(MemorySegment b, int k, float[] x, int xOff, int ldx, float[] y, int yAt,
            int ldy, boolean accumulate, long base) {
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
    private static void panelRows(MemorySegment b, int k, int rows, float[] x, int xOff, int ldx, float[] y,
            int yAt, int ldy, boolean accumulate, long base, int valid) {
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
        // valid columns, as {@code Gemv.panel} does.
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
}
