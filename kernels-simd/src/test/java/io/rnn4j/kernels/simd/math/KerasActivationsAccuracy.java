package io.rnn4j.kernels.simd.math;

import io.rnn4j.engine.UnaryOp;
import io.rnn4j.engine.scalar.ScalarMath;
import io.rnn4j.kernels.simd.platform.SimdConstants;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Measures the vector loops of the activations Keras 3 added ({@link Activations#apply} and
 * {@link ActivationGrads#fromInput} with dy = 1) against ScalarMath's definitions evaluated in
 * float64 (not rounded to float), in ulps of the float result. {@link KerasActivationsTest} uses it
 * on samples; {@link #main} runs the sweeps behind the bounds in {@link Gelu}'s and
 * {@link KerasActivations}' javadoc (stride 1, every finite float: 15 to 60 s per op and direction
 * on two cores):
 * {@code java --add-modules jdk.incubator.vector -cp ... io.rnn4j.kernels.simd.math.KerasActivationsAccuracy
 * [op|all] [stride] [lo hi]}: every {@code stride}-th float bit pattern (default 1000), and every
 * float in [lo, hi] if given; add {@code -XX:-UseFMA} for the multiply-add figures.
 *
 * <p>Derivatives cross zero (gelu at −0.75, mish at −1.19, hard_silu at −1.5), where any float
 * result is many ulps from a tiny exact value; they are measured in ulps where |op'(x)| ≥ 2⁻⁴ and
 * as an absolute error elsewhere, which is what the contract's backward bar weighs them by.
 */
public final class KerasActivationsAccuracy {
    /** Below this |op'(x)| a derivative's error is taken as absolute. */
    public static final double DERIVATIVE_FLOOR = 0x1p-4;

    /** The ops measured: the Keras 3 activations. */
    public static final List<UnaryOp> OPS = List.of(UnaryOp.RELU6, UnaryOp.LEAKY_RELU, UnaryOp.GELU, UnaryOp.MISH,
            UnaryOp.HARD_SILU, UnaryOp.CELU, UnaryOp.HARD_TANH, UnaryOp.LOG_SIGMOID, UnaryOp.TANH_SHRINK,
            UnaryOp.SOFT_SHRINK, UnaryOp.HARD_SHRINK, UnaryOp.SQUAREPLUS, UnaryOp.SPARSE_PLUS,
            UnaryOp.SPARSE_SIGMOID);

    /**
     * The largest ulp error (normal results), the largest error in units of the least subnormal
     * where the exact result is below the least normal float, the largest absolute error where a
     * derivative is below {@link #DERIVATIVE_FLOOR}, the inputs where each was seen, and how many
     * finite inputs gave NaN.
     */
    public record Result(double maxUlp, float worstInput, double maxSubnormalUlp, float worstSubnormalInput,
            double maxAbs, float worstAbsInput, long nanForFinite, long count) {
        static final Result EMPTY = new Result(0, Float.NaN, 0, Float.NaN, 0, Float.NaN, 0, 0);

        Result merge(Result o) {
            boolean u = o.maxUlp > maxUlp;
            boolean s = o.maxSubnormalUlp > maxSubnormalUlp;
            boolean a = o.maxAbs > maxAbs;
            return new Result(u ? o.maxUlp : maxUlp, u ? o.worstInput : worstInput,
                    s ? o.maxSubnormalUlp : maxSubnormalUlp, s ? o.worstSubnormalInput : worstSubnormalInput,
                    a ? o.maxAbs : maxAbs, a ? o.worstAbsInput : worstAbsInput, nanForFinite + o.nanForFinite,
                    count + o.count);
        }

        @Override
        public String toString() {
            return String.format("max %.3f ulp at x=%s; subnormal results %.1f x MIN_VALUE at x=%s; "
                    + "abs %.3g at x=%s; %d NaN for finite input; %d inputs", maxUlp, worstInput,
                    maxSubnormalUlp, worstSubnormalInput, maxAbs, worstAbsInput, nanForFinite, count);
        }
    }

    private KerasActivationsAccuracy() {
    }

    /** op(x) as ScalarMath defines it, in float64. */
    public static double value(UnaryOp op, double v) {
        return switch (op) {
            case RELU6 -> Math.min(Math.max(v, 0.0), 6.0);
            case LEAKY_RELU -> v > 0 ? v : UnaryOp.LEAKY_RELU_SLOPE * v;
            case GELU -> v == Double.NEGATIVE_INFINITY ? 0.0 : v * ScalarMath.normalCdf(v);
            case MISH -> v == Double.NEGATIVE_INFINITY ? 0.0 : v * Math.tanh(ScalarMath.softplus(v));
            case HARD_SILU -> v == Double.NEGATIVE_INFINITY ? 0.0 : v * (Math.min(Math.max(v + 3.0, 0.0), 6.0) / 6.0);
            case CELU -> v > 0 ? v : Math.expm1(v);
            case HARD_TANH -> Math.min(Math.max(v, -1.0), 1.0);
            case LOG_SIGMOID -> -ScalarMath.softplus(-v);
            case TANH_SHRINK -> {
                if (Math.abs(v) >= 0.1 || Double.isNaN(v)) {
                    yield v - Math.tanh(v);
                }
                double v2 = v * v;
                yield v * v2 * (1.0 / 3 + v2 * (-2.0 / 15 + v2 * (17.0 / 315 + v2 * (-62.0 / 2835
                        + v2 * (1382.0 / 155925 + v2 * (-21844.0 / 6081075))))));
            }
            case SOFT_SHRINK -> v > 0.5 ? v - 0.5 : v < -0.5 ? v + 0.5 : Double.isNaN(v) ? v : 0.0;
            case HARD_SHRINK -> Math.abs(v) > 0.5 || Double.isNaN(v) ? v : 0.0;
            case SQUAREPLUS -> {
                if (Double.isInfinite(v)) {
                    yield v > 0 ? v : 0.0;
                }
                double r = Math.sqrt(v * v + 4);
                yield v >= 0 ? (v + r) / 2 : 4 / (2 * (r - v));
            }
            case SPARSE_PLUS -> v <= -1 ? 0.0 : v < 1 ? (v + 1) * (v + 1) / 4 : v;
            case SPARSE_SIGMOID -> v <= -1 ? 0.0 : v >= 1 ? 1.0 : (v + 1) / 2;
            default -> throw new IllegalArgumentException("not measured here: " + op);
        };
    }

    /** op'(x) as ScalarMath defines it, in float64 (kinks as there). */
    public static double derivative(UnaryOp op, double v) {
        if (Double.isInfinite(v)) {
            return ScalarMath.derivative(op, (float) v);
        }
        return switch (op) {
            case GELU -> ScalarMath.normalCdf(v) + v * Math.exp(-0.5 * v * v) * 0.3989422804014326779399460599343819;
            case MISH -> {
                double t = Math.tanh(ScalarMath.softplus(v));
                yield t + v * (1.0 - t * t) * ScalarMath.sigmoid(v);
            }
            case HARD_SILU -> Math.min(Math.max(v + 3.0, 0.0), 6.0) / 6.0 + (v > -3.0 && v < 3.0 ? v / 6.0 : 0.0);
            case CELU -> v > 0 ? 1.0 : v == 0 ? 2.0 : Math.exp(v);
            case LOG_SIGMOID -> ScalarMath.sigmoid(-v);
            case TANH_SHRINK -> Math.tanh(v) * Math.tanh(v);
            case SQUAREPLUS -> {
                double r = Math.sqrt(v * v + 4);
                yield v >= 0 ? (1.0 + v / r) / 2 : 4 / (2 * r * (r - v));
            }
            // The rest are exact constants or (x + 1)/2, which ScalarMath rounds once from float64 too.
            default -> ScalarMath.derivative(op, (float) v);
        };
    }

    /** The vector loop's op(x) (derivative false) or op'(x) (true) over xs[0, n), into out. */
    public static void evaluate(UnaryOp op, boolean derivative, float[] xs, float[] out, int n) {
        float[] scratch = Activations.scratch();
        if (derivative) {
            java.util.Arrays.fill(out, 0, n, 1f);
            ActivationGrads.fromInput(op, xs, 0, out, 0, out, 0, n, scratch);
        } else {
            Activations.apply(op, xs, 0, out, 0, n, scratch);
        }
    }

    /** Evaluates op or op' over xs[0, n) at this JVM's width and compares with float64. */
    public static Result measure(UnaryOp op, boolean derivative, float[] xs, int n) {
        float[] ys = new float[n];
        evaluate(op, derivative, xs, ys, n);
        return compare(op, derivative, xs, ys, n);
    }

    private static Result compare(UnaryOp op, boolean derivative, float[] xs, float[] ys, int n) {
        double maxUlp = 0;
        double maxSub = 0;
        double maxAbs = 0;
        float wu = Float.NaN;
        float ws = Float.NaN;
        float wa = Float.NaN;
        long nan = 0;
        for (int i = 0; i < n; i++) {
            float x = xs[i];
            float got = ys[i];
            double exact = derivative ? derivative(op, x) : value(op, x);
            if (Float.isNaN(got)) {
                if (Float.isFinite(x)) {
                    nan++;
                }
                if (!Double.isNaN(exact)) {
                    maxUlp = Double.POSITIVE_INFINITY;
                    wu = x;
                }
                continue;
            }
            float rounded = (float) exact;
            if (Float.isInfinite(rounded) || Float.isInfinite(got)) {
                if (got != rounded) {
                    maxUlp = Double.POSITIVE_INFINITY;
                    wu = x;
                }
                continue;
            }
            double err = Math.abs(got - exact);
            if (derivative && Math.abs(exact) < DERIVATIVE_FLOOR) {
                if (err > maxAbs) {
                    maxAbs = err;
                    wa = x;
                }
            } else if (Math.abs(exact) < Float.MIN_NORMAL) {
                if (err / Float.MIN_VALUE > maxSub) {
                    maxSub = err / Float.MIN_VALUE;
                    ws = x;
                }
            } else if (err / Math.ulp(rounded) > maxUlp) {
                maxUlp = err / Math.ulp(rounded);
                wu = x;
            }
        }
        return new Result(maxUlp, wu, maxSub, ws, maxAbs, wa, nan, n);
    }

    /** Every {@code stride}-th finite float bit pattern, and every float in [lo, hi] if lo &lt; hi. */
    public static Result sweep(UnaryOp op, boolean derivative, int stride, float lo, float hi) throws Exception {
        int threads = Runtime.getRuntime().availableProcessors();
        List<long[]> ranges = new ArrayList<>();
        ranges.add(new long[] {0, 1L << 32, stride});
        if (lo < hi) {
            // Bit patterns of [lo, hi] as two monotone runs: negative floats and non-negative ones.
            if (lo < 0) { // negative floats: bit patterns grow with |x|, from −0 (or hi) to lo
                long from = Float.floatToRawIntBits(hi < 0 ? hi : -0f) & 0xFFFF_FFFFL;
                ranges.add(new long[] {from, (Float.floatToRawIntBits(lo) & 0xFFFF_FFFFL) + 1, 1});
            }
            if (hi >= 0) {
                long from = Float.floatToRawIntBits(Math.max(lo, 0f));
                ranges.add(new long[] {from, Float.floatToRawIntBits(hi) + 1L, 1});
            }
        }
        int block = 1 << 20;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<Result>> parts = new ArrayList<>();
            for (long[] range : ranges) {
                long count = (range[1] - range[0] + range[2] - 1) / range[2];
                for (long start = 0; start < count; start += block) {
                    long first = start;
                    parts.add(pool.submit(() -> {
                        float[] xs = new float[block];
                        int m = 0;
                        for (long k = first; k < Math.min(count, first + block); k++) {
                            float x = Float.intBitsToFloat((int) (range[0] + k * range[2]));
                            if (Float.isFinite(x)) {
                                xs[m++] = x;
                            }
                        }
                        return measure(op, derivative, xs, m);
                    }));
                }
            }
            Result total = Result.EMPTY;
            for (Future<Result> p : parts) {
                total = total.merge(p.get());
            }
            return total;
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.println("species " + SimdConstants.SPECIES + ", FMA " + SimdConstants.FAST_FMA);
        int stride = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        float lo = args.length > 3 ? Float.parseFloat(args[2]) : 0;
        float hi = args.length > 3 ? Float.parseFloat(args[3]) : 0;
        for (UnaryOp op : OPS) {
            if (args.length > 0 && !args[0].equals("all") && !op.name().equalsIgnoreCase(args[0])) {
                continue;
            }
            for (boolean d : new boolean[] {false, true}) {
                long t0 = System.nanoTime();
                Result r = sweep(op, d, stride, lo, hi);
                System.out.printf("%-14s %-10s %s (%.0f s)%n", op, d ? "derivative" : "forward", r,
                        (System.nanoTime() - t0) / 1e9);
            }
        }
    }
}
