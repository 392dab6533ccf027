package io.rnn4j.kernels.simd.math;

import static io.rnn4j.kernels.simd.math.ExpReduction.LN2_HI;
import static io.rnn4j.kernels.simd.math.ExpReduction.LN2_LO;
import static io.rnn4j.kernels.simd.math.ExpReduction.LOG2E;
import static io.rnn4j.kernels.simd.math.ExpReduction.Q0;
import static io.rnn4j.kernels.simd.math.ExpReduction.Q1;
import static io.rnn4j.kernels.simd.math.ExpReduction.Q2;
import static io.rnn4j.kernels.simd.math.ExpReduction.Q3;
import static io.rnn4j.kernels.simd.math.ExpReduction.Q4;
import static io.rnn4j.kernels.simd.math.ExpReduction.ROUND_MAGIC;
import static io.rnn4j.kernels.simd.math.ExpReduction.ROUND_MAGIC_BITS;

import io.rnn4j.engine.UnaryOp;
import io.rnn4j.engine.scalar.ScalarMath;
import io.rnn4j.kernels.simd.platform.SimdConstants;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The transcendental functions of the activations over array ranges: {@code y[i] = f(x[i])}, y may
 * be x. Written here rather than taken from {@code lanewise(EXP/TANH)} so that every platform
 * computes the same numbers at the same speed: the JDK's versions are fast only where it ships a
 * vector math library, and their accuracy is not specified.
 *
 * <p>Method: Cody–Waite reduction {@code x = n·ln2 + r}, |r| ≤ ln2/2, a degree-6 polynomial for
 * e<sup>r</sup> − 1 (coefficients fitted for this code, near-minimax for |q(r) −
 * (e<sup>r</sup>−1−r)/r²|), and scaling by 2<sup>n</sup> in two exponent steps so that subnormal
 * results are rounded once and correctly. tanh and sigmoid are built on the same core
 * ({@code tanh|x| = −m/(m+2)} with m = expm1(−2|x|); {@code sigmoid(x) = (x ≥ 0 ? 1 : e)/(1 + e)}
 * with e = exp(−|x|)) so neither cancels near 0 nor overflows far from it.
 *
 * <p>Maximum error against the float64 function, measured over every finite float input (all
 * 4,278,190,080 of them, by {@code VectorMathAccuracy} under the tests, on a 512-bit species with
 * hardware FMA and again with {@code -XX:-UseFMA}; each lane computes the same thing at any
 * width), as |result − exact| in units in the last place of the exact result rounded to float
 * (correct rounding would be 0.5):
 * <table>
 *   <caption>ulp error</caption>
 *   <tr><th>function</th><th>FMA</th><th>multiply-add</th></tr>
 *   <tr><td>{@link #exp}</td><td>1.10</td><td>1.05</td></tr>
 *   <tr><td>{@link #expm1}</td><td>1.63</td><td>1.76</td></tr>
 *   <tr><td>{@link #tanh}</td><td>2.50</td><td>2.50</td></tr>
 *   <tr><td>{@link #sigmoid}</td><td>2.41</td><td>2.41</td></tr>
 * </table>
 * Subnormal results are included. Every finite input gives a finite or correctly infinite result,
 * never NaN; ±∞ saturate (exp: +∞ and 0; expm1: +∞ and −1; tanh: ±1; sigmoid: 1 and 0); NaN gives
 * NaN. The scalar tail (elements that do not fill a vector) is {@link ScalarMath}'s, correctly
 * rounded from double.
 *
 * <p><b>Why each function is one loop with its algorithm written out.</b> A Vector API expression
 * parses into hundreds of C2 nodes (one exp: about 10,000), and C2 stops inlining ordinary methods
 * once a compilation holds 18,000 (NodeCountInliningCutoff). A helper that takes or returns a
 * {@code FloatVector} and is left out of line boxes every vector it passes (tens of times slower),
 * so no method here or in the kernels passes vectors across calls: each function's vectors live
 * in its own loop body, and callers only ever pass arrays. Being out of line then costs a call.
 */
public final class VectorMath {
    private static final VectorSpecies<Float> S = SimdConstants.SPECIES;
    private static final int L = S.length();
    /** FMA or multiply-add, decided once (SimdConstants.fma, written out: see the class comment). */
    private static final boolean FMA = SimdConstants.FAST_FMA;

    /** Below this exp(x) rounds to 0 (e<sup>−104</sup> is under half the least subnormal). */
    private static final float EXP_LO = -104f;
    /** Above this exp(x) overflows; clamping here keeps 2<sup>n</sup> within n ≤ 128. */
    private static final float EXP_HI = 89f;
    private VectorMath() {
    }

    /** e<sup>x</sup>; within 1.10 ulp. */
    public static void exp(float[] x, int xo, float[] y, int yo, int n) {
        FloatVector lo = FloatVector.broadcast(S, EXP_LO);
        FloatVector hi = FloatVector.broadcast(S, EXP_HI);
        FloatVector log2e = FloatVector.broadcast(S, LOG2E);
        FloatVector magic = FloatVector.broadcast(S, ROUND_MAGIC);
        FloatVector ln2hi = FloatVector.broadcast(S, -LN2_HI);
        FloatVector ln2lo = FloatVector.broadcast(S, -LN2_LO);
        FloatVector q0 = FloatVector.broadcast(S, Q0);
        FloatVector q1 = FloatVector.broadcast(S, Q1);
        FloatVector q2 = FloatVector.broadcast(S, Q2);
        FloatVector q3 = FloatVector.broadcast(S, Q3);
        FloatVector q4 = FloatVector.broadcast(S, Q4);
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            // Clamped with compare and blend: max/min compile to several instructions for Math.max's
            // NaN and ±0 rules, which a clamp does not need (NaN compares false and stays NaN).
            // Checked against the max/min form over every float: the same bits for all four functions.
            FloatVector xc = v.blend(lo, v.compare(VectorOperators.LT, lo));
            xc = xc.blend(hi, xc.compare(VectorOperators.GT, hi));
            FloatVector k = FMA ? xc.fma(log2e, magic) : xc.mul(log2e).add(magic);
            FloatVector nf = k.sub(magic);
            FloatVector r = FMA ? nf.fma(ln2hi, xc) : nf.mul(ln2hi).add(xc);
            r = FMA ? nf.fma(ln2lo, r) : nf.mul(ln2lo).add(r);
            // e^r − 1 = r + r²·q(r), Horner
            FloatVector q = FMA ? r.fma(q4, q3) : r.mul(q4).add(q3);
            q = FMA ? q.fma(r, q2) : q.mul(r).add(q2);
            q = FMA ? q.fma(r, q1) : q.mul(r).add(q1);
            q = FMA ? q.fma(r, q0) : q.mul(r).add(q0);
            FloatVector p = (FMA ? r.mul(r).fma(q, r) : r.mul(r).mul(q).add(r)).add(one);
            // 2^n in two factors, each exponent within [-75, 64], so the product rounds once.
            IntVector ni = k.reinterpretAsInts().sub(ROUND_MAGIC_BITS);
            IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
            IntVector n2 = ni.sub(n1);
            FloatVector s1 = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector s2 = n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            p.mul(s1).mul(s2).intoArray(y, yo + i);
        }
        tail(UnaryOp.EXP, x, xo, y, yo, i, n);
    }

    /** e<sup>x</sup> − 1, accurate near 0 too; within 1.76 ulp (1.63 with FMA). */
    public static void expm1(float[] x, int xo, float[] y, int yo, int n) {
        FloatVector lo = FloatVector.broadcast(S, EXP_LO);
        FloatVector hi = FloatVector.broadcast(S, EXP_HI);
        FloatVector log2e = FloatVector.broadcast(S, LOG2E);
        FloatVector magic = FloatVector.broadcast(S, ROUND_MAGIC);
        FloatVector ln2hi = FloatVector.broadcast(S, -LN2_HI);
        FloatVector ln2lo = FloatVector.broadcast(S, -LN2_LO);
        FloatVector q0 = FloatVector.broadcast(S, Q0);
        FloatVector q1 = FloatVector.broadcast(S, Q1);
        FloatVector q2 = FloatVector.broadcast(S, Q2);
        FloatVector q3 = FloatVector.broadcast(S, Q3);
        FloatVector q4 = FloatVector.broadcast(S, Q4);
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector xc = v.blend(lo, v.compare(VectorOperators.LT, lo)); // clamped as in exp
            xc = xc.blend(hi, xc.compare(VectorOperators.GT, hi));
            FloatVector k = FMA ? xc.fma(log2e, magic) : xc.mul(log2e).add(magic);
            FloatVector nf = k.sub(magic);
            FloatVector r = FMA ? nf.fma(ln2hi, xc) : nf.mul(ln2hi).add(xc);
            r = FMA ? nf.fma(ln2lo, r) : nf.mul(ln2lo).add(r);
            FloatVector q = FMA ? r.fma(q4, q3) : r.mul(q4).add(q3);
            q = FMA ? q.fma(r, q2) : q.mul(r).add(q2);
            q = FMA ? q.fma(r, q1) : q.mul(r).add(q1);
            q = FMA ? q.fma(r, q0) : q.mul(r).add(q0);
            FloatVector pm1 = FMA ? r.mul(r).fma(q, r) : r.mul(r).mul(q).add(r);
            IntVector ni = k.reinterpretAsInts().sub(ROUND_MAGIC_BITS);
            // For n in [-25, 24], e^x − 1 = 2^n·(p − 1) + (2^n − 1) with 2^n − 1 exact: no
            // cancellation. Beyond, e^x − 1 rounds to e^x (n > 24), taken as in exp so that it
            // overflows correctly, or to −1 (n < −25), which the formula gives with n clamped.
            IntVector nc = ni.max(-25).min(24);
            FloatVector t = nc.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector small = FMA ? t.fma(pm1, t.sub(one)) : t.mul(pm1).add(t.sub(one));
            IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
            IntVector n2 = ni.sub(n1);
            FloatVector s1 = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector s2 = n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector large = pm1.add(one).mul(s1).mul(s2);
            VectorMask<Float> isLarge = nf.compare(VectorOperators.GT, 24f);
            // Below 2^-25, e^x − 1 rounds to x itself; taking x keeps the sign of −0.
            VectorMask<Float> tiny = v.abs().compare(VectorOperators.LT, 0x1p-25f);
            small.blend(large, isLarge).blend(v, tiny).intoArray(y, yo + i);
        }
        // The scalar backend has no expm1 op of its own: Math.expm1, rounded once.
        for (; i < n; i++) {
            y[yo + i] = (float) Math.expm1(x[xo + i]);
        }
    }

    /** tanh(x) = sign(x)·(−m/(m + 2)), m = expm1(−2|x|); within 2.50 ulp, ±1 from |x| ≈ 9 on. */
    public static void tanh(float[] x, int xo, float[] y, int yo, int n) {
        FloatVector lo = FloatVector.broadcast(S, EXP_LO);
        FloatVector log2e = FloatVector.broadcast(S, LOG2E);
        FloatVector magic = FloatVector.broadcast(S, ROUND_MAGIC);
        FloatVector ln2hi = FloatVector.broadcast(S, -LN2_HI);
        FloatVector ln2lo = FloatVector.broadcast(S, -LN2_LO);
        FloatVector q0 = FloatVector.broadcast(S, Q0);
        FloatVector q1 = FloatVector.broadcast(S, Q1);
        FloatVector q2 = FloatVector.broadcast(S, Q2);
        FloatVector q3 = FloatVector.broadcast(S, Q3);
        FloatVector q4 = FloatVector.broadcast(S, Q4);
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector two = FloatVector.broadcast(S, 2f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            // a = −2|x| ≤ 0: expm1's core for n ≤ 0, where 2^n − 1 is exact down to n = −25.
            FloatVector a = v.abs().mul(-2f);
            a = a.blend(lo, a.compare(VectorOperators.LT, lo)); // clamped as in exp
            FloatVector k = FMA ? a.fma(log2e, magic) : a.mul(log2e).add(magic);
            FloatVector nf = k.sub(magic);
            FloatVector r = FMA ? nf.fma(ln2hi, a) : nf.mul(ln2hi).add(a);
            r = FMA ? nf.fma(ln2lo, r) : nf.mul(ln2lo).add(r);
            FloatVector q = FMA ? r.fma(q4, q3) : r.mul(q4).add(q3);
            q = FMA ? q.fma(r, q2) : q.mul(r).add(q2);
            q = FMA ? q.fma(r, q1) : q.mul(r).add(q1);
            q = FMA ? q.fma(r, q0) : q.mul(r).add(q0);
            FloatVector pm1 = FMA ? r.mul(r).fma(q, r) : r.mul(r).mul(q).add(r);
            IntVector nc = k.reinterpretAsInts().sub(ROUND_MAGIC_BITS).max(-25);
            FloatVector t = nc.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector m = FMA ? t.fma(pm1, t.sub(one)) : t.mul(pm1).add(t.sub(one));
            // For tiny |x|, m is −2|x| itself (n = 0, r = a), so tanh x = x(1 + O(x)) rounds to x.
            // abs: −m/(m + 2) is −0 at x = ±0; the sign comes from x below.
            FloatVector th = m.neg().div(m.add(two)).abs();
            // Copy x's sign bit onto th (th ≥ 0): right for ±0 too, and NaN stays NaN.
            IntVector sign = v.reinterpretAsInts().and(0x8000_0000);
            th.reinterpretAsInts().or(sign).reinterpretAsFloats().intoArray(y, yo + i);
        }
        tail(UnaryOp.TANH, x, xo, y, yo, i, n);
    }

    /** 1/(1 + e<sup>−x</sup>) without overflow: (x ≥ 0 ? 1 : e)/(1 + e), e = exp(−|x|); within 2.41 ulp. */
    public static void sigmoid(float[] x, int xo, float[] y, int yo, int n) {
        FloatVector lo = FloatVector.broadcast(S, EXP_LO);
        FloatVector log2e = FloatVector.broadcast(S, LOG2E);
        FloatVector magic = FloatVector.broadcast(S, ROUND_MAGIC);
        FloatVector ln2hi = FloatVector.broadcast(S, -LN2_HI);
        FloatVector ln2lo = FloatVector.broadcast(S, -LN2_LO);
        FloatVector q0 = FloatVector.broadcast(S, Q0);
        FloatVector q1 = FloatVector.broadcast(S, Q1);
        FloatVector q2 = FloatVector.broadcast(S, Q2);
        FloatVector q3 = FloatVector.broadcast(S, Q3);
        FloatVector q4 = FloatVector.broadcast(S, Q4);
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            // e = exp(a), a = −|x| ≤ 0 (exp's core: no overflow side).
            FloatVector a = v.abs().neg();
            a = a.blend(lo, a.compare(VectorOperators.LT, lo)); // clamped as in exp
            FloatVector k = FMA ? a.fma(log2e, magic) : a.mul(log2e).add(magic);
            FloatVector nf = k.sub(magic);
            FloatVector r = FMA ? nf.fma(ln2hi, a) : nf.mul(ln2hi).add(a);
            r = FMA ? nf.fma(ln2lo, r) : nf.mul(ln2lo).add(r);
            FloatVector q = FMA ? r.fma(q4, q3) : r.mul(q4).add(q3);
            q = FMA ? q.fma(r, q2) : q.mul(r).add(q2);
            q = FMA ? q.fma(r, q1) : q.mul(r).add(q1);
            q = FMA ? q.fma(r, q0) : q.mul(r).add(q0);
            FloatVector p = (FMA ? r.mul(r).fma(q, r) : r.mul(r).mul(q).add(r)).add(one);
            IntVector ni = k.reinterpretAsInts().sub(ROUND_MAGIC_BITS);
            IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
            IntVector n2 = ni.sub(n1);
            FloatVector s1 = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector s2 = n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector e = p.mul(s1).mul(s2);
            FloatVector num = one.blend(e, v.compare(VectorOperators.LT, 0f));
            num.div(e.add(one)).intoArray(y, yo + i);
        }
        tail(UnaryOp.SIGMOID, x, xo, y, yo, i, n);
    }

    /** The scalar function for the elements the vector loop left, from {@code i} to {@code n}. */
    private static void tail(UnaryOp op, float[] x, int xo, float[] y, int yo, int i, int n) {
        for (; i < n; i++) {
            y[yo + i] = ScalarMath.apply(op, x[xo + i]);
        }
    }
}
