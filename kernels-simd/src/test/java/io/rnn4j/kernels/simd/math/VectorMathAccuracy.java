package io.rnn4j.kernels.simd.math;

import io.rnn4j.engine.scalar.ScalarMath;
import io.rnn4j.kernels.simd.platform.SimdConstants;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.DoubleUnaryOperator;

/**
 * Measures {@link VectorMath}'s error against float64 over float inputs, in ulps of the float
 * result. {@link VectorMathTest} uses it on samples; run {@link #main} for the exhaustive sweep the
 * javadoc's bounds come from (every finite float; minutes):
 * {@code java --add-modules jdk.incubator.vector -cp ... io.rnn4j.kernels.simd.math.VectorMathAccuracy [function]},
 * with {@code -Drnn4j.tests=true -Drnn4j.simd.bits=N} for another width.
 */
public final class VectorMathAccuracy {

    /** A function over array ranges, as VectorMath's are. */
    public interface ArrayFunction {
        void apply(float[] x, int xo, float[] y, int yo, int n);
    }

    /** A vector function and its float64 reference. */
    public enum Function {
        EXP(VectorMath::exp, Math::exp),
        EXPM1(VectorMath::expm1, Math::expm1),
        TANH(VectorMath::tanh, Math::tanh),
        SIGMOID(VectorMath::sigmoid, ScalarMath::sigmoid);

        final ArrayFunction vector;
        final DoubleUnaryOperator reference;

        Function(ArrayFunction vector, DoubleUnaryOperator reference) {
            this.vector = vector;
            this.reference = reference;
        }

        /** The function of x, computed at this JVM's width. */
        public float at(float x) {
            float[] in = new float[SimdConstants.LANES];
            java.util.Arrays.fill(in, x);
            float[] out = new float[in.length];
            vector.apply(in, 0, out, 0, in.length);
            return out[0];
        }
    }

    /** The worst input seen and its error, plus how many results were NaN for a finite input. */
    public record Result(double maxUlp, float worstInput, float worstOutput, long nanForFinite, long count) {
        Result merge(Result o) {
            Result worst = o.maxUlp > maxUlp ? o : this;
            return new Result(worst.maxUlp, worst.worstInput, worst.worstOutput, nanForFinite + o.nanForFinite,
                    count + o.count);
        }

        @Override
        public String toString() {
            return String.format("max %.3f ulp at x=%s (%s) got %s, %d NaN for finite input, %d inputs", maxUlp,
                    worstInput, Integer.toHexString(Float.floatToRawIntBits(worstInput)), worstOutput, nanForFinite,
                    count);
        }
    }

    private VectorMathAccuracy() {
    }

    /** The error of {@code f(x)} in ulps of the correctly rounded result; infinite if it should be ±∞ or is. */
    public static double ulpError(float got, double exact) {
        float rounded = (float) exact;
        if (Float.isInfinite(rounded) || Float.isInfinite(got)) {
            return got == rounded ? 0 : Double.POSITIVE_INFINITY;
        }
        if (Double.isNaN(exact) || Float.isNaN(got)) {
            return Double.isNaN(exact) && Float.isNaN(got) ? 0 : Double.POSITIVE_INFINITY;
        }
        return Math.abs(got - exact) / Math.ulp(rounded);
    }

    /** Evaluates f over {@code xs[0, n)} at this JVM's width and compares with float64. */
    public static Result measure(Function f, float[] xs, int n) {
        float[] ys = new float[n];
        f.vector.apply(xs, 0, ys, 0, n);
        return compare(f, xs, ys, n);
    }

    private static Result compare(Function f, float[] xs, float[] ys, int n) {
        double max = -1;
        float worstIn = Float.NaN;
        float worstOut = Float.NaN;
        long nan = 0;
        for (int i = 0; i < n; i++) {
            float x = xs[i];
            if (Float.isFinite(x) && Float.isNaN(ys[i])) {
                nan++;
            }
            double e = ulpError(ys[i], f.reference.applyAsDouble(x));
            if (e > max) {
                max = e;
                worstIn = x;
                worstOut = ys[i];
            }
        }
        return new Result(max, worstIn, worstOut, nan, n);
    }

    /** Every float bit pattern that is finite, for {@code f}, split over the cores. */
    public static Result exhaustive(Function f) throws Exception {
        int threads = Runtime.getRuntime().availableProcessors();
        int blocks = 1 << 12; // 2^20 patterns each
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            java.util.List<Future<Result>> parts = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                parts.add(pool.submit(() -> {
                    float[] xs = new float[1 << 20];
                    float[] ys = new float[1 << 20];
                    Result r = new Result(-1, Float.NaN, Float.NaN, 0, 0);
                    for (int b = first; b < blocks; b += threads) {
                        int n = 0;
                        for (int i = 0; i < xs.length; i++) {
                            float x = Float.intBitsToFloat((b << 20) | i);
                            if (Float.isFinite(x)) {
                                xs[n++] = x;
                            }
                        }
                        f.vector.apply(xs, 0, ys, 0, n);
                        r = r.merge(compare(f, xs, ys, n));
                    }
                    return r;
                }));
            }
            Result total = new Result(-1, Float.NaN, Float.NaN, 0, 0);
            for (Future<Result> p : parts) {
                total = total.merge(p.get());
            }
            return total;
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.println("species " + SimdConstants.SPECIES + ", FMA " + SimdConstants.FAST_FMA);
        for (Function f : Function.values()) {
            if (args.length > 0 && !f.name().equalsIgnoreCase(args[0])) {
                continue;
            }
            long t0 = System.nanoTime();
            Result r = exhaustive(f);
            System.out.printf("%-8s %s (%.0f s)%n", f, r, (System.nanoTime() - t0) / 1e9);
        }
    }
}
