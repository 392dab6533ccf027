package io.rnn4j.kernels.simd.math;

import io.rnn4j.engine.UnaryOp;
import io.rnn4j.engine.scalar.ScalarMath;
import io.rnn4j.kernels.simd.platform.FreeList;
import io.rnn4j.kernels.simd.platform.SimdConstants;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code y = op(x)} over an array range, for every {@link UnaryOp}, {@code y} may be {@code x}.
 * Semantics are {@link ScalarMath#apply}'s, including its special cases (NaN stays NaN, relu
 * included; softsign(±∞) = ±1; swish(−∞) = 0), within the ulp bounds of {@link VectorMath} for the
 * transcendental ones; the elements that do not fill a vector go through ScalarMath itself.
 *
 * <p>Each op is its own loop, so that C2 sees one constant operation per loop and each vector lives
 * in one method body. Ops made of a transcendental and some arithmetic (elu, selu, softplus, swish,
 * celu, log_sigmoid, mish, tanh_shrink, gelu) run in chunks: the {@link VectorMath} function into a
 * scratch row, then the arithmetic, which keeps in-place calls correct and the transcendental in
 * its own compiled loop (see VectorMath on why vectors never cross a call). The loops of the
 * activations Keras 3 added are in {@link KerasActivations} and {@link Gelu}, with their error
 * bounds; every op has its case in {@link #apply}, and one added to UnaryOp without a loop here
 * is refused rather than skipped.
 */
public final class Activations {
    /** The scratch floats the chunked ops need; see {@link #scratch()}. */
    public static final int SCRATCH = 256;

    private static final VectorSpecies<Float> S = SimdConstants.SPECIES;
    private static final int L = S.length();
    private static final float SELU_SCALE = (float) UnaryOp.SELU_SCALE;
    private static final float SELU_SCALE_ALPHA = (float) (UnaryOp.SELU_SCALE * UnaryOp.SELU_ALPHA);

    private Activations() {
    }

    /** Scratch rows lent to the generic ops, one per op running at once (no allocation per call). */
    private static final FreeList<float[]> SCRATCH_ROWS = new FreeList<>(FreeList.defaultSize(), Activations::scratch);

    /**
     * A new scratch row for {@link #apply} and {@link ActivationGrads#fromInput}, reusable across
     * calls of one thread.
     */
    public static float[] scratch() {
        return new float[SCRATCH];
    }

    /** A scratch row lent for one op; give it back with {@link #giveBackScratch}. */
    public static float[] borrowScratch() {
        return SCRATCH_ROWS.borrow();
    }

    /** Returns a row from {@link #borrowScratch}. */
    public static void giveBackScratch(float[] row) {
        SCRATCH_ROWS.giveBack(row);
    }

    /**
     * {@code y[yo + i] = op(x[xo + i])} for i in [0, n); {@code scratch} is a row from
     * {@link #scratch()}, used by the chunked ops.
     */
    public static void apply(UnaryOp op, float[] x, int xo, float[] y, int yo, int n, float[] scratch) {
        switch (op) {
            case LINEAR -> System.arraycopy(x, xo, y, yo, n);
            case TANH -> VectorMath.tanh(x, xo, y, yo, n);
            case SIGMOID -> VectorMath.sigmoid(x, xo, y, yo, n);
            case EXP -> VectorMath.exp(x, xo, y, yo, n);
            case HARD_SIGMOID -> hardSigmoid(x, xo, y, yo, n);
            case HARD_SIGMOID_KERAS2 -> hardSigmoidKeras2(x, xo, y, yo, n);
            case RELU -> relu(x, xo, y, yo, n);
            case SOFTSIGN -> softsign(x, xo, y, yo, n);
            case LOG -> log(x, xo, y, yo, n);
            case NEG -> neg(x, xo, y, yo, n);
            case ABS -> abs(x, xo, y, yo, n);
            case SQUARE -> square(x, xo, y, yo, n);
            case SQRT -> sqrt(x, xo, y, yo, n);
            case RECIPROCAL -> reciprocal(x, xo, y, yo, n);
            case RELU6 -> KerasActivations.relu6(x, xo, y, yo, n);
            case LEAKY_RELU -> KerasActivations.leakyRelu(x, xo, y, yo, n);
            case HARD_TANH -> KerasActivations.hardTanh(x, xo, y, yo, n);
            case SOFT_SHRINK -> KerasActivations.softShrink(x, xo, y, yo, n);
            case HARD_SHRINK -> KerasActivations.hardShrink(x, xo, y, yo, n);
            case SPARSE_PLUS -> KerasActivations.sparsePlus(x, xo, y, yo, n);
            case SPARSE_SIGMOID -> KerasActivations.sparseSigmoid(x, xo, y, yo, n);
            case HARD_SILU -> KerasActivations.hardSilu(x, xo, y, yo, n);
            case SQUAREPLUS -> KerasActivations.squareplus(x, xo, y, yo, n);
            case ELU, SELU, SOFTPLUS, SWISH, CELU, LOG_SIGMOID, MISH, TANH_SHRINK, GELU -> {
                for (int c = 0; c < n; c += SCRATCH) {
                    int m = Math.min(SCRATCH, n - c);
                    chunk(op, x, xo + c, y, yo + c, m, scratch);
                }
            }
            // keras.ops.gelu's default, met only in files that call it: ScalarMath's one double exp per
            // element (in float, its exp argument would need double-float care to keep 8 ulp in the tail)
            case GELU_APPROXIMATE -> tail(op, x, xo, y, yo, 0, n);
            // Every op has its case above; this is for one added to UnaryOp without a loop here.
            default -> throw new IllegalArgumentException("simd: no vector loop for " + op);
        }
    }

    /** One chunk of a composite op: the transcendental into {@code s}, then the rest. */
    private static void chunk(UnaryOp op, float[] x, int xo, float[] y, int yo, int m, float[] s) {
        switch (op) {
            case ELU, CELU -> { // the same function with alpha 1; they differ in the derivative at 0
                VectorMath.expm1(x, xo, s, 0, m);
                expNegative(op, 1f, 1f, x, xo, s, y, yo, m);
            }
            case SELU -> {
                VectorMath.expm1(x, xo, s, 0, m);
                expNegative(op, SELU_SCALE, SELU_SCALE_ALPHA, x, xo, s, y, yo, m);
            }
            case SOFTPLUS -> {
                negativeAbs(x, xo, s, m);
                VectorMath.exp(s, 0, s, 0, m);
                softplus(x, xo, s, y, yo, m);
            }
            case SWISH -> {
                VectorMath.sigmoid(x, xo, s, 0, m);
                swish(x, xo, s, y, yo, m);
            }
            case LOG_SIGMOID -> {
                negativeAbs(x, xo, s, m);
                VectorMath.exp(s, 0, s, 0, m);
                KerasActivations.logSigmoid(x, xo, s, y, yo, m);
            }
            case MISH -> {
                KerasActivations.mishArgument(x, xo, s, m);
                VectorMath.exp(s, 0, s, 0, m);
                KerasActivations.mish(x, xo, s, y, yo, m);
            }
            case TANH_SHRINK -> {
                KerasActivations.twiceAbs(x, xo, s, m);
                VectorMath.exp(s, 0, s, 0, m);
                KerasActivations.tanhShrink(x, xo, s, y, yo, m);
            }
            case GELU -> {
                Gelu.negativeHalfSquare(x, xo, s, m);
                VectorMath.exp(s, 0, s, 0, m);
                Gelu.forward(x, xo, s, y, yo, m);
            }
            default -> throw new IllegalStateException("not a chunked op: " + op);
        }
    }

    /** The scalar function for the elements the vector loop left, from {@code i} to {@code n}. */
    static void tail(UnaryOp op, float[] x, int xo, float[] y, int yo, int i, int n) {
        for (; i < n; i++) {
            y[yo + i] = ScalarMath.apply(op, x[xo + i]);
        }
    }

    /** x &gt; 0 ? pos·x : neg·s, s = expm1(x) (elu: 1, 1; selu: scale, scale·alpha). */
    private static void expNegative(UnaryOp op, float pos, float neg, float[] x, int xo, float[] s, float[] y, int yo,
            int m) {
        int i = 0;
        for (int bound = S.loopBound(m); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector.fromArray(S, s, i).mul(neg).blend(v.mul(pos), v.compare(VectorOperators.GT, 0f))
                    .intoArray(y, yo + i);
        }
        tail(op, x, xo, y, yo, i, m);
    }

    /** s = −|x|. */
    static void negativeAbs(float[] x, int xo, float[] s, int m) {
        int i = 0;
        for (int bound = S.loopBound(m); i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).abs().neg().intoArray(s, i);
        }
        for (; i < m; i++) {
            s[i] = -Math.abs(x[xo + i]);
        }
    }

    /** max(x, 0) + log1p(s), s = exp(−|x|): never overflows. */
    private static void softplus(float[] x, int xo, float[] s, float[] y, int yo, int m) {
        int i = 0;
        for (int bound = S.loopBound(m); i < bound; i += L) {
            FloatVector e = FloatVector.fromArray(S, s, i);
            FloatVector.fromArray(S, x, xo + i).max(0f).add(e.lanewise(VectorOperators.LOG1P)).intoArray(y, yo + i);
        }
        tail(UnaryOp.SOFTPLUS, x, xo, y, yo, i, m);
    }

    /** x·s, s = sigmoid(x); −∞ gives its limit 0 (−∞·0 would be NaN). */
    private static void swish(float[] x, int xo, float[] s, float[] y, int yo, int m) {
        int i = 0;
        for (int bound = S.loopBound(m); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.max(-Float.MAX_VALUE).mul(FloatVector.fromArray(S, s, i)).intoArray(y, yo + i);
        }
        tail(UnaryOp.SWISH, x, xo, y, yo, i, m);
    }

    /** relu6(x + 3)/6. */
    private static void hardSigmoid(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector t = FloatVector.fromArray(S, x, xo + i).add(3f); // clamped by blends, as relu
            t.blend(0f, t.compare(VectorOperators.LE, 0f)).blend(6f, t.compare(VectorOperators.GT, 6f)).div(6f)
                    .intoArray(y, yo + i);
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
            FloatVector t = FloatVector.fromArray(S, x, xo + i).add(2.5f).div(5f);
            t.blend(0f, t.compare(VectorOperators.LE, 0f)).blend(1f, t.compare(VectorOperators.GT, 1f))
                    .intoArray(y, yo + i);
        }
        tail(UnaryOp.HARD_SIGMOID_KERAS2, x, xo, y, yo, i, n);
    }

    /**
     * max(x, 0): NaN stays NaN, −0 gives +0, as Math.max. As a compare and blend (x ≤ 0 gives +0),
     * not lanewise max, whose Java semantics for NaN and −0 cost extra instructions: relu ran 1.3 to
     * 1.4 times relu6's time with max.
     */
    private static void relu(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.blend(0f, v.compare(VectorOperators.LE, 0f)).intoArray(y, yo + i);
        }
        tail(UnaryOp.RELU, x, xo, y, yo, i, n);
    }

    /** x/(1 + |x|); ±∞ gives its limit ±1: clamped to ±FLT_MAX the quotient is ±1. */
    private static void softsign(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector c = FloatVector.fromArray(S, x, xo + i).max(-Float.MAX_VALUE).min(Float.MAX_VALUE);
            c.div(c.abs().add(1f)).intoArray(y, yo + i);
        }
        tail(UnaryOp.SOFTSIGN, x, xo, y, yo, i, n);
    }

    /** The JDK's vector log (an SVML-class routine where the JDK has one, per lane elsewhere). */
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

    private static void square(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.mul(v).intoArray(y, yo + i);
        }
        tail(UnaryOp.SQUARE, x, xo, y, yo, i, n);
    }

    private static void sqrt(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).sqrt().intoArray(y, yo + i);
        }
        tail(UnaryOp.SQRT, x, xo, y, yo, i, n);
    }

    private static void reciprocal(float[] x, int xo, float[] y, int yo, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            one.div(FloatVector.fromArray(S, x, xo + i)).intoArray(y, yo + i);
        }
        tail(UnaryOp.RECIPROCAL, x, xo, y, yo, i, n);
    }
}
