package io.rnn4j.kernels.simd.math;

import io.rnn4j.engine.UnaryOp;
import io.rnn4j.engine.scalar.ScalarMath;
import io.rnn4j.kernels.simd.platform.SimdConstants;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code y = op(x)} over an array range, for every {@link UnaryOp}: one loop per op so that each
 * op's vectors live inside one method body (a vector assigned on two branches, or passed to a call
 * that is not inlined, is boxed), then the scalar function itself for the tail. Semantics are
 * {@link ScalarMath#apply}'s: the same special cases (NaN stays NaN, relu included; softsign(±∞) =
 * ±1, swish(−∞) = 0), within
 * the ulp bounds of {@link VectorMath} for the transcendental ones. {@code y} may be {@code x} at the
 * same offset.
 */
public final class Activations {
    private static final VectorSpecies<Float> S = SimdConstants.SPECIES;
    private static final int L = S.length();
    private static final float SELU_SCALE = (float) UnaryOp.SELU_SCALE;
    private static final float SELU_SCALE_ALPHA = (float) (UnaryOp.SELU_SCALE * UnaryOp.SELU_ALPHA);

    private Activations() {
    }

    /** {@code y[yo + i] = op(x[xo + i])} for i in [0, n). */
    public static void apply(UnaryOp op, float[] x, int xo, float[] y, int yo, int n) {
        switch (op) {
            case LINEAR -> System.arraycopy(x, xo, y, yo, n);
            case TANH -> tanh(x, xo, y, yo, n);
            case SIGMOID -> sigmoid(x, xo, y, yo, n);
            case HARD_SIGMOID -> hardSigmoid(x, xo, y, yo, n);
            case HARD_SIGMOID_KERAS2 -> hardSigmoidKeras2(x, xo, y, yo, n);
            case RELU -> relu(x, xo, y, yo, n);
            case ELU -> elu(x, xo, y, yo, n);
            case SELU -> selu(x, xo, y, yo, n);
            case SOFTPLUS -> softplus(x, xo, y, yo, n);
            case SOFTSIGN -> softsign(x, xo, y, yo, n);
            case SWISH -> swish(x, xo, y, yo, n);
            case EXP -> exp(x, xo, y, yo, n);
            case LOG -> log(x, xo, y, yo, n);
            case NEG -> neg(x, xo, y, yo, n);
            case ABS -> abs(x, xo, y, yo, n);
            case SQRT -> sqrt(x, xo, y, yo, n);
            case SQUARE -> square(x, xo, y, yo, n);
            case RECIPROCAL -> reciprocal(x, xo, y, yo, n);
        }
    }

    /** The scalar function for the elements the vector loop left, from {@code i} to {@code n}. */
    private static void tail(UnaryOp op, float[] x, int xo, float[] y, int yo, int i, int n) {
        for (; i < n; i++) {
            y[yo + i] = ScalarMath.apply(op, x[xo + i]);
        }
    }

    private static void tanh(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            VectorMath.tanh(FloatVector.fromArray(S, x, xo + i)).intoArray(y, yo + i);
        }
        tail(UnaryOp.TANH, x, xo, y, yo, i, n);
    }

    private static void sigmoid(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            VectorMath.sigmoid(FloatVector.fromArray(S, x, xo + i)).intoArray(y, yo + i);
        }
        tail(UnaryOp.SIGMOID, x, xo, y, yo, i, n);
    }

    private static void exp(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            VectorMath.exp(FloatVector.fromArray(S, x, xo + i)).intoArray(y, yo + i);
        }
        tail(UnaryOp.EXP, x, xo, y, yo, i, n);
    }

    /** relu6(x + 3)/6. */
    private static void hardSigmoid(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.add(3f).max(0f).min(6f).div(6f).intoArray(y, yo + i);
        }
        tail(UnaryOp.HARD_SIGMOID, x, xo, y, yo, i, n);
    }

    /**
     * clip(0.2x + 0.5, 0, 1), computed as (x + 2.5)/5: the same number, without the cancellation
     * near x = −2.5 that 0.2f (not exactly 0.2) would leave.
     */
    private static void hardSigmoidKeras2(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.add(2.5f).div(5f).max(0f).min(1f).intoArray(y, yo + i);
        }
        tail(UnaryOp.HARD_SIGMOID_KERAS2, x, xo, y, yo, i, n);
    }

    /** max(x, 0): NaN stays NaN, −0 gives +0, as Math.max. */
    private static void relu(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).max(0f).intoArray(y, yo + i);
        }
        tail(UnaryOp.RELU, x, xo, y, yo, i, n);
    }

    private static void elu(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            VectorMath.expm1(v).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, yo + i);
        }
        tail(UnaryOp.ELU, x, xo, y, yo, i, n);
    }

    private static void selu(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector neg = VectorMath.expm1(v).mul(SELU_SCALE_ALPHA);
            neg.blend(v.mul(SELU_SCALE), v.compare(VectorOperators.GT, 0f)).intoArray(y, yo + i);
        }
        tail(UnaryOp.SELU, x, xo, y, yo, i, n);
    }

    /** max(x, 0) + log1p(exp(−|x|)): never overflows. */
    private static void softplus(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector e = VectorMath.exp(v.abs().neg());
            v.max(0f).add(e.lanewise(VectorOperators.LOG1P)).intoArray(y, yo + i);
        }
        tail(UnaryOp.SOFTPLUS, x, xo, y, yo, i, n);
    }

    private static void softsign(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            // ±∞ gives its limit ±1 (∞/∞ would be NaN): x/(1 + |x|) with x clamped to ±FLT_MAX is ±1.
            FloatVector c = v.max(-Float.MAX_VALUE).min(Float.MAX_VALUE);
            c.div(c.abs().add(1f)).intoArray(y, yo + i);
        }
        tail(UnaryOp.SOFTSIGN, x, xo, y, yo, i, n);
    }

    private static void swish(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            // −∞ gives its limit 0 (−∞·0 would be NaN): clamping to −FLT_MAX does, sigmoid being 0 there.
            FloatVector c = v.max(-Float.MAX_VALUE);
            c.mul(VectorMath.sigmoid(c)).intoArray(y, yo + i);
        }
        tail(UnaryOp.SWISH, x, xo, y, yo, i, n);
    }

    private static void square(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.mul(v).intoArray(y, yo + i);
        }
        tail(UnaryOp.SQUARE, x, xo, y, yo, i, n);
    }

    private static void reciprocal(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.broadcast(1f).div(v).intoArray(y, yo + i);
        }
        tail(UnaryOp.RECIPROCAL, x, xo, y, yo, i, n);
    }

    private static void log(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.LOG).intoArray(y, yo + i);
        }
        tail(UnaryOp.LOG, x, xo, y, yo, i, n);
    }

    private static void neg(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).neg().intoArray(y, yo + i);
        }
        tail(UnaryOp.NEG, x, xo, y, yo, i, n);
    }

    private static void abs(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).abs().intoArray(y, yo + i);
        }
        tail(UnaryOp.ABS, x, xo, y, yo, i, n);
    }

    private static void sqrt(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).sqrt().intoArray(y, yo + i);
        }
        tail(UnaryOp.SQRT, x, xo, y, yo, i, n);
    }
}
