package io.rnn4j.kernels.simd.math;

import io.rnn4j.engine.UnaryOp;
import io.rnn4j.kernels.simd.platform.SimdConstants;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Keras's exact gelu, {@code x·Φ(x)}, and its derivative {@code Φ(x) + x·φ(x)}, over array ranges,
 * in float with one {@link VectorMath#exp} per element.
 *
 * <p>Method. With t = |x| and φ(t) = e<sup>−t²/2</sup>/√(2π), the upper tail is
 * {@code 1 − Φ(t) = φ(t)·M(t)}, M being Mills' ratio, smooth, from 1.2533 at 0 down like 1/t. So
 * {@code Φ(x) = T} for x &lt; 0 and {@code 1 − T} for x ≥ 0, with {@code T = φ(t)·M(t)}: no
 * cancellation on either side, and no erfc of a rounded −x/√2 (rounding that argument and its
 * square costs about 2z² ulps in the far tail, where the result is tiny but still counted in ulps).
 * <ul>
 *   <li>e<sup>−t²/2</sup>: t² is split exactly, {@code t² = h + l} with h = fl(t²) and
 *       l = fma(t, t, −h) (Dekker's product without FMA), so {@code e^(−t²/2) = e^(−h/2)·(1 − l/2)}
 *       to 2<sup>−36</sup>; −h/2 is exact, and its exp comes from {@link VectorMath#exp} through the
 *       scratch row. With K, the float nearest 1/√(2π), φ = K·e^(−h/2)·(1 − l/2) is one fma.
 *   <li>M(t) = Q(t)/(t·Q(t) + P(t)), P of degree 4 and Q of degree 5 (q₀ = 1), so that M → 1/t; the
 *       forward takes t·M = g/(g + P) with g = t·Q, where the rounding of g and the errors of Q and P
 *       weigh only 1 − t·M (at most 0.44, at t = 0.75, where this branch starts). P and Q were
 *       fitted for this code on t in [0, 13.5] (below −13.2 x·Φ(x) is subnormal) for least
 *       relative error of K·Q/(t·Q + P) against e<sup>t²/2</sup>·(1 − Φ(t)) from mpmath's erfc at 40
 *       digits: Lawson iterations on the linearised residual over 3000 Chebyshev nodes, then each
 *       coefficient rounded to float in turn and the others refitted (as Sollya's fpminimax does);
 *       with float coefficients 1.5e-9 relative ({@code src/test/python/fit_activations.py}). t is
 *       clamped to 15, where e<sup>−t²/2</sup> rounds to 0, so that no input overflows and ±∞ give
 *       the limits.
 *   <li>Near 0 (|x| &lt; 0.75) the forward is x/2 + x·(x·C(x²)) instead, C ≈ (Φ(x) − 1/2)/x a
 *       degree-4 polynomial fitted the same way (2.8e-8 relative with float coefficients): there
 *       Φ is about 1/2, the bottom of its binade, and rounding it would cost up to 1 ulp by itself.
 * </ul>
 *
 * <p>Maximum error against ScalarMath's definition in float64 ({@code x·ScalarMath.normalCdf(x)}),
 * measured by {@code KerasActivationsAccuracy} under the tests over every finite float, at 512 bits
 * with hardware FMA and again with {@code -XX:-UseFMA}: forward <b>3.78 ulp</b> with FMA,
 * <b>4.31 ulp</b> without (the worst near x = −2.2: the exp's error and five roundings); subnormal
 * results (x in [−15, −13.2]) within 2.0 least subnormals. The derivative: 8.86 ulp (9.85 without
 * FMA) where |gelu'| ≥ 2<sup>−4</sup>, the worst near −0.54 where Φ and x·φ cancel on the way to
 * gelu's minimum at −0.75, and within 5.5e-8 (6.7e-8) absolute elsewhere. ±∞ give their limits (0
 * and +∞; derivatives 0 and 1), NaN gives NaN, a finite input never gives NaN.
 */
final class Gelu {
    private static final VectorSpecies<Float> S = SimdConstants.SPECIES;
    private static final int L = S.length();
    private static final boolean FMA = SimdConstants.FAST_FMA;

    /** Where t is clamped: e^(−15²/2) = e^−112.5 is below half the least subnormal, so exp gives 0. */
    private static final float T_MAX = 15f;
    /** The float nearest 1/√(2π); the fit of P and Q is to this K, not the exact one. */
    private static final float K = 0.3989423f;
    /** 4097 = 2^12 + 1: Veltkamp's splitter for floats, so that hi·hi, hi·lo and lo·lo are exact. */
    private static final float SPLIT = 4097f;
    // P(t) = P0 + P1 t + … + P4 t^4, Q(t) = 1 + Q1 t + … + Q5 t^5; see the class comment.
    private static final float P0 = 0.7978846f;
    private static final float P1 = 0.49526417f;
    private static final float P2 = 0.16231103f;
    private static final float P3 = 0.028848661f;
    private static final float P4 = 0.0023819588f;
    private static final float Q1 = 1.0761511f;
    private static final float Q2 = 0.5569175f;
    private static final float Q3 = 0.16674611f;
    private static final float Q4 = 0.028865268f;
    private static final float Q5 = 0.0023815525f;
    /** Below this |x| the forward takes x/2 + x²·C(x²) instead: see {@link #forward}. */
    private static final float NEAR_ZERO = 0.75f;
    // C(w) = C0 + … + C4 w^4 ≈ (Φ(x) − 1/2)/x, w = x², on w in [0, 0.5625], fitted as P and Q are:
    // 2.4e-9 relative, 2.8e-8 with float coefficients (the float nearest 1/√(2π), C0, is most of it).
    private static final float C0 = 0.3989423f;
    private static final float C1 = -0.06649095f;
    private static final float C2 = 0.0099779265f;
    private static final float C3 = -0.0011967304f;
    private static final float C4 = 0.00011640821f;

    private Gelu() {
    }

    /** s = −fl(t²)/2, t = min(|x|, 15): the argument of the exp the other two loops read back. */
    static void negativeHalfSquare(float[] x, int xo, float[] s, int m) {
        int i = 0;
        for (int bound = S.loopBound(m); i < bound; i += L) {
            FloatVector a = FloatVector.fromArray(S, x, xo + i).abs();
            FloatVector t = a.blend(T_MAX, a.compare(VectorOperators.GT, T_MAX));
            t.mul(t).mul(-0.5f).intoArray(s, i);
        }
        for (; i < m; i++) {
            float t = Math.min(Math.abs(x[xo + i]), T_MAX);
            s[i] = -0.5f * (t * t);
        }
    }

    /**
     * y = x·Φ(x), s = e^(−fl(t²)/2) from {@link #negativeHalfSquare} and exp. Near 0, Φ is about 1/2,
     * the bottom of its binade, where rounding Φ would cost up to 1 ulp of the result by itself:
     * there x/2 (exact) + x·(x·C(x²)), one fma, whose second term is at most 1.2 times the result
     * (at x = −0.75). Elsewhere x·T = ±(t·M)·φ with t·M in (0.5, 1): below 0 that is the result
     * (a subnormal φ is rounded only once more), above it is taken from x by one fma.
     */
    static void forward(float[] x, int xo, float[] s, float[] y, int yo, int m) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector k = FloatVector.broadcast(S, K);
        FloatVector p0 = FloatVector.broadcast(S, P0);
        FloatVector p1 = FloatVector.broadcast(S, P1);
        FloatVector p2 = FloatVector.broadcast(S, P2);
        FloatVector q1 = FloatVector.broadcast(S, Q1);
        FloatVector q2 = FloatVector.broadcast(S, Q2);
        FloatVector q3 = FloatVector.broadcast(S, Q3);
        FloatVector c0 = FloatVector.broadcast(S, C0);
        FloatVector c1 = FloatVector.broadcast(S, C1);
        FloatVector c2 = FloatVector.broadcast(S, C2);
        int i = 0;
        for (int bound = S.loopBound(m); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector a = v.abs();
            FloatVector t = a.blend(T_MAX, a.compare(VectorOperators.GT, T_MAX));
            FloatVector h = t.mul(t);
            FloatVector l;
            if (FMA) {
                l = t.fma(t, h.neg());
            } else {
                FloatVector c = t.mul(SPLIT);
                FloatVector hi = c.sub(c.sub(t));
                FloatVector lo = t.sub(hi);
                l = hi.mul(hi).sub(h).add(hi.mul(lo).mul(2f)).add(lo.mul(lo));
            }
            // φ = K·e^(−h/2)·(1 − l/2): the correction is below 2^-18 relative, so it need not be exact.
            FloatVector e = FloatVector.fromArray(S, s, i);
            FloatVector c = e.mul(l).mul(-0.5f * K);
            FloatVector phi = FMA ? e.fma(k, c) : e.mul(k).add(c);
            FloatVector q = FMA ? t.fma(Q5, Q4) : t.mul(Q5).add(Q4);
            q = FMA ? q.fma(t, q3) : q.mul(t).add(q3);
            q = FMA ? q.fma(t, q2) : q.mul(t).add(q2);
            q = FMA ? q.fma(t, q1) : q.mul(t).add(q1);
            q = FMA ? q.fma(t, one) : q.mul(t).add(one);
            FloatVector p = FMA ? t.fma(P4, P3) : t.mul(P4).add(P3);
            p = FMA ? p.fma(t, p2) : p.mul(t).add(p2);
            p = FMA ? p.fma(t, p1) : p.mul(t).add(p1);
            p = FMA ? p.fma(t, p0) : p.mul(t).add(p0);
            // t·M = g/(g + p), g = t·q: the rounding of g (and the errors of q and p) weigh only
            // p/(g + p) = 1 − t·M in the quotient, 0.12 at t = 2.5 and less beyond.
            FloatVector g = t.mul(q);
            FloatVector tm = g.div(g.add(p));
            // x·T = −t·M·φ below 0, x − t·M·φ above; at ±∞ φ is 0, giving the limits 0 and +∞.
            FloatVector below = tm.neg().mul(phi);
            FloatVector above = FMA ? tm.neg().fma(phi, v) : v.sub(tm.mul(phi));
            FloatVector w = v.mul(v);
            FloatVector cw = FMA ? w.fma(C4, C3) : w.mul(C4).add(C3);
            cw = FMA ? cw.fma(w, c2) : cw.mul(w).add(c2);
            cw = FMA ? cw.fma(w, c1) : cw.mul(w).add(c1);
            cw = FMA ? cw.fma(w, c0) : cw.mul(w).add(c0);
            FloatVector half = v.mul(0.5f);
            FloatVector near = FMA ? v.fma(v.mul(cw), half) : v.mul(v.mul(cw)).add(half);
            above.blend(below, v.compare(VectorOperators.LT, 0f)).blend(near, a.compare(VectorOperators.LT, NEAR_ZERO))
                    .intoArray(y, yo + i);
        }
        Activations.tail(UnaryOp.GELU, x, xo, y, yo, i, m);
    }

    /** dx = dy·(Φ(x) + x·φ(x)), s as in {@link #forward}. */
    static void derivative(float[] x, int xo, float[] s, float[] dy, int dyo, float[] dx, int dxo, int m) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector k = FloatVector.broadcast(S, K);
        FloatVector p0 = FloatVector.broadcast(S, P0);
        FloatVector p1 = FloatVector.broadcast(S, P1);
        FloatVector p2 = FloatVector.broadcast(S, P2);
        FloatVector q1 = FloatVector.broadcast(S, Q1);
        FloatVector q2 = FloatVector.broadcast(S, Q2);
        FloatVector q3 = FloatVector.broadcast(S, Q3);
        int i = 0;
        for (int bound = S.loopBound(m); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector a = v.abs();
            FloatVector t = a.blend(T_MAX, a.compare(VectorOperators.GT, T_MAX));
            FloatVector h = t.mul(t);
            FloatVector l;
            if (FMA) {
                l = t.fma(t, h.neg());
            } else {
                FloatVector c = t.mul(SPLIT);
                FloatVector hi = c.sub(c.sub(t));
                FloatVector lo = t.sub(hi);
                l = hi.mul(hi).sub(h).add(hi.mul(lo).mul(2f)).add(lo.mul(lo));
            }
            FloatVector e = FloatVector.fromArray(S, s, i);
            FloatVector c = e.mul(l).mul(-0.5f * K);
            FloatVector phi = FMA ? e.fma(k, c) : e.mul(k).add(c);
            FloatVector q = FMA ? t.fma(Q5, Q4) : t.mul(Q5).add(Q4);
            q = FMA ? q.fma(t, q3) : q.mul(t).add(Q3);
            q = FMA ? q.fma(t, q2) : q.mul(t).add(Q2);
            q = FMA ? q.fma(t, q1) : q.mul(t).add(Q1);
            q = FMA ? q.fma(t, one) : q.mul(t).add(one);
            FloatVector p = FMA ? t.fma(P4, P3) : t.mul(P4).add(P3);
            p = FMA ? p.fma(t, p2) : p.mul(t).add(P2);
            p = FMA ? p.fma(t, p1) : p.mul(t).add(P1);
            p = FMA ? p.fma(t, p0) : p.mul(t).add(P0);
            FloatVector d = FMA ? t.fma(q, p) : t.mul(q).add(p);
            FloatVector tail = phi.mul(q.div(d));
            VectorMask<Float> negative = v.compare(VectorOperators.LT, 0f);
            FloatVector cdf = one.sub(tail).blend(tail, negative);
            // x·φ(x) with x clamped as t is: at |x| ≥ 15 φ is 0, so ±∞ give the limits 1 and 0.
            FloatVector xc = t.blend(t.neg(), negative);
            FloatVector grad = FMA ? xc.fma(phi, cdf) : xc.mul(phi).add(cdf);
            FloatVector.fromArray(S, dy, dyo + i).mul(grad).intoArray(dx, dxo + i);
        }
        ActivationGrads.tail(UnaryOp.GELU, x, xo, dy, dyo, dx, dxo, i, m);
    }
}
