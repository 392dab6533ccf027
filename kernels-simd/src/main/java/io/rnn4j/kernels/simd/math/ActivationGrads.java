package io.rnn4j.kernels.simd.math;

import io.rnn4j.engine.UnaryOp;
import io.rnn4j.engine.scalar.ScalarMath;
import io.rnn4j.kernels.simd.platform.SimdConstants;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Activation gradients over an array range: {@code dx = dy · op'(x)} from the input (every op, as
 * {@link ScalarMath#derivative}, kinks and infinities included), and, for the ops whose derivative
 * is a function of their output — tanh (1 − y²), sigmoid (y(1 − y)), linear (1) — from the output,
 * which is what the recurrent kernels keep. {@code dx} may be {@code dy} at the same offset.
 *
 * <p>Derivatives that need a transcendental (tanh, sigmoid, softplus, swish, elu, selu, exp, celu,
 * log_sigmoid, mish, tanh_shrink, gelu) run in chunks: the {@link VectorMath} function into a
 * scratch row, then the product with dy (see {@link Activations}). The loops of the activations
 * Keras 3 added are in {@link KerasActivationGrads} and {@link Gelu}.
 */
public final class ActivationGrads {
    private static final VectorSpecies<Float> S = SimdConstants.SPECIES;
    private static final int L = S.length();
    private static final int CHUNK = Activations.SCRATCH;
    private static final boolean FMA = SimdConstants.FAST_FMA;
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

    /**
     * {@code dx = dy · op'(x)} for i in [0, n); {@code scratch} is a row from
     * {@link Activations#scratch()}.
     */
    public static void fromInput(UnaryOp op, float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n,
            float[] scratch) {
        switch (op) {
            case LINEAR -> System.arraycopy(dy, dyo, dx, dxo, n);
            case HARD_SIGMOID -> window(op, false, -3f, 3f, 1f / 6f, x, xo, dy, dyo, dx, dxo, n);
            case HARD_SIGMOID_KERAS2 -> window(op, true, -2.5f, 2.5f, 0.2f, x, xo, dy, dyo, dx, dxo, n);
            case RELU -> relu(x, xo, dy, dyo, dx, dxo, n);
            case SOFTSIGN -> softsign(x, xo, dy, dyo, dx, dxo, n);
            case LOG -> log(x, xo, dy, dyo, dx, dxo, n);
            case NEG -> neg(x, xo, dy, dyo, dx, dxo, n);
            case ABS -> abs(x, xo, dy, dyo, dx, dxo, n);
            case SQUARE -> square(x, xo, dy, dyo, dx, dxo, n);
            case SQRT -> sqrt(x, xo, dy, dyo, dx, dxo, n);
            case RECIPROCAL -> reciprocal(x, xo, dy, dyo, dx, dxo, n);
            case RELU6 -> window(op, false, 0f, 6f, 1f, x, xo, dy, dyo, dx, dxo, n);
            case HARD_TANH -> window(op, true, -1f, 1f, 1f, x, xo, dy, dyo, dx, dxo, n);
            case SPARSE_SIGMOID -> window(op, false, -1f, 1f, 0.5f, x, xo, dy, dyo, dx, dxo, n);
            case LEAKY_RELU -> KerasActivationGrads.leakyRelu(x, xo, dy, dyo, dx, dxo, n);
            case SOFT_SHRINK, HARD_SHRINK -> KerasActivationGrads.shrink(op, x, xo, dy, dyo, dx, dxo, n);
            case SPARSE_PLUS -> KerasActivationGrads.sparsePlus(x, xo, dy, dyo, dx, dxo, n);
            case HARD_SILU -> KerasActivationGrads.hardSilu(x, xo, dy, dyo, dx, dxo, n);
            case SQUAREPLUS -> KerasActivationGrads.squareplus(x, xo, dy, dyo, dx, dxo, n);
            case TANH, SIGMOID, SOFTPLUS, SWISH, ELU, SELU, EXP, CELU, LOG_SIGMOID, MISH, TANH_SHRINK, GELU -> {
                for (int c = 0; c < n; c += CHUNK) {
                    int m = Math.min(CHUNK, n - c);
                    chunk(op, x, xo + c, dy, dyo + c, dx, dxo + c, m, scratch);
                }
            }
            case GELU_APPROXIMATE -> tail(op, x, xo, dy, dyo, dx, dxo, 0, n); // as in Activations.apply
            // Every op has its case above; this is for one added to UnaryOp without a loop here.
            default -> throw new IllegalArgumentException("simd: no vector gradient loop for " + op);
        }
    }

    /** One chunk of a derivative that needs a transcendental: it into {@code s}, then the product. */
    private static void chunk(UnaryOp op, float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int m,
            float[] s) {
        switch (op) {
            case TANH -> {
                VectorMath.tanh(x, xo, s, 0, m);
                tanhFromOutput(s, 0, dy, dyo, dx, dxo, m);
            }
            case SIGMOID -> {
                VectorMath.sigmoid(x, xo, s, 0, m);
                sigmoidFromOutput(s, 0, dy, dyo, dx, dxo, m);
            }
            case SOFTPLUS -> {
                VectorMath.sigmoid(x, xo, s, 0, m);
                times(s, dy, dyo, dx, dxo, m); // softplus' = σ
            }
            case SWISH -> {
                VectorMath.sigmoid(x, xo, s, 0, m);
                swish(x, xo, s, dy, dyo, dx, dxo, m);
            }
            case EXP -> {
                VectorMath.exp(x, xo, s, 0, m);
                times(s, dy, dyo, dx, dxo, m);
            }
            case ELU -> {
                VectorMath.exp(x, xo, s, 0, m);
                expNegative(op, false, 1f, 1f, x, xo, s, dy, dyo, dx, dxo, m);
            }
            case SELU -> {
                VectorMath.exp(x, xo, s, 0, m);
                expNegative(op, true, SELU_SCALE, SELU_SCALE_ALPHA, x, xo, s, dy, dyo, dx, dxo, m);
            }
            case CELU -> {
                VectorMath.exp(x, xo, s, 0, m);
                KerasActivationGrads.celu(x, xo, s, dy, dyo, dx, dxo, m);
            }
            case LOG_SIGMOID -> {
                KerasActivationGrads.negate(x, xo, s, m);
                VectorMath.sigmoid(s, 0, s, 0, m);
                times(s, dy, dyo, dx, dxo, m); // log_sigmoid' = σ(−x)
            }
            case MISH -> {
                Activations.negativeAbs(x, xo, s, m);
                VectorMath.exp(s, 0, s, 0, m);
                KerasActivationGrads.mish(x, xo, s, dy, dyo, dx, dxo, m);
            }
            case TANH_SHRINK -> {
                VectorMath.tanh(x, xo, s, 0, m);
                KerasActivationGrads.tanhShrink(x, xo, s, dy, dyo, dx, dxo, m);
            }
            case GELU -> {
                Gelu.negativeHalfSquare(x, xo, s, m);
                VectorMath.exp(s, 0, s, 0, m);
                Gelu.derivative(x, xo, s, dy, dyo, dx, dxo, m);
            }
            default -> throw new IllegalStateException("not a chunked derivative: " + op);
        }
    }

    /** dy·ScalarMath's derivative for the elements the vector loop left, from {@code i} to {@code n}. */
    static void tail(UnaryOp op, float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int i, int n) {
        for (; i < n; i++) {
            dx[dxo + i] = dy[dyo + i] * ScalarMath.derivative(op, x[xo + i]);
        }
    }

    /** dy·(1 − t²), t = tanh. */
    private static void tanhFromOutput(float[] y, int yo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector t = FloatVector.fromArray(S, y, yo + i);
            FloatVector d = FMA ? t.neg().fma(t, one) : one.sub(t.mul(t));
            FloatVector.fromArray(S, dy, dyo + i).mul(d).intoArray(dx, dxo + i);
        }
        for (; i < n; i++) {
            float t = y[yo + i];
            dx[dxo + i] = dy[dyo + i] * (1f - t * t);
        }
    }

    /** dy·s(1 − s), s = sigmoid. */
    private static void sigmoidFromOutput(float[] y, int yo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector s = FloatVector.fromArray(S, y, yo + i);
            FloatVector.fromArray(S, dy, dyo + i).mul(s.mul(one.sub(s))).intoArray(dx, dxo + i);
        }
        for (; i < n; i++) {
            float s = y[yo + i];
            dx[dxo + i] = dy[dyo + i] * (s * (1f - s));
        }
    }

    /** dy·s. */
    private static void times(float[] s, float[] dy, int dyo, float[] dx, int dxo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, dy, dyo + i).mul(FloatVector.fromArray(S, s, i)).intoArray(dx, dxo + i);
        }
        for (; i < n; i++) {
            dx[dxo + i] = dy[dyo + i] * s[i];
        }
    }

    /** swish' = s + x·s·(1 − s), s = sigmoid(x); at ±∞ the limits 1 and 0, which is s itself. */
    private static void swish(float[] x, int xo, float[] s, float[] dy, int dyo, float[] dx, int dxo, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector sv = FloatVector.fromArray(S, s, i);
            FloatVector xs = v.mul(sv);
            FloatVector d = FMA ? xs.fma(one.sub(sv), sv) : xs.mul(one.sub(sv)).add(sv);
            VectorMask<Float> infinite = v.abs().compare(VectorOperators.EQ, Float.POSITIVE_INFINITY);
            FloatVector.fromArray(S, dy, dyo + i).mul(d.blend(sv, infinite)).intoArray(dx, dxo + i);
        }
        tail(UnaryOp.SWISH, x, xo, dy, dyo, dx, dxo, i, n);
    }

    /**
     * x above 0 ? pos : neg·s, s = e<sup>x</sup>, 0 itself counted as above with {@code zeroAbove}
     * (elu: x &gt; 0; selu: x ≥ 0, TensorFlow's kinks). One loop per comparison: the operator must
     * be a constant where the Vector API compiles it, or it falls back to Java code that allocates
     * every vector (measured: 17 KB per 1,000 floats when it was a parameter).
     */
    private static void expNegative(UnaryOp op, boolean zeroAbove, float pos, float neg, float[] x, int xo, float[] s,
            float[] dy, int dyo, float[] dx, int dxo, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        if (zeroAbove) {
            for (; i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, xo + i);
                FloatVector d = FloatVector.fromArray(S, s, i).mul(neg).blend(pos, v.compare(VectorOperators.GE, 0f));
                FloatVector.fromArray(S, dy, dyo + i).mul(d).intoArray(dx, dxo + i);
            }
        } else {
            for (; i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, xo + i);
                FloatVector d = FloatVector.fromArray(S, s, i).mul(neg).blend(pos, v.compare(VectorOperators.GT, 0f));
                FloatVector.fromArray(S, dy, dyo + i).mul(d).intoArray(dx, dxo + i);
            }
        }
        tail(op, x, xo, dy, dyo, dx, dxo, i, n);
    }

    /**
     * slope inside the interval (lo, hi), closed or open, 0 outside: the hard sigmoids (Keras 3's
     * relu6 form has an open interval, Keras 2's min/max clip a closed one, as TensorFlow's
     * gradients have it). One loop per pair of comparisons, constants where used (see
     * {@link #expNegative}).
     */
    private static void window(UnaryOp op, boolean closed, float lo, float hi, float slope, float[] x, int xo,
            float[] dy, int dyo, float[] dx, int dxo, int n) {
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        int bound = S.loopBound(n);
        if (closed) {
            for (; i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, xo + i);
                VectorMask<Float> inside = v.compare(VectorOperators.GE, lo).and(v.compare(VectorOperators.LE, hi));
                FloatVector.fromArray(S, dy, dyo + i).mul(zero.blend(slope, inside)).intoArray(dx, dxo + i);
            }
        } else {
            for (; i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, xo + i);
                VectorMask<Float> inside = v.compare(VectorOperators.GT, lo).and(v.compare(VectorOperators.LT, hi));
                FloatVector.fromArray(S, dy, dyo + i).mul(zero.blend(slope, inside)).intoArray(dx, dxo + i);
            }
        }
        tail(op, x, xo, dy, dyo, dx, dxo, i, n);
    }

    private static void relu(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            VectorMask<Float> positive = FloatVector.fromArray(S, x, xo + i).compare(VectorOperators.GT, 0f);
            FloatVector.fromArray(S, dy, dyo + i).mul(zero.blend(1f, positive)).intoArray(dx, dxo + i);
        }
        tail(UnaryOp.RELU, x, xo, dy, dyo, dx, dxo, i, n);
    }

    /** 1/(1 + |x|)². */
    private static void softsign(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector a = FloatVector.fromArray(S, x, xo + i).abs().add(1f);
            FloatVector.fromArray(S, dy, dyo + i).div(a.mul(a)).intoArray(dx, dxo + i);
        }
        tail(UnaryOp.SOFTSIGN, x, xo, dy, dyo, dx, dxo, i, n);
    }

    private static void log(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, dy, dyo + i).div(FloatVector.fromArray(S, x, xo + i)).intoArray(dx, dxo + i);
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
        FloatVector half = FloatVector.broadcast(S, 0.5f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector d = half.div(FloatVector.fromArray(S, x, xo + i).sqrt());
            FloatVector.fromArray(S, dy, dyo + i).mul(d).intoArray(dx, dxo + i);
        }
        tail(UnaryOp.SQRT, x, xo, dy, dyo, dx, dxo, i, n);
    }

    private static void reciprocal(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        FloatVector minusOne = FloatVector.broadcast(S, -1f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector.fromArray(S, dy, dyo + i).mul(minusOne.div(v.mul(v))).intoArray(dx, dxo + i);
        }
        tail(UnaryOp.RECIPROCAL, x, xo, dy, dyo, dx, dxo, i, n);
    }
}
