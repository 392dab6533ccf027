package io.rnn4j.kernels.simd.math;

import io.rnn4j.engine.UnaryOp;
import io.rnn4j.kernels.simd.platform.SimdConstants;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code dx = dy·op'(x)} for the activations Keras 3 added, for {@link ActivationGrads#fromInput}
 * and in its shape (the windows — relu6, hard_tanh, sparse_sigmoid — are its {@code window}; gelu's
 * is {@link Gelu}). Kinks are TensorFlow's gradients as ScalarMath has them; ±∞ give the limits.
 */
final class KerasActivationGrads {
    private static final VectorSpecies<Float> S = SimdConstants.SPECIES;
    private static final int L = S.length();
    private static final boolean FMA = SimdConstants.FAST_FMA;

    private static final float LEAKY_SLOPE = (float) UnaryOp.LEAKY_RELU_SLOPE;
    private static final float SHRINK = (float) UnaryOp.SHRINK_THRESHOLD;
    private static final float SIXTH = 1f / 6;

    private KerasActivationGrads() {
    }

    /** 1 above 0, 0.2 elsewhere (0 included, NaN too, as ScalarMath). */
    static void leakyRelu(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        FloatVector slope = FloatVector.broadcast(S, LEAKY_SLOPE);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            VectorMask<Float> positive = FloatVector.fromArray(S, x, xo + i).compare(VectorOperators.GT, 0f);
            FloatVector.fromArray(S, dy, dyo + i).mul(slope.blend(1f, positive)).intoArray(dx, dxo + i);
        }
        ActivationGrads.tail(UnaryOp.LEAKY_RELU, x, xo, dy, dyo, dx, dxo, i, n);
    }

    /** soft_shrink and hard_shrink: 1 where |x| &gt; 0.5, else 0. */
    static void shrink(UnaryOp op, float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            VectorMask<Float> outside = FloatVector.fromArray(S, x, xo + i).abs().compare(VectorOperators.GT, SHRINK);
            FloatVector.fromArray(S, dy, dyo + i).mul(zero.blend(1f, outside)).intoArray(dx, dxo + i);
        }
        ActivationGrads.tail(op, x, xo, dy, dyo, dx, dxo, i, n);
    }

    /** 0 up to −1, (x + 1)/2 on (−1, 1), 1 from 1 (NaN: 1, as ScalarMath's comparisons give it). */
    static void sparsePlus(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector d = one.blend(v.add(1f).mul(0.5f), v.compare(VectorOperators.LT, 1f))
                    .blend(0f, v.compare(VectorOperators.LE, -1f));
            FloatVector.fromArray(S, dy, dyo + i).mul(d).intoArray(dx, dxo + i);
        }
        ActivationGrads.tail(UnaryOp.SPARSE_PLUS, x, xo, dy, dyo, dx, dxo, i, n);
    }

    /**
     * relu6(x + 3)/6 + (x in (−3, 3) ? x/6 : 0): TensorFlow's relu6 gradient on the open interval, so
     * hard_silu'(±3) is hard_sigmoid(±3). ±∞ give 1 and 0 from the first term; NaN stays NaN.
     */
    static void hardSilu(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector t = v.add(3f);
            FloatVector h = t.blend(0f, t.compare(VectorOperators.LT, 0f)).blend(6f, t.compare(VectorOperators.GT, 6f))
                    .mul(SIXTH);
            VectorMask<Float> inside = v.compare(VectorOperators.GT, -3f).and(v.compare(VectorOperators.LT, 3f));
            FloatVector d = h.add(zero.blend(v.mul(SIXTH), inside));
            FloatVector.fromArray(S, dy, dyo + i).mul(d).intoArray(dx, dxo + i);
        }
        ActivationGrads.tail(UnaryOp.HARD_SILU, x, xo, dy, dyo, dx, dxo, i, n);
    }

    /**
     * (1 + x/r)/2 with r = √(x² + 4): e = 2/(r(r + |x|)) is the derivative at −|x| without
     * cancellation, and the two sides add up to 1. Large |x| take r = |x| as the forward does; at
     * ±∞ e is 0, giving the limits 1 and 0.
     */
    static void squareplus(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector two = FloatVector.broadcast(S, 2f);
        FloatVector four = FloatVector.broadcast(S, 4f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector a = v.abs();
            FloatVector r = (FMA ? v.fma(v, four) : v.mul(v).add(four)).sqrt();
            r = r.blend(a, a.compare(VectorOperators.GT, KerasActivations.SQUAREPLUS_LARGE));
            FloatVector e = two.div(r.mul(r.add(a)));
            FloatVector d = e.blend(one.sub(e), v.compare(VectorOperators.GE, 0f));
            FloatVector.fromArray(S, dy, dyo + i).mul(d).intoArray(dx, dxo + i);
        }
        ActivationGrads.tail(UnaryOp.SQUAREPLUS, x, xo, dy, dyo, dx, dxo, i, n);
    }

    /** celu: 1 above 0, 2 at ±0 (TensorFlow's max and min both pass the tie), s = e^x below. */
    static void celu(float[] x, int xo, float[] s, float[] dy, int dyo, float[] dx, int dxo, int m) {
        int i = 0;
        for (int bound = S.loopBound(m); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector d = FloatVector.fromArray(S, s, i).blend(1f, v.compare(VectorOperators.GT, 0f))
                    .blend(2f, v.compare(VectorOperators.EQ, 0f));
            FloatVector.fromArray(S, dy, dyo + i).mul(d).intoArray(dx, dxo + i);
        }
        ActivationGrads.tail(UnaryOp.CELU, x, xo, dy, dyo, dx, dxo, i, m);
    }

    /** s = −x, for log_sigmoid' = σ(−x). */
    static void negate(float[] x, int xo, float[] s, int m) {
        int i = 0;
        for (int bound = S.loopBound(m); i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).neg().intoArray(s, i);
        }
        for (; i < m; i++) {
            s[i] = -x[xo + i];
        }
    }

    /** dy·s², s = tanh x: tanh_shrink' = tanh². */
    static void tanhShrink(float[] x, int xo, float[] s, float[] dy, int dyo, float[] dx, int dxo, int m) {
        int i = 0;
        for (int bound = S.loopBound(m); i < bound; i += L) {
            FloatVector t = FloatVector.fromArray(S, s, i);
            FloatVector.fromArray(S, dy, dyo + i).mul(t.mul(t)).intoArray(dx, dxo + i);
        }
        ActivationGrads.tail(UnaryOp.TANH_SHRINK, x, xo, dy, dyo, dx, dxo, i, m);
    }

    /**
     * mish' = t + x·(1 − t²)·σ(x), t = tanh(softplus x), from u = s = e^(−|x|) as the forward has it:
     * t = N/D with D = N + C, so 1 − t = C/D; σ = (x ≥ 0 ? 1 : u)/(1 + u). One division serves both
     * quotients: 1/(D·(1 + u)). x is clamped to ±FLT_MAX so that ±∞ give the limits 1 and 0.
     */
    static void mish(float[] x, int xo, float[] s, float[] dy, int dyo, float[] dx, int dxo, int m) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int bound = S.loopBound(m); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector u = FloatVector.fromArray(S, s, i);
            FloatVector twoU = u.mul(2f);
            VectorMask<Float> negative = v.compare(VectorOperators.LT, 0f);
            FloatVector num = twoU.add(1f).blend(FMA ? u.fma(u, twoU) : u.mul(u).add(twoU), negative); // u² + 2u
            FloatVector rest = twoU.mul(u).blend(2f, negative);
            FloatVector den = num.add(rest);
            FloatVector g = u.add(1f);
            FloatVector inv = one.div(den.mul(g));
            FloatVector t = num.mul(inv.mul(g));
            FloatVector oneMinusT = rest.mul(inv.mul(g));
            FloatVector sigma = one.blend(u, negative).mul(inv.mul(den));
            FloatVector xc = v.max(-Float.MAX_VALUE).min(Float.MAX_VALUE);
            FloatVector slope = oneMinusT.mul(t.add(1f)).mul(sigma);
            FloatVector d = FMA ? xc.fma(slope, t) : xc.mul(slope).add(t);
            FloatVector.fromArray(S, dy, dyo + i).mul(d).intoArray(dx, dxo + i);
        }
        ActivationGrads.tail(UnaryOp.MISH, x, xo, dy, dyo, dx, dxo, i, m);
    }
}
