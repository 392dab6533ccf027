package io.rnn4j.engine.spi;

import static io.rnn4j.engine.testing.Approx.assertClose;
import static io.rnn4j.engine.testing.Approx.assertExact;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.engine.testing.Approx;
import io.rnn4j.engine.testing.FiniteDifferences;
import io.rnn4j.engine.testing.ReferenceActivations;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Unary ops (Keras's activations and plain math), their backward, and affine, against the float64
 * definitions of {@link ReferenceActivations}: over a value range from ±{@code Float.MAX_VALUE}
 * through the kinks to ±0 and subnormals, at ±∞ and NaN, on every awkward size, in place, and on
 * views. Forward results must be within {@value #UNARY_ULPS} float ulps (plus the smallest normal
 * float, so subnormal results may flush; plus 2⁻²³ for the hard sigmoids, whose float formula adds
 * 0.5 and so rounds at that scale, as TensorFlow's does); backward results within 4e-6 relative plus
 * 2⁻²⁰·|dy|, and ±∞ where op'(x) itself overflows float.
 */
// Tests are compiled into the engine module: JUnit and the test-only packages are not exported from it.
@SuppressWarnings("exports")
public interface PointwiseContract extends BackendContract {

    int UNARY_ULPS = 8;
    String UNARY_BAR = "|err| <= 8 ulp(want) + Float.MIN_NORMAL (+ 2^-23 for the hard sigmoids)";
    String BACKWARD_BAR = "|err| <= 4e-6·|want| + 2^-20·|dy| + Float.MIN_NORMAL";

    /** Values every unary op is tried at: the extremes, the kinks and their neighbours, tiny and zero. */
    static float[] valueRange() {
        return new float[] {-Float.MAX_VALUE, -1e30f, -1e4f, -1000f, -100f, -88.5f, -30f, -20f, -10f, -5f,
            Math.nextDown(-3f), -3f, Math.nextUp(-3f), Math.nextDown(-2.5f), -2.5f, Math.nextUp(-2.5f), -1f, -0.5f,
            -1e-3f, -1e-7f, -1e-30f, -Float.MIN_NORMAL, -Float.MIN_VALUE, -0f, 0f, Float.MIN_VALUE, Float.MIN_NORMAL,
            1e-30f, 1e-7f, 1e-3f, 0.5f, 1f, Math.nextDown(2.5f), 2.5f, Math.nextUp(2.5f), Math.nextDown(3f), 3f,
            Math.nextUp(3f), 5f, 10f, 20f, 30f, 88.5f, 100f, 1000f, 1e4f, 1e30f, Float.MAX_VALUE};
    }

    /** The value range, then normal values (σ = 4) up to 1031 elements, so vector bodies and tails both see it all. */
    private float[] rangeAndRandom() {
        float[] range = valueRange();
        float[] x = Arrays.copyOf(range, 1031);
        for (int i = range.length; i < x.length; i++) {
            x[i] = (float) (4 * random().gaussian());
        }
        return x;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(UnaryOp.class)
    default void unaryMatchesFloat64OverTheValueRange(UnaryOp op) {
        float[] x = rangeAndRandom();
        Tensor out = filled(Float.NaN, x.length);
        device().unary(op, tensor(x, x.length), out);
        float[] got = out.toArray();
        double[] want = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            want[i] = ReferenceActivations.value(op, x[i]);
            if (ReferenceActivations.isActivation(op)) {
                assertFalse(Float.isNaN(got[i]), op + " must never give NaN for a finite input; got NaN at x = "
                        + x[i]);
            }
        }
        assertClose(op + " over the value range, " + random(), got, want, unaryTolerance(op, want), UNARY_BAR);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(UnaryOp.class)
    default void unaryAtInfinityAndNaN(UnaryOp op) {
        float[] x = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        Tensor out = device().zeros(3);
        device().unary(op, tensor(x, 3), out);
        float[] got = out.toArray();
        for (int i = 0; i < 3; i++) {
            float want = (float) ReferenceActivations.value(op, x[i]);
            assertTrue(got[i] == want || Float.isNaN(got[i]) && Float.isNaN(want), op + "(" + x[i] + ") must be "
                    + want + (Float.isNaN(x[i]) ? " (NaN propagates)" : " (the limit)") + ", got " + got[i]);
        }
    }

    @ParameterizedTest(name = "size {0}")
    @MethodSource("io.rnn4j.engine.testing.Sizes#awkwardAndLarge")
    default void unaryOnEveryAwkwardSize(int n) {
        float[] x = random().normal(n, 3);
        Tensor xt = tensor(x, n);
        for (UnaryOp op : UnaryOp.values()) {
            Tensor out = filled(Float.NaN, n);
            device().unary(op, xt, out);
            double[] want = new double[n];
            for (int i = 0; i < n; i++) {
                want[i] = ReferenceActivations.value(op, x[i]);
            }
            assertClose(op + " on " + n + " elements, " + random(), out.toArray(), want, unaryTolerance(op, want),
                    UNARY_BAR);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(UnaryOp.class)
    default void unaryInPlaceAndOnViews(UnaryOp op) {
        int n = 33;
        float[] x = random().normal(3 * n, 2);
        Tensor whole = tensor(x, 3, n);
        Tensor middle = whole.narrow(1, 1);
        device().unary(op, middle, middle);
        float[] got = whole.toArray();
        double[] want = new double[n];
        for (int i = 0; i < n; i++) {
            want[i] = ReferenceActivations.value(op, x[n + i]);
        }
        assertClose(op + " in place on row 1 of (3, " + n + "), " + random(), Arrays.copyOfRange(got, n, 2 * n),
                want, unaryTolerance(op, want), UNARY_BAR);
        assertExact("rows 0 and 2 untouched", concat(Arrays.copyOfRange(got, 0, n), Arrays.copyOfRange(got, 2 * n,
                3 * n)), concat(Arrays.copyOfRange(x, 0, n), Arrays.copyOfRange(x, 2 * n, 3 * n)));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(UnaryOp.class)
    default void unaryBackwardMatchesFiniteDifferences(UnaryOp op) {
        int n = 257;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = awayFromKinks(op);
        }
        float[] dy = random().normal(n, 1);
        Tensor dx = filled(Float.NaN, n);
        device().unaryBackward(op, tensor(x, n), tensor(dy, n), dx);
        double[] want = new double[n];
        double[] tol = new double[n];
        for (int i = 0; i < n; i++) {
            double fd = FiniteDifferences.derivative(v -> ReferenceActivations.value(op, v), x[i]);
            want[i] = dy[i] * fd;
            tol[i] = backwardTolerance(want[i], dy[i]);
        }
        assertClose(op + " backward vs float64 central finite differences, " + random(), dx.toArray(), want, tol,
                BACKWARD_BAR);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(UnaryOp.class)
    default void unaryBackwardOverTheValueRangeAndAtInfinity(UnaryOp op) {
        float[] range = rangeAndRandom();
        float[] x = Arrays.copyOf(range, range.length + 2);
        x[range.length] = Float.POSITIVE_INFINITY;
        x[range.length + 1] = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < x.length; i++) {
            if (!ReferenceActivations.inDomain(op, x[i])) {
                x[i] = Math.abs(x[i]) > 0 ? Math.abs(x[i]) : 1f; // log, sqrt, 1/x: judged where they are defined
            }
        }
        float[] dy = random().normal(x.length, 1);
        Tensor dx = filled(Float.NaN, x.length);
        device().unaryBackward(op, tensor(x, x.length), tensor(dy, x.length), dx);
        float[] got = dx.toArray();
        double[] want = new double[x.length];
        double[] tol = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double d = ReferenceActivations.derivative(op, x[i]);
            // Where op'(x) overflows float (exp'(100), (1/x)'(1e-30)), dx is ±∞ whatever the size of dy.
            want[i] = Float.isInfinite((float) d) && dy[i] != 0 ? d * dy[i] * Double.POSITIVE_INFINITY : dy[i] * d;
            tol[i] = backwardTolerance(want[i], dy[i]);
            if (ReferenceActivations.isActivation(op)) {
                assertFalse(Float.isNaN(got[i]), op + " backward must never give NaN for x = " + x[i] + ", dy = "
                        + dy[i]);
            }
        }
        assertClose(op + " backward vs its float64 derivative, kinks and ±Inf included, " + random(), got, want,
                tol, BACKWARD_BAR);
    }

    @ParameterizedTest(name = "{0}({1}) = {2}, derivative {3}")
    @CsvSource({
        "RELU, 0, 0, 0", "RELU, -0.0, 0, 0", "ABS, 0, 0, 0",
        "ELU, 0, 0, 1", "SELU, 0, 0, 1.0507009873554805",
        "HARD_SIGMOID, -3, 0, 0", "HARD_SIGMOID, 3, 1, 0", "HARD_SIGMOID, 0, 0.5, 0.16666667",
        "HARD_SIGMOID_KERAS2, -2.5, 0, 0.2", "HARD_SIGMOID_KERAS2, 2.5, 1, 0.2",
        "HARD_SIGMOID_KERAS2, 2.5000002, 1, 0", "HARD_SIGMOID_KERAS2, -2.5000002, 0, 0",
        "RELU6, 0, 0, 0", "RELU6, 6, 6, 0", "LEAKY_RELU, 0, 0, 0.2", "CELU, 0, 0, 2", "HARD_TANH, -1, -1, 1",
        "HARD_TANH, 1, 1, 1", "HARD_SILU, -3, 0, 0", "HARD_SILU, 3, 3, 1", "SOFT_SHRINK, 0.5, 0, 0",
        "HARD_SHRINK, -0.5, 0, 0", "SPARSE_PLUS, -1, 0, 0", "SPARSE_PLUS, 1, 1, 1", "SPARSE_SIGMOID, -1, 0, 0",
        "SPARSE_SIGMOID, 1, 1, 0"})
    default void kinksFollowTensorFlowsGradients(UnaryOp op, float x, float value, float derivative) {
        Tensor xt = tensor(new float[] {x}, 1);
        Tensor out = device().zeros(1);
        device().unary(op, xt, out);
        assertEquals(value, out.item(), 1e-7f, op + "(" + x + ")");
        device().unaryBackward(op, xt, tensor(new float[] {1f}, 1), out);
        assertEquals(derivative, out.item(), 1e-7f, op + "'(" + x + ") must be " + derivative
                + ", the gradient TensorFlow gives at this kink");
    }

    @ParameterizedTest(name = "size {0}")
    @MethodSource("io.rnn4j.engine.testing.Sizes#awkward")
    default void unaryBackwardMayWriteIntoDy(int n) {
        float[] x = random().normal(n, 2);
        float[] dy = random().normal(n, 1);
        Tensor dyt = tensor(dy, n);
        device().unaryBackward(UnaryOp.TANH, tensor(x, n), dyt, dyt);
        double[] want = new double[n];
        double[] tol = new double[n];
        for (int i = 0; i < n; i++) {
            want[i] = dy[i] * ReferenceActivations.derivative(UnaryOp.TANH, x[i]);
            tol[i] = backwardTolerance(want[i], dy[i]);
        }
        assertClose("tanh backward with dx = dy, " + random(), dyt.toArray(), want, tol, BACKWARD_BAR);
    }

    @ParameterizedTest(name = "size {0}")
    @MethodSource("io.rnn4j.engine.testing.Sizes#awkwardAndLarge")
    default void affineMatchesFloat64(int n) {
        float[][] coefficients = {{1, 0}, {2.5f, -1}, {-0.5f, 3}, {0, 7}, {1e-3f, 1e3f}};
        float[] x = random().normal(n, 10);
        for (float[] ab : coefficients) {
            Tensor out = filled(Float.NaN, n);
            device().affine(tensor(x, n), ab[0], ab[1], out);
            Tensor inPlace = tensor(x, n);
            device().affine(inPlace, ab[0], ab[1], inPlace);
            double[] want = new double[n];
            double[] magnitude = new double[n];
            for (int i = 0; i < n; i++) {
                want[i] = (double) ab[0] * x[i] + ab[1];
                magnitude[i] = Math.abs((double) ab[0] * x[i]) + Math.abs(ab[1]);
            }
            String what = "affine alpha=" + ab[0] + " beta=" + ab[1] + " on " + n + " elements, " + random();
            String bar = "|err| <= 2·2^-23·(|alpha·x| + |beta|)";
            assertClose(what, out.toArray(), want, Approx.scaled(magnitude, 2 * Approx.EPS), bar);
            assertClose(what + ", in place", inPlace.toArray(), want, Approx.scaled(magnitude, 2 * Approx.EPS), bar);
        }
    }

    /** A random point in op's domain at least 0.05 from its kinks (so the 2h of the differences stays clear). */
    private float awayFromKinks(UnaryOp op) {
        while (true) {
            float x = (float) (3 * random().gaussian());
            if (op == UnaryOp.LOG || op == UnaryOp.SQRT) {
                x = Math.abs(x) + 0.1f;
            }
            boolean clear = ReferenceActivations.inDomain(op, x);
            for (double k : ReferenceActivations.kinks(op)) {
                clear &= Math.abs(x - k) > 0.05;
            }
            if (clear) {
                return x;
            }
        }
    }

    private static double[] unaryTolerance(UnaryOp op, double[] want) {
        double[] tol = Approx.ulps(want, UNARY_ULPS);
        if (op == UnaryOp.HARD_SIGMOID || op == UnaryOp.HARD_SIGMOID_KERAS2) {
            for (int i = 0; i < tol.length; i++) {
                tol[i] += Approx.EPS;
            }
        }
        return tol;
    }

    private static double backwardTolerance(double want, double dy) {
        return 4e-6 * Math.abs(want) + 0x1p-20 * Math.abs(dy) + Float.MIN_NORMAL;
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
