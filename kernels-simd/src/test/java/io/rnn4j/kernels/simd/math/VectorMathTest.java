package io.rnn4j.kernels.simd.math;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.kernels.simd.math.VectorMathAccuracy.Function;
import io.rnn4j.kernels.simd.math.VectorMathAccuracy.Result;
import io.rnn4j.kernels.simd.platform.SimdConstants;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link VectorMath} at this JVM's width (the build runs it at 128, 256 and 512 bits: the
 * {@code widths} tag): on samples of the whole float range, within the ulp bounds its javadoc
 * states (with FMA or without), never NaN for a finite input, and exact at the special values, in
 * every lane and in the scalar tail. The exhaustive sweep behind the bounds is
 * {@link VectorMathAccuracy#main}.
 */
@Tag("widths")
class VectorMathTest {
    private static final long SEED = 0x7a9c_e11bL;


    /** The bound the class javadoc of {@link VectorMath} documents for f, with FMA or without. */
    static double documentedUlps(Function f) {
        boolean fma = SimdConstants.FAST_FMA;
        return switch (f) {
            case EXP -> fma ? 1.10 : 1.05;
            case EXPM1 -> fma ? 1.63 : 1.76;
            case TANH -> 2.50;
            case SIGMOID -> 2.41;
        };
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Function.class)
    void withinTheDocumentedUlpsOnSamplesOfTheWholeRange(Function f) {
        int bits = SimdConstants.SPECIES.vectorBitSize();
        SplittableRandom rnd = new SplittableRandom(SEED + bits);
        float[] xs = samples(rnd);
        Result r = VectorMathAccuracy.measure(f, xs, xs.length);
        assertThat(r.nanForFinite()).as(f + " NaN for a finite input (seed " + SEED + ")").isZero();
        assertThat(r.maxUlp()).as(f + " at " + bits + " bits: " + r + " (seed " + SEED + ")")
                .isLessThanOrEqualTo(documentedUlps(f));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Function.class)
    void exactAtTheSpecialValues(Function f) {
        int bits = SimdConstants.SPECIES.vectorBitSize();
        float[][] cases = switch (f) {
            case EXP -> new float[][] {{0f, 1f}, {-0f, 1f}, {Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY},
                {Float.NEGATIVE_INFINITY, 0f}, {89f, Float.POSITIVE_INFINITY}, {-104f, 0f}, {-1e30f, 0f},
                {1e30f, Float.POSITIVE_INFINITY}, {Float.NaN, Float.NaN}};
            case EXPM1 -> new float[][] {{0f, 0f}, {-0f, -0f}, {Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY},
                {Float.NEGATIVE_INFINITY, -1f}, {-50f, -1f}, {Float.MIN_VALUE, Float.MIN_VALUE}, {Float.NaN, Float.NaN}};
            case TANH -> new float[][] {{0f, 0f}, {-0f, -0f}, {Float.POSITIVE_INFINITY, 1f}, {Float.NEGATIVE_INFINITY, -1f},
                {20f, 1f}, {-20f, -1f}, {Float.MAX_VALUE, 1f}, {Float.MIN_VALUE, Float.MIN_VALUE}, {Float.NaN, Float.NaN}};
            case SIGMOID -> new float[][] {{0f, 0.5f}, {-0f, 0.5f}, {Float.POSITIVE_INFINITY, 1f},
                {Float.NEGATIVE_INFINITY, 0f}, {Float.MAX_VALUE, 1f}, {-Float.MAX_VALUE, 0f}, {20f, 1f},
                {Float.NaN, Float.NaN}};
        };
        for (float[] c : cases) {
            float got = evaluate(f, c[0]);
            // Bit patterns: the sign of a zero counts, and NaN must be NaN.
            assertThat(Float.isNaN(got) ? "NaN" : Float.toString(got)).as(f + "(" + c[0] + ") at " + bits + " bits")
                    .isEqualTo(Float.isNaN(c[1]) ? "NaN" : Float.toString(c[1]));
        }
    }

    /** f at x in every lane of a vector and in the scalar tail: all must agree. */
    private static float evaluate(Function f, float x) {
        float[] in = new float[SimdConstants.LANES + 1];
        java.util.Arrays.fill(in, x);
        float[] out = new float[in.length];
        f.vector.apply(in, 0, out, 0, in.length);
        for (float v : out) {
            // floatToIntBits: NaNs of any payload or sign are one NaN; zeros keep their sign.
            assertThat(Float.floatToIntBits(v)).as(f + "(" + x + ") in every lane and the tail")
                    .isEqualTo(Float.floatToIntBits(out[0]));
        }
        return out[0];
    }

    /**
     * Random finite bit patterns (the whole range, by exponent), values in (−20, 20) where the
     * functions bend, small ones (|x| &lt; 1e-3, down to subnormals), and the edges of exp's range.
     */
    private static float[] samples(SplittableRandom rnd) {
        List<Float> xs = new ArrayList<>();
        while (xs.size() < 6000) {
            float x = Float.intBitsToFloat(rnd.nextInt());
            if (Float.isFinite(x)) {
                xs.add(x);
            }
        }
        for (int i = 0; i < 6000; i++) {
            xs.add((float) rnd.nextDouble(-20, 20));
        }
        for (int i = 0; i < 2000; i++) {
            xs.add((float) (rnd.nextDouble(-1, 1) * Math.pow(10, -3 - rnd.nextInt(40))));
        }
        for (float edge : new float[] {88.72f, 88.7228f, 88.73f, -87.33f, -103.97f, -103.98f, -104f, -0.3466f, 0.3466f,
            24 * 0.6931472f, -25 * 0.6931472f, 9.01f, -9.01f}) {
            for (int k = -20; k <= 20; k++) {
                xs.add(Math.nextUp(edge) + k * Math.ulp(edge));
            }
        }
        float[] out = new float[xs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = xs.get(i);
        }
        return out;
    }
}
