package io.rnn4j.kernels.simd.math;

import io.rnn4j.engine.UnaryOp;
import io.rnn4j.kernels.simd.platform.SimdConstants;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The loops of the activations Keras 3 added (relu6 … sparse_sigmoid; gelu is {@link Gelu}), for
 * {@link Activations#apply}, in its shape: one loop per op, ScalarMath for the tail, and the ops
 * with a transcendental part in two steps, that part into the scratch row by {@link VectorMath},
 * then a loop here that reads it back (log_sigmoid, mish, tanh_shrink; celu is elu's loop).
 *
 * <p>The piecewise ones are a few compares, blends and multiplies per loaded vector, no division,
 * so they run at about relu's speed (8 bytes per element; squareplus, with a square root and a
 * division, is bound by the divider instead).
 *
 * <p>Maximum error against ScalarMath's definition in float64, measured by
 * {@code KerasActivationsAccuracy} under the tests over every finite float (all 4,278,190,080), at
 * 512 bits with hardware FMA and again with {@code -XX:-UseFMA} (each lane computes the same at any
 * width), in ulps of the result rounded to float; the derivative's where |op'| ≥ 2<sup>−4</sup>.
 * Two figures are with FMA and without, where they differ:
 * <table>
 *   <caption>ulp error</caption>
 *   <tr><th>op</th><th>forward</th><th>derivative</th></tr>
 *   <tr><td>relu6, hard_tanh, hard_shrink</td><td>0 (exact)</td><td>0</td></tr>
 *   <tr><td>soft_shrink, sparse_sigmoid</td><td>0.5 (correctly rounded)</td><td>0</td></tr>
 *   <tr><td>leaky_relu (the float 0.2)</td><td>0.60</td><td>0</td></tr>
 *   <tr><td>celu (elu's loop)</td><td>1.03, 1.16</td><td>0.98</td></tr>
 *   <tr><td>log_sigmoid (log1p is the JDK's)</td><td>1.53</td><td>2.27</td></tr>
 *   <tr><td>sparse_plus</td><td>1.92</td><td>0</td></tr>
 *   <tr><td>hard_silu</td><td>2.49</td><td>2.34</td></tr>
 *   <tr><td>squareplus</td><td>2.75</td><td>5.22</td></tr>
 *   <tr><td>tanh_shrink</td><td>3.24, 3.33</td><td>5.73</td></tr>
 *   <tr><td>mish</td><td>3.93</td><td>13.15, 14.24</td></tr>
 * </table>
 * Subnormal results are within 1.5 least subnormals. Derivatives that cross zero cancel around
 * it (mish' at −1.19, hard_silu' at −1.5), which is where their largest ulp errors are; where
 * |op'| &lt; 2<sup>−4</sup> they are within 1e-7 absolute (mish: 9.9e-8). The contract's backward
 * bar, 4e-6 relative, is about 30 to 67 ulps. A finite input never gives NaN; ±∞ and
 * NaN give what ScalarMath gives (at −∞, −0 where ScalarMath has +0: gelu, mish, hard_silu, as
 * swish).
 */
final class KerasActivations {
    private static final VectorSpecies<Float> S = SimdConstants.SPECIES;
    private static final int L = S.length();
    private static final boolean FMA = SimdConstants.FAST_FMA;

    private static final float LEAKY_SLOPE = (float) UnaryOp.LEAKY_RELU_SLOPE;
    private static final float SHRINK = (float) UnaryOp.SHRINK_THRESHOLD;
    private static final float SIXTH = 1f / 6;
    /**
     * From here on fl(√(x² + 4)) is |x| (it is |x| + 2/|x| to first order, and 2/|x| is below half an
     * ulp of |x| once |x| &gt; 2<sup>12.5</sup>); taking |x| keeps x² from overflowing.
     */
    static final float SQUAREPLUS_LARGE = 0x1p13f;
    /**
     * Below |x| = 1, tanh_shrink is x³·S(x²) with S(w) ≈ (x − tanh x)/x³, a degree-7 polynomial
     * fitted for this code on w in [0, 1] for least relative error against mpmath at 50 digits
     * (Lawson iterations over 2000 Chebyshev nodes, each coefficient rounded to float in turn and
     * the rest refitted; {@code src/test/python/fit_activations.py}): 3.0e-8 relative, most of it
     * the float nearest 1/3.
     */
    private static final float TS0 = 0.33333334f;
    private static final float TS1 = -0.13333413f;
    private static final float TS2 = 0.053978562f;
    private static final float TS3 = -0.021915365f;
    private static final float TS4 = 0.00893242f;
    private static final float TS5 = -0.0035389154f;
    private static final float TS6 = 0.0011581714f;
    private static final float TS7 = -0.00020824972f;
    /**
     * Below this x, mish's e^x would be subnormal near −87 and lose the digits of a result that is
     * still normal down to −91.9 (x·e^x), so there the exp is taken at x + 32 and scaled back.
     */
    private static final float MISH_SCALED = -64f;
    private static final float MISH_SHIFT = 32f;
    /** e^−32 to float: the scale back. */
    private static final float MISH_UNSHIFT = (float) Math.exp(-32);

    private KerasActivations() {
    }

    /**
     * min(max(x, 0), 6), as compare and blend: max and min compile to several instructions each for
     * Math.max's NaN and ±0 rules (twice relu's time, measured), which these comparisons keep
     * anyway: NaN compares false and stays, −0 is ≤ 0 and becomes +0.
     */
    static void relu6(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.blend(0f, v.compare(VectorOperators.LE, 0f)).blend(6f, v.compare(VectorOperators.GT, 6f))
                    .intoArray(y, yo + i);
        }
        Activations.tail(UnaryOp.RELU6, x, xo, y, yo, i, n);
    }

    /** x &gt; 0 ? x : 0.2x (the float 0.2: within 1 ulp of the double product). */
    static void leakyRelu(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.mul(LEAKY_SLOPE).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, yo + i);
        }
        Activations.tail(UnaryOp.LEAKY_RELU, x, xo, y, yo, i, n);
    }

    /** clip(x, −1, 1), by compare and blend as {@link #relu6}. */
    static void hardTanh(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.blend(-1f, v.compare(VectorOperators.LT, -1f)).blend(1f, v.compare(VectorOperators.GT, 1f))
                    .intoArray(y, yo + i);
        }
        Activations.tail(UnaryOp.HARD_TANH, x, xo, y, yo, i, n);
    }

    /** x − clip(x, −0.5, 0.5): x ∓ 0.5 outside, +0 inside (−0 − −0 is +0, as ScalarMath), NaN kept. */
    static void softShrink(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector clip = v.blend(-SHRINK, v.compare(VectorOperators.LT, -SHRINK))
                    .blend(SHRINK, v.compare(VectorOperators.GT, SHRINK));
            v.sub(clip).intoArray(y, yo + i);
        }
        Activations.tail(UnaryOp.SOFT_SHRINK, x, xo, y, yo, i, n);
    }

    /** |x| ≤ 0.5 ? 0 : x; NaN compares false, so it stays. */
    static void hardShrink(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.blend(0f, v.abs().compare(VectorOperators.LE, SHRINK)).intoArray(y, yo + i);
        }
        Activations.tail(UnaryOp.HARD_SHRINK, x, xo, y, yo, i, n);
    }

    /** 0 up to −1, (x + 1)²/4 on (−1, 1), x from 1; NaN falls through both tests into the square. */
    static void sparsePlus(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector t = v.add(1f);
            t.mul(t).mul(0.25f).blend(0f, v.compare(VectorOperators.LE, -1f))
                    .blend(v, v.compare(VectorOperators.GE, 1f)).intoArray(y, yo + i);
        }
        Activations.tail(UnaryOp.SPARSE_PLUS, x, xo, y, yo, i, n);
    }

    /**
     * clip((x + 1)/2, 0, 1), clipped by compare and blend as {@link #relu6}: x + 1 is exact near −1
     * and the halving is exact, so this is ScalarMath's number.
     */
    static void sparseSigmoid(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector t = FloatVector.fromArray(S, x, xo + i).add(1f).mul(0.5f);
            t.blend(0f, t.compare(VectorOperators.LT, 0f)).blend(1f, t.compare(VectorOperators.GT, 1f))
                    .intoArray(y, yo + i);
        }
        Activations.tail(UnaryOp.SPARSE_SIGMOID, x, xo, y, yo, i, n);
    }

    /**
     * x·relu6(x + 3)/6 (clipped by compare and blend as {@link #relu6}); x clamped to −FLT_MAX so
     * that −∞ gives its limit 0, not −∞·0.
     */
    static void hardSilu(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector t = v.add(3f);
            FloatVector h = t.blend(0f, t.compare(VectorOperators.LT, 0f)).blend(6f, t.compare(VectorOperators.GT, 6f));
            FloatVector xc = v.blend(-Float.MAX_VALUE, v.compare(VectorOperators.LT, -Float.MAX_VALUE));
            xc.mul(h.mul(SIXTH)).intoArray(y, yo + i);
        }
        Activations.tail(UnaryOp.HARD_SILU, x, xo, y, yo, i, n);
    }

    /**
     * (x + r)/2 for x ≥ 0 and 2/(r − x) below (no cancellation), r = √(x² + 4), both halved before
     * they are added so that ±FLT_MAX do not overflow; r is |x| from {@link #SQUAREPLUS_LARGE} on.
     */
    static void squareplus(float[] x, int xo, float[] y, int yo, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector four = FloatVector.broadcast(S, 4f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector a = v.abs();
            FloatVector r = (FMA ? v.fma(v, four) : v.mul(v).add(four)).sqrt();
            FloatVector hr = r.blend(a, a.compare(VectorOperators.GT, SQUAREPLUS_LARGE)).mul(0.5f);
            FloatVector hx = v.mul(0.5f);
            FloatVector below = one.div(hr.sub(hx));
            below.blend(hx.add(hr), v.compare(VectorOperators.GE, 0f)).intoArray(y, yo + i);
        }
        Activations.tail(UnaryOp.SQUAREPLUS, x, xo, y, yo, i, n);
    }

    /** s = 2|x|, the argument of tanh_shrink's exp. */
    static void twiceAbs(float[] x, int xo, float[] s, int m) {
        int i = 0;
        for (int bound = S.loopBound(m); i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).abs().mul(2f).intoArray(s, i);
        }
        for (; i < m; i++) {
            s[i] = 2 * Math.abs(x[xo + i]);
        }
    }

    /** −(max(−x, 0) + log1p(s)) = −softplus(−x), s = e^(−|x|). */
    static void logSigmoid(float[] x, int xo, float[] s, float[] y, int yo, int m) {
        int i = 0;
        for (int bound = S.loopBound(m); i < bound; i += L) {
            FloatVector e = FloatVector.fromArray(S, s, i);
            FloatVector.fromArray(S, x, xo + i).neg().max(0f).add(e.lanewise(VectorOperators.LOG1P)).neg()
                    .intoArray(y, yo + i);
        }
        Activations.tail(UnaryOp.LOG_SIGMOID, x, xo, y, yo, i, m);
    }

    /** s = −|x|, or x + 32 below −64: the argument of mish's exp. */
    static void mishArgument(float[] x, int xo, float[] s, int m) {
        int i = 0;
        for (int bound = S.loopBound(m); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.abs().neg().blend(v.add(MISH_SHIFT), v.compare(VectorOperators.LT, MISH_SCALED)).intoArray(s, i);
        }
        for (; i < m; i++) {
            float v = x[xo + i];
            s[i] = v < MISH_SCALED ? v + MISH_SHIFT : -Math.abs(v);
        }
    }

    /**
     * x·tanh(softplus(x)) from u = s = e^(−|x|) alone: with e = e^x, tanh(log(1 + e)) = n/(n + 2),
     * n = e(e + 2); for x &lt; 0 that is u(u + 2)/(u(u + 2) + 2), for x ≥ 0 (divided through by
     * e²) (1 + 2u)/(1 + 2u + 2u²). Neither overflows or cancels. Below −64 the ratio is u to float
     * precision, and s = e^(x + 32) ({@link #mishArgument}), so y = x·s·e^−32. −∞ gives 0, as in swish.
     */
    static void mish(float[] x, int xo, float[] s, float[] y, int yo, int m) {
        int i = 0;
        for (int bound = S.loopBound(m); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector u = FloatVector.fromArray(S, s, i);
            FloatVector twoU = u.mul(2f);
            VectorMask<Float> negative = v.compare(VectorOperators.LT, 0f);
            FloatVector num = twoU.add(1f).blend(FMA ? u.fma(u, twoU) : u.mul(u).add(twoU), negative); // u² + 2u
            FloatVector rest = twoU.mul(u).blend(2f, negative);
            FloatVector xc = v.max(-Float.MAX_VALUE);
            FloatVector scaled = xc.mul(u).mul(MISH_UNSHIFT);
            xc.mul(num.div(num.add(rest))).blend(scaled, v.compare(VectorOperators.LT, MISH_SCALED))
                    .intoArray(y, yo + i);
        }
        Activations.tail(UnaryOp.MISH, x, xo, y, yo, i, m);
    }

    /**
     * x − tanh x with x's sign on |x|: below 1, |x|³·S(x²) (the polynomial above: the difference
     * would cancel); from 1 on, (|x| − 1) + 2/(e<sup>2|x|</sup> + 1), s = e<sup>2|x|</sup>, two
     * positive terms, the first exact up to 2.
     */
    static void tanhShrink(float[] x, int xo, float[] s, float[] y, int yo, int m) {
        FloatVector two = FloatVector.broadcast(S, 2f);
        FloatVector c0 = FloatVector.broadcast(S, TS0);
        FloatVector c1 = FloatVector.broadcast(S, TS1);
        FloatVector c2 = FloatVector.broadcast(S, TS2);
        FloatVector c3 = FloatVector.broadcast(S, TS3);
        FloatVector c4 = FloatVector.broadcast(S, TS4);
        FloatVector c5 = FloatVector.broadcast(S, TS5);
        int i = 0;
        for (int bound = S.loopBound(m); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector a = v.abs();
            FloatVector w = a.mul(a);
            FloatVector p = FMA ? w.fma(TS7, TS6) : w.mul(TS7).add(TS6);
            p = FMA ? p.fma(w, c5) : p.mul(w).add(TS5);
            p = FMA ? p.fma(w, c4) : p.mul(w).add(TS4);
            p = FMA ? p.fma(w, c3) : p.mul(w).add(TS3);
            p = FMA ? p.fma(w, c2) : p.mul(w).add(TS2);
            p = FMA ? p.fma(w, c1) : p.mul(w).add(TS1);
            p = FMA ? p.fma(w, c0) : p.mul(w).add(TS0);
            FloatVector small = a.mul(w.mul(p));
            FloatVector large = a.sub(1f).add(two.div(FloatVector.fromArray(S, s, i).add(1f)));
            FloatVector r = large.blend(small, a.compare(VectorOperators.LT, 1f));
            IntVector sign = v.reinterpretAsInts().and(0x8000_0000);
            r.reinterpretAsInts().or(sign).reinterpretAsFloats().intoArray(y, yo + i);
        }
        Activations.tail(UnaryOp.TANH_SHRINK, x, xo, y, yo, i, m);
    }
}
