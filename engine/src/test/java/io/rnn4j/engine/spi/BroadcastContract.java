package io.rnn4j.engine.spi;

import static io.rnn4j.engine.testing.Approx.assertExact;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.testing.Approx;
import io.rnn4j.engine.testing.Nd;
import io.rnn4j.engine.testing.Reference;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Elementwise binary ops with NumPy broadcasting, and broadcast itself. One float operation per
 * element rounds exactly like the float64 result rounded once, so these are exact: same shapes, a row
 * vector, a rank-1 vector, a column vector, a scalar-like (1, 1) and a rank-0 operand, both operands
 * broadcast at once, 3-D patterns; division by zero, NaN propagation (max and min too), in place.
 */
// Tests are compiled into the engine module: JUnit and the test-only packages are not exported from it.
@SuppressWarnings("exports")
public interface BroadcastContract extends BackendContract {

    /** Pairs of operand shapes for rows of width n over 3 (or 2×3) outer rows. */
    private static int[][][] broadcastPairs(int n) {
        return new int[][][] {
            {{3, n}, {3, n}}, // same shape
            {{3, n}, {1, n}}, // row vector
            {{1, n}, {3, n}}, // row vector on the left
            {{3, n}, {n}}, // rank-1 vector, padded to (1, n)
            {{3, n}, {3, 1}}, // column vector
            {{3, n}, {1, 1}}, // scalar-like
            {{3, n}, {}}, // rank 0
            {{3, 1}, {1, n}}, // both sides broadcast: an outer product pattern
            {{2, 1, n}, {1, 3, 1}}, // 3-D, both sides
            {{2, 3, n}, {n}}, // 3-D with a bias vector
            {{2, 3, n}, {2, 1, n}}, // 3-D over the middle axis
        };
    }

    @ParameterizedTest(name = "row width {0}")
    @MethodSource("io.rnn4j.engine.testing.Sizes#awkwardAndLarge")
    default void binaryBroadcastsExactly(int n) {
        for (int[][] pair : broadcastPairs(n)) {
            float[] a = random().normal(Nd.size(pair[0]), 2);
            float[] b = random().normal(Nd.size(pair[1]), 2);
            b[0] = 0f; // division by zero somewhere
            int[] outShape = Device.broadcastShape("test", Shape.of(pair[0]), Shape.of(pair[1])).dims();
            for (BinaryOp op : BinaryOp.values()) {
                Tensor out = filled(Float.NaN, outShape);
                device().binary(op, tensor(a, pair[0]), tensor(b, pair[1]), out);
                assertExact(op + " of " + Approx.shape(pair[0]) + " and " + Approx.shape(pair[1]) + ", " + random(),
                        out.toArray(), Reference.binary(op, a, pair[0], b, pair[1], outShape));
            }
        }
    }

    @Test
    default void binaryBroadcastsOnRandomShapes() {
        for (int draw = 0; draw < 40; draw++) {
            int[] out = random().shape(1 + random().nextInt(4), 1, 2, 3, 5, 7, 8, 9, 17);
            int[] a = operandOf(out);
            int[] b = operandOf(out);
            int[] joint = Device.broadcastShape("test", Shape.of(a), Shape.of(b)).dims();
            float[] av = random().normal(Nd.size(a), 2);
            float[] bv = random().normal(Nd.size(b), 2);
            BinaryOp op = BinaryOp.values()[random().nextInt(BinaryOp.values().length)];
            Tensor o = filled(Float.NaN, joint);
            device().binary(op, tensor(av, a), tensor(bv, b), o);
            assertExact(op + " of random shapes " + Approx.shape(a) + " and " + Approx.shape(b) + " (draw " + draw
                    + "), " + random(), o.toArray(), Reference.binary(op, av, a, bv, b, joint));
        }
    }

    /** A random operand for {@code out}: some leading axes dropped, some of the rest set to 1. */
    private int[] operandOf(int[] out) {
        int[] s = Arrays.copyOfRange(out, random().nextInt(out.length + 1), out.length);
        for (int d = 0; d < s.length; d++) {
            if (random().nextInt(3) == 0) {
                s[d] = 1;
            }
        }
        return s;
    }

    @ParameterizedTest(name = "size {0}")
    @MethodSource("io.rnn4j.engine.testing.Sizes#awkward")
    default void binaryPropagatesNaNAndInfinity(int n) {
        float[] a = random().normal(n, 1);
        float[] b = random().normal(n, 1);
        a[0] = Float.NaN;
        b[n - 1] = Float.NaN;
        if (n > 2) {
            a[1] = Float.POSITIVE_INFINITY;
            b[1] = Float.POSITIVE_INFINITY; // inf - inf and inf / inf are NaN
        }
        for (BinaryOp op : BinaryOp.values()) {
            Tensor out = device().zeros(n);
            device().binary(op, tensor(a, n), tensor(b, n), out);
            assertExact(op + " with NaN and Inf operands (max and min propagate NaN, like Math.max), " + random(),
                    out.toArray(), Reference.binary(op, a, new int[] {n}, b, new int[] {n}, new int[] {n}));
        }
    }

    @ParameterizedTest(name = "row width {0}")
    @MethodSource("io.rnn4j.engine.testing.Sizes#awkward")
    default void binaryMayWriteIntoAnOperandOfTheOutputsShape(int n) {
        float[] a = random().normal(3 * n, 1);
        float[] b = random().normal(n, 1);
        double[] want = Reference.binary(BinaryOp.MUL, a, new int[] {3, n}, b, new int[] {n}, new int[] {3, n});
        Tensor at = tensor(a, 3, n);
        device().binary(BinaryOp.MUL, at, tensor(b, n), at);
        assertExact("mul into a (out = a, b broadcast), " + random(), at.toArray(), want);
        want = Reference.binary(BinaryOp.SUB, b, new int[] {n}, a, new int[] {3, n}, new int[] {3, n});
        Tensor bt = tensor(a, 3, n);
        device().binary(BinaryOp.SUB, tensor(b, n), bt, bt);
        assertExact("sub into b (out = b, a broadcast), " + random(), bt.toArray(), want);
    }

    @ParameterizedTest(name = "row width {0}")
    @MethodSource("io.rnn4j.engine.testing.Sizes#awkward")
    default void binaryOnViewsWithOffsets(int n) {
        float[] a = random().normal(4 * n, 1);
        float[] b = random().normal(4 * n, 1);
        Tensor out = filled(Float.NaN, 4, n);
        device().binary(BinaryOp.ADD, tensor(a, 4, n).narrow(1, 2), tensor(b, 4, n).narrow(2, 1),
                out.narrow(2, 2));
        float[] got = out.toArray();
        double[] want = Reference.binary(BinaryOp.ADD, Arrays.copyOfRange(a, n, 3 * n), new int[] {2, n},
                Arrays.copyOfRange(b, 2 * n, 3 * n), new int[] {1, n}, new int[] {2, n});
        assertExact("add on views, " + random(), Arrays.copyOfRange(got, 2 * n, 4 * n), want);
        for (int i = 0; i < 2 * n; i++) {
            if (!Float.isNaN(got[i])) {
                throw new AssertionError("rows 0..1 of out lie outside the view and must keep NaN; element " + i
                        + " is " + got[i]);
            }
        }
    }

    @ParameterizedTest(name = "row width {0}")
    @MethodSource("io.rnn4j.engine.testing.Sizes#awkwardAndLarge")
    default void broadcastRepeatsAlongUnitAxes(int n) {
        int[][][] cases = {
            {{1, n}, {3, n}}, {{n}, {3, n}}, {{3, 1}, {3, n}}, {{1, 1}, {3, n}}, {{}, {3, n}},
            {{2, 1, n}, {2, 3, n}}, {{1, 3, 1}, {2, 3, n}}, {{3, n}, {3, n}},
        };
        for (int[][] c : cases) {
            float[] x = random().normal(Nd.size(c[0]), 1);
            Tensor out = filled(Float.NaN, c[1]);
            device().broadcast(tensor(x, c[0]), out);
            assertExact("broadcast " + Approx.shape(c[0]) + " to " + Approx.shape(c[1]) + ", " + random(),
                    out.toArray(), Reference.broadcast(x, c[0], c[1]));
        }
    }
}
