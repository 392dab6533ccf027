package io.rnn4j.kernels.simd.math;

import static io.rnn4j.kernels.simd.platform.SimdConstants.fma;

import io.rnn4j.engine.UnaryOp;
import io.rnn4j.engine.scalar.ScalarMath;
import io.rnn4j.kernels.simd.platform.SimdConstants;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Activation gradients over an array range: {@code dx = dy · op'(x)} from the input (every op, as
 * {@link ScalarMath#derivative}, one loop per op), and, for the ops whose derivative is a function
 * of their output — tanh (1 − y²), sigmoid (y(1 − y)), linear (1) — from the output, which is what
 * the recurrent kernels keep. {@code dx} may be {@code dy} at the same offset.
 */
public final class ActivationGrads {
    private static final VectorSpecies<Float> S = SimdConstants.SPECIES;
    private static final int L = S.length();
    private static final float SELU_SCALE = (float) UnaryOp.SELU_SCALE;
    private static final float SELU_SCALE_ALPHA = (float) (UnaryOp.SELU_SCALE * UnaryOp.SELU_ALPHA);

    private ActivationGrads() {
    }

    /** Whether {@link #fromOutput} can compute op's gradient from op's output alone. */
    public static boolean hasOutputForm(UnaryOp op) {
        return op == UnaryOp.TANH || op == UnaryOp.SIGMOID || op == UnaryOp.LINEAR;
    }

    /**
     * {@code dx = dy · op'(x)} given {@code y = op(x)}, for the ops of {@link #hasOutputForm}.
     *
     * @throws IllegalArgumentException for any other op
     */
    public static void fromOutput(UnaryOp op, float[] y, int yo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        switch (op) {
            case LINEAR -> System.arraycopy(dy, dyo, dx, dxo, n);
            case TANH -> tanhFromOutput(y, yo, dy, dyo, dx, dxo, n);
            case SIGMOID -> sigmoidFromOutput(y, yo, dy, dyo, dx, dxo, n);
            default -> throw new IllegalArgumentException("activation gradient from the output: expected tanh, "
                    + "sigmoid or linear, got " + op);
        }
    }

    /** {@code dx = dy · op'(x)} for i in [0, n). */
    public static void fromInput(UnaryOp op, float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        switch (op) {
            case LINEAR -> System.arraycopy(dy, dyo, dx, dxo, n);
            case TANH -> tanh(x, xo, dy, dyo, dx, dxo, n);
            case SIGMOID -> sigmoid(x, xo, dy, dyo, dx, dxo, n);
            case HARD_SIGMOID -> window(op, false, -3f, 3f, 1f / 6f, x, xo, dy, dyo, dx, dxo, n);
            case HARD_SIGMOID_KERAS2 -> window(op, true, -2.5f, 2.5f, 0.2f, x, xo, dy, dyo, dx, dxo, n);
            case RELU -> relu(x, xo, dy, dyo, dx, dxo, n);
            case ELU -> expNegative(op, VectorOperators.GT, 1f, 1f, x, xo, dy, dyo, dx, dxo, n);
            case SELU -> expNegative(op, VectorOperators.GE, SELU_SCALE, SELU_SCALE_ALPHA, x, xo, dy, dyo, dx, dxo, n);
            case SOFTPLUS -> softplus(x, xo, dy, dyo, dx, dxo, n);
            case SOFTSIGN -> softsign(x, xo, dy, dyo, dx, dxo, n);
            case SWISH -> swish(x, xo, dy, dyo, dx, dxo, n);
            case EXP -> exp(x, xo, dy, dyo, dx, dxo, n);
            case LOG -> log(x, xo, dy, dyo, dx, dxo, n);
            case NEG -> neg(x, xo, dy, dyo, dx, dxo, n);
            case ABS -> abs(x, xo, dy, dyo, dx, dxo, n);
            case SQUARE -> square(x, xo, dy, dyo, dx, dxo, n);
            case SQRT -> sqrt(x, xo, dy, dyo, dx, dxo, n);
            case RECIPROCAL -> reciprocal(x, xo, dy, dyo, dx, dxo, n);
        }
    }

    private static void tail(UnaryOp op, float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int i, int n) {
        for (; i < n; i++) {
            dx[dxo + i] = dy[dyo + i] * ScalarMath.derivative(op, x[xo + i]);
        }
    }

    private static void tanhFromOutput(float[] y, int yo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector t = FloatVector.fromArray(S, y, yo + i);
            FloatVector d = fma(t.neg(), t, t.broadcast(1f));
            FloatVector.fromArray(S, dy, dyo + i).mul(d).intoArray(dx, dxo + i);
        }
        for (; i < n; i++) {
            float t = y[yo + i];
            dx[dxo + i] = dy[dyo + i] * (1f - t * t);
        }
    }

    private static void sigmoidFromOutput(float[] y, int yo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector s = FloatVector.fromArray(S, y, yo + i);
            FloatVector d = s.mul(s.neg().add(1f));
            FloatVector.fromArray(S, dy, dyo + i).mul(d).intoArray(dx, dxo + i);
        }
        for (; i < n; i++) {
            float s = y[yo + i];
            dx[dxo + i] = dy[dyo + i] * (s * (1f - s));
        }
    }

    private static void tanh(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector t = VectorMath.tanh(FloatVector.fromArray(S, x, xo + i));
            FloatVector d = fma(t.neg(), t, t.broadcast(1f));
            FloatVector.fromArray(S, dy, dyo + i).mul(d).intoArray(dx, dxo + i);
        }
        tail(UnaryOp.TANH, x, xo, dy, dyo, dx, dxo, i, n);
    }

    private static void sigmoid(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector s = VectorMath.sigmoid(FloatVector.fromArray(S, x, xo + i));
            FloatVector d = s.mul(s.neg().add(1f));
            FloatVector.fromArray(S, dy, dyo + i).mul(d).intoArray(dx, dxo + i);
        }
        tail(UnaryOp.SIGMOID, x, xo, dy, dyo, dx, dxo, i, n);
    }

    /** softplus' = σ. */
    private static void softplus(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector d = VectorMath.sigmoid(FloatVector.fromArray(S, x, xo + i));
            FloatVector.fromArray(S, dy, dyo + i).mul(d).intoArray(dx, dxo + i);
        }
        tail(UnaryOp.SOFTPLUS, x, xo, dy, dyo, dx, dxo, i, n);
    }

    /**
     * slope inside the interval (lo, hi), closed or open, 0 outside: the hard sigmoids (Keras 3's
     * relu6 form has an open interval, Keras 2's min/max clip a closed one, as TensorFlow's
     * gradients have it).
     */
    private static void window(UnaryOp op, boolean closed, float lo, float hi, float slope, float[] x, int xo,
            float[] dy, int dyo, float[] dx, int dxo, int n) {
        VectorOperators.Comparison above = closed ? VectorOperators.GE : VectorOperators.GT;
        VectorOperators.Comparison below = closed ? VectorOperators.LE : VectorOperators.LT;
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            var inside = v.compare(above, lo).and(v.compare(below, hi));
            FloatVector d = FloatVector.zero(S).blend(slope, inside);
            FloatVector.fromArray(S, dy, dyo + i).mul(d).intoArray(dx, dxo + i);
        }
        tail(op, x, xo, dy, dyo, dx, dxo, i, n);
    }

    private static void relu(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector d = FloatVector.zero(S).blend(1f, v.compare(VectorOperators.GT, 0f));
            FloatVector.fromArray(S, dy, dyo + i).mul(d).intoArray(dx, dxo + i);
        }
        tail(UnaryOp.RELU, x, xo, dy, dyo, dx, dxo, i, n);
    }

    /** x above 0 ? pos : neg·e<sup>x</sup> (elu: x &gt; 0; selu: x ≥ 0, TensorFlow's kinks). */
    private static void expNegative(UnaryOp op, VectorOperators.Comparison positive, float pos, float neg, float[] x,
            int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector d = VectorMath.exp(v).mul(neg).blend(pos, v.compare(positive, 0f));
            FloatVector.fromArray(S, dy, dyo + i).mul(d).intoArray(dx, dxo + i);
        }
        tail(op, x, xo, dy, dyo, dx, dxo, i, n);
    }

    private static void softsign(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector a = FloatVector.fromArray(S, x, xo + i).abs().add(1f);
            FloatVector.fromArray(S, dy, dyo + i).div(a.mul(a)).intoArray(dx, dxo + i);
        }
        tail(UnaryOp.SOFTSIGN, x, xo, dy, dyo, dx, dxo, i, n);
    }

    /** swish' = σ + x·σ(1 − σ). */
    private static void swish(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector s = VectorMath.sigmoid(v);
            // At ±∞ the limits 1 and 0, which is s itself (v·s·(1 − s) would be ∞·0).
            FloatVector d = fma(v.mul(s), s.neg().add(1f), s).blend(s, v.abs().compare(VectorOperators.EQ, Float.POSITIVE_INFINITY));
            FloatVector.fromArray(S, dy, dyo + i).mul(d).intoArray(dx, dxo + i);
        }
        tail(UnaryOp.SWISH, x, xo, dy, dyo, dx, dxo, i, n);
    }

    private static void exp(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector d = VectorMath.exp(FloatVector.fromArray(S, x, xo + i));
            FloatVector.fromArray(S, dy, dyo + i).mul(d).intoArray(dx, dxo + i);
        }
        tail(UnaryOp.EXP, x, xo, dy, dyo, dx, dxo, i, n);
    }

    private static void log(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector.fromArray(S, dy, dyo + i).mul(v.broadcast(1f).div(v)).intoArray(dx, dxo + i);
        }
        tail(UnaryOp.LOG, x, xo, dy, dyo, dx, dxo, i, n);
    }

    private static void neg(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, dy, dyo + i).mul(-1f).intoArray(dx, dxo + i);
        }
        tail(UnaryOp.NEG, x, xo, dy, dyo, dx, dxo, i, n);
    }

    /** signum(x): ±1, ±0 at ±0, NaN at NaN (x itself in the last two cases). */
    private static void abs(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector d = v.blend(1f, v.compare(VectorOperators.GT, 0f)).blend(-1f, v.compare(VectorOperators.LT, 0f));
            FloatVector.fromArray(S, dy, dyo + i).mul(d).intoArray(dx, dxo + i);
        }
        tail(UnaryOp.ABS, x, xo, dy, dyo, dx, dxo, i, n);
    }

    private static void square(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector d = FloatVector.fromArray(S, x, xo + i).mul(2f);
            FloatVector.fromArray(S, dy, dyo + i).mul(d).intoArray(dx, dxo + i);
        }
        tail(UnaryOp.SQUARE, x, xo, dy, dyo, dx, dxo, i, n);
    }

    private static void sqrt(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector d = v.broadcast(0.5f).div(v.sqrt());
            FloatVector.fromArray(S, dy, dyo + i).mul(d).intoArray(dx, dxo + i);
        }
        tail(UnaryOp.SQRT, x, xo, dy, dyo, dx, dxo, i, n);
    }

    private static void reciprocal(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector d = v.broadcast(-1f).div(v.mul(v));
            FloatVector.fromArray(S, dy, dyo + i).mul(d).intoArray(dx, dxo + i);
        }
        tail(UnaryOp.RECIPROCAL, x, xo, dy, dyo, dx, dxo, i, n);
    }
}
