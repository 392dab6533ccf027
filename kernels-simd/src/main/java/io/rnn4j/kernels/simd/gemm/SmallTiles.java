package io.rnn4j.kernels.simd.gemm;

import static io.rnn4j.kernels.simd.gemm.MicroKernel.AS;
import static io.rnn4j.kernels.simd.gemm.MicroKernel.FMA;
import static io.rnn4j.kernels.simd.gemm.MicroKernel.LANES;
import static io.rnn4j.kernels.simd.gemm.MicroKernel.NRB;
import static io.rnn4j.kernels.simd.gemm.MicroKernel.ORDER;
import static io.rnn4j.kernels.simd.gemm.MicroKernel.S;
import static io.rnn4j.kernels.simd.gemm.MicroKernel.VB;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/**
 * The {@link MicroKernel}s for blocks of few rows at 512 bits, which a 12- or 8-row tile would
 * mostly pad: the 4-row tile ({@link #kernel4}, one of {@link MicroKernel#tile}'s heights) and the
 * strip of one to three rows across several panels ({@link #wide}). Same operands, same chains
 * and the same rounding as the other tiles, so a row's bits do not depend on which computed it.
 */
final class SmallTiles {
    /**
     * The most rows {@link #wide} takes (at 512 bits; 0 elsewhere: 24 accumulators need 32
     * registers), and the panels it spans.
     */
    static final int WIDE_ROWS = S.vectorBitSize() >= 512 ? 3 : 0;
    static final int WIDE_PANELS = 4;

    private SmallTiles() {
    }

    /**
     * C for one to {@link #WIDE_ROWS} rows across {@link #WIDE_PANELS} adjacent panels of B (panel j
     * at byte {@code bOff + j·panelStride}), in C's columns right after each other: a block of so
     * few rows (a batch over many threads, a one-row product) then reads each B vector for three
     * rows instead of padding the rows to a tile. 24 accumulators; each B vector is loaded right
     * before its three FMAs, so that with the three broadcasts the loop stays within 32 registers.
     * A's rows past {@code rows} are its panel's zero padding, computed and not stored. Each element
     * is the same chain as in {@link MicroKernel#tile}, rounded the same way.
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

    /**
     * The 4×NR tile: 8 accumulators, just enough FMA chains for two units at a latency of four
     * cycles. For blocks of four rows (a batch of 8 over two threads), which the 8-row tile took
     * with half its rows padding.
     */
    static void kernel4(float[] a, int aOff, MemorySegment b, long bOff, int kc, float[] c, int cOff,
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
}
