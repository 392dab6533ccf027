package io.rnn4j.kernels.simd.math;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.UnaryOp;
import io.rnn4j.engine.scalar.ScalarMath;
import io.rnn4j.kernels.simd.math.KerasActivationsAccuracy.Result;
import io.rnn4j.kernels.simd.platform.SimdConstants;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The vector loops of the activations Keras 3 added, at this JVM's width (the build runs it at 128,
 * 256 and 512 bits: the {@code widths} tag): on samples of the whole float range and dense near
 * the kinks and where the functions bend, within the ulp bounds their javadoc states (forward:
 * {@link Gelu}, {@link KerasActivations}; derivatives in ulps where |op'| ≥ 2⁻⁴ and absolute
 * below), never NaN for a finite input; and at the special values (±0, ±∞, NaN, ±FLT_MAX, the
 * kinks) equal to ScalarMath in every lane and in the scalar tail. The dense sweeps behind the
 * bounds are {@link KerasActivationsAccuracy#main}.
 */
@Tag("widths")
class KerasActivationsTest {
    private static final long SEED = 0x5e1f_ac7L;
    /** Subnormal results: within this many least subnormals (the contract allows a whole MIN_NORMAL). */
    private static final double SUBNORMAL_UNITS = 2.0;
    /** The derivative's absolute bound where |op'(x)| &lt; 2⁻⁴. */
    private static final double DERIVATIVE_ABS = 1e-7;

    /** The forward bound documented for op (Gelu's and KerasActivations' javadoc), in ulps. */
    static double forwardUlps(UnaryOp op) {
        boolean fma = SimdConstants.FAST_FMA;
        return switch (op) {
            case GELU -> fma ? 3.78 : 4.31;
            case MISH -> 3.93;
            case TANH_SHRINK -> fma ? 3.24 : 3.33;
            case SQUAREPLUS -> 2.75;
            case HARD_SILU -> 2.49;
            case SPARSE_PLUS -> 1.92;
            case LOG_SIGMOID -> 1.53;
            case CELU -> fma ? 1.03 : 1.16;
            case LEAKY_RELU -> 0.60;
            case SOFT_SHRINK, SPARSE_SIGMOID -> 0.5;
            case RELU6, HARD_TANH, HARD_SHRINK -> 0.0;
            default -> throw new IllegalArgumentException(op.toString());
        };
    }

    /** The derivative's documented bound in ulps where |op'(x)| ≥ 2⁻⁴ (cancellation near its zeros included). */
    static double derivativeUlps(UnaryOp op) {
        boolean fma = SimdConstants.FAST_FMA;
        return switch (op) {
            case MISH -> fma ? 13.15 : 14.24;
            case GELU -> fma ? 8.86 : 9.85;
            case TANH_SHRINK -> 5.73;
            case SQUAREPLUS -> 5.22;
            case HARD_SILU -> 2.34;
            case LOG_SIGMOID -> 2.27;
            case CELU -> 0.98;
            default -> 0.0;
        };
    }

    static Stream<Arguments> opsBothWays() {
        List<Arguments> out = new ArrayList<>();
        for (UnaryOp op : KerasActivationsAccuracy.OPS) {
            out.add(Arguments.of(op, false));
            out.add(Arguments.of(op, true));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} derivative={1}")
    @MethodSource("opsBothWays")
    void withinTheDocumentedBoundsOnSamples(UnaryOp op, boolean derivative) {
        int bits = SimdConstants.SPECIES.vectorBitSize();
        float[] xs = samples(new SplittableRandom(SEED + bits));
        Result r = KerasActivationsAccuracy.measure(op, derivative, xs, xs.length);
        String what = op + (derivative ? "'" : "") + " at " + bits + " bits, FMA " + SimdConstants.FAST_FMA + ": " + r
                + " (seed " + SEED + ")";
        assertThat(r.nanForFinite()).as(what).isZero();
        assertThat(r.maxUlp()).as(what).isLessThanOrEqualTo(derivative ? derivativeUlps(op) : forwardUlps(op));
        assertThat(r.maxSubnormalUlp()).as(what).isLessThanOrEqualTo(SUBNORMAL_UNITS);
        assertThat(r.maxAbs()).as(what).isLessThanOrEqualTo(DERIVATIVE_ABS);
    }

    @ParameterizedTest(name = "{0} derivative={1}")
    @MethodSource("opsBothWays")
    void scalarMathsValueAtTheSpecialValuesInEveryLaneAndTheTail(UnaryOp op, boolean derivative) {
        float[] specials = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.MAX_VALUE,
            -Float.MAX_VALUE, Float.MIN_VALUE, -Float.MIN_VALUE, -1f, 1f, -3f, 3f, -0.5f, 0.5f, 6f, -1e30f, 1e30f,
            Math.nextDown(1f), Math.nextUp(-1f), 0.75f, -0.75f, 15f, -15f, -64f, -100f};
        int bits = SimdConstants.SPECIES.vectorBitSize();
        for (float x : specials) {
            float[] in = new float[SimdConstants.LANES + 1];
            Arrays.fill(in, x);
            float[] out = new float[in.length];
            KerasActivationsAccuracy.evaluate(op, derivative, in, out, in.length);
            float want = derivative ? ScalarMath.derivative(op, x) : ScalarMath.apply(op, x);
            for (int i = 0; i < out.length; i++) {
                // == counts −0 and +0 equal (−∞ gives −0 in the lanes, as swish does); NaN must be NaN.
                String what = op + (derivative ? "'" : "") + "(" + x + ") at " + bits + " bits, "
                        + (i < SimdConstants.LANES ? "lane " + i : "the tail");
                if (Float.isNaN(want)) {
                    assertThat(out[i]).as(what).isNaN();
                } else if (want == 0 || Float.isInfinite(want) || !isRounded(op)) {
                    assertThat(out[i] == want).as(what + ": got " + out[i] + ", want " + want).isTrue();
                } else {
                    // The contract's bars: 8 ulp forward; derivatives 4e-6 relative + 2^-20 (dy = 1).
                    double bar = derivative ? 4e-6 * Math.abs(want) + 0x1p-20 : 8 * Math.ulp(want);
                    assertThat((double) Math.abs(out[i] - want)).as(what + ": got " + out[i] + ", want " + want)
                            .isLessThanOrEqualTo(bar);
                }
            }
        }
    }

    /** The ops whose values at the special points are rounded results, not exactly ScalarMath's. */
    private static boolean isRounded(UnaryOp op) {
        return switch (op) {
            case GELU, MISH, CELU, LOG_SIGMOID, TANH_SHRINK, SQUAREPLUS, HARD_SILU, LEAKY_RELU, SPARSE_PLUS -> true;
            default -> false;
        };
    }

    /**
     * Random finite bit patterns (the whole range, by exponent); uniform values in (−20, 20);
     * small ones down to subnormals; and runs of consecutive floats around the kinks, gelu's
     * branch points (±0.75, −13.2 where its result turns subnormal, ±15), mish's rescaling at −64
     * and its subnormal e^x near −88 … −92, tanh_shrink's switch at ±1 and squareplus' at 2^13.
     */
    static float[] samples(SplittableRandom rnd) {
        List<Float> xs = new ArrayList<>();
        while (xs.size() < 8000) {
            float x = Float.intBitsToFloat(rnd.nextInt());
            if (Float.isFinite(x)) {
                xs.add(x);
            }
        }
        for (int i = 0; i < 8000; i++) {
            xs.add((float) rnd.nextDouble(-20, 20));
        }
        for (int i = 0; i < 2000; i++) {
            xs.add((float) (rnd.nextDouble(-1, 1) * Math.pow(10, -3 - rnd.nextInt(42))));
        }
        for (float edge : new float[] {-6f, -3f, -1.5f, -1f, -0.75f, -0.5f, 0f, 0.5f, 0.75f, 1f, 3f, 6f, -13.2f,
            -14f, -15f, 15f, -64f, -88f, -90f, -91.9f, 0x1p13f, -0x1p13f}) {
            for (int k = -40; k <= 40; k++) {
                xs.add(Math.nextUp(edge) + k * Math.ulp(edge == 0 ? Float.MIN_NORMAL : edge));
            }
        }
        float[] out = new float[xs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = xs.get(i);
        }
        return out;
    }
}
