package io.rnn4j.engine.spi;

import static io.rnn4j.engine.testing.Approx.assertClose;
import static io.rnn4j.engine.testing.Approx.assertExact;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnn4j.engine.ReduceOp;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.testing.Approx;
import io.rnn4j.engine.testing.FiniteDifferences;
import io.rnn4j.engine.testing.Nd;
import io.rnn4j.engine.testing.Reference;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reductions (sum, mean, max) and softmax/log-softmax along every axis, and softmax's backward
 * against float64 central finite differences. Sums may add in any order: the bar for a length-L
 * reduction is (L + 2)·2⁻²³·Σ|x|; max is exact. Softmax must stay finite and exact to
 * (L + 8 + |log p|)·2⁻²² relative for logits of any size.
 */
// Tests are compiled into the engine module: JUnit and the test-only packages are not exported from it.
@SuppressWarnings("exports")
public interface ReductionContract extends BackendContract {

    String SUM_BAR = "|err| <= (L+2)·2^-23·Σ|x| over the L reduced elements (mean: divided by L); max exact";
    String SOFTMAX_BAR = "|err| <= (L+8+|log p|)·2^-22·p for softmax, (L+8+|log p|)·2^-22 for log-softmax";
    String SOFTMAX_BACKWARD_BAR = "|err| <= (L+8+|log p_i|)·2^-20·(|dy_i| + p_i·Σ|dy|) + 1e-10";

    private static int[][] shapesWith(int n) {
        return new int[][] {{n}, {3, n}, {n, 5}, {2, n, 3}, {3, 2, n}};
    }

    @ParameterizedTest(name = "length {0}")
    @MethodSource("io.rnn4j.engine.testing.Sizes#awkwardAndLarge")
    default void reduceAlongEveryAxis(int n) {
        for (int[] shape : shapesWith(n)) {
            float[] x = random().normal(Nd.size(shape), 2);
            Tensor xt = tensor(x, shape);
            for (int axis = 0; axis < shape.length; axis++) {
                for (ReduceOp op : ReduceOp.values()) {
                    // Alternate the two accepted output shapes: the axis removed, or kept as 1.
                    int[] outShape = (axis + op.ordinal()) % 2 == 0 ? Nd.without(shape, axis) : Nd.with(shape, axis, 1);
                    Tensor out = filled(Float.NaN, outShape);
                    device().reduce(op, xt, axis, out);
                    checkReduction(op, x, shape, axis, out.toArray());
                }
            }
        }
    }

    @Test
    default void reduceAndSoftmaxOnRandomShapes() {
        for (int draw = 0; draw < 30; draw++) {
            int[] shape = random().shape(1 + random().nextInt(4), 1, 2, 3, 5, 7, 8, 9, 17);
            int axis = random().nextInt(shape.length);
            float[] x = random().normal(Nd.size(shape), 3);
            Tensor xt = tensor(x, shape);
            ReduceOp op = ReduceOp.values()[random().nextInt(ReduceOp.values().length)];
            Tensor out = filled(Float.NaN, Nd.without(shape, axis));
            device().reduce(op, xt, axis - shape.length, out); // negative axes count from the end
            checkReduction(op, x, shape, axis, out.toArray());
            boolean log = random().nextInt(2) == 0;
            Tensor y = filled(Float.NaN, shape);
            device().softmax(xt, axis, log, y);
            checkSoftmax(x, shape, axis, log, y.toArray(), " (random shape, draw " + draw + ")");
        }
    }

    @ParameterizedTest(name = "length {0}")
    @MethodSource("io.rnn4j.engine.testing.Sizes#awkward")
    default void reduceOnViewsAndWithSpecialValues(int n) {
        float[] x = random().normal(4 * n, 1);
        x[n] = Float.NaN; // row 1 holds a NaN
        x[2 * n] = Float.NEGATIVE_INFINITY; // row 2 holds -inf
        for (int j = 0; j < n; j++) {
            x[3 * n + j] = Float.NEGATIVE_INFINITY; // row 3 is all -inf
        }
        Tensor rows = tensor(x, 4, n).narrow(1, 3);
        float[] view = Arrays.copyOfRange(x, n, 4 * n);
        for (ReduceOp op : ReduceOp.values()) {
            Tensor whole = filled(7f, 5);
            device().reduce(op, rows, 1, whole.narrow(1, 3));
            float[] got = whole.toArray();
            assertTrue(got[0] == 7f && got[4] == 7f, op + " must write only its view of out; got " + got[0]
                    + " and " + got[4] + " around it");
            checkReduction(op, view, new int[] {3, n}, 1, Arrays.copyOfRange(got, 1, 4));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"SUM, 0", "MEAN, NaN"})
    default void reduceOverAnEmptyAxis(ReduceOp op, float want) {
        Tensor out = filled(5f, 3);
        device().reduce(op, device().zeros(3, 0), 1, out);
        for (float v : out.toArray()) {
            assertTrue(Float.compare(v, want) == 0 || v == want, op + " over an empty axis must be " + want
                    + " (as NumPy), got " + v);
        }
    }

    @ParameterizedTest(name = "length {0}")
    @MethodSource("io.rnn4j.engine.testing.Sizes#awkwardAndLarge")
    default void softmaxAlongEveryAxis(int n) {
        int[][] shapes = {{n}, {3, n}, {n, 4}, {2, n, 3}};
        for (int[] shape : shapes) {
            float[] x = random().normal(Nd.size(shape), 3);
            for (int axis = 0; axis < shape.length; axis++) {
                for (boolean log : new boolean[] {false, true}) {
                    Tensor out = filled(Float.NaN, shape);
                    device().softmax(tensor(x, shape), axis, log, out);
                    checkSoftmax(x, shape, axis, log, out.toArray(), "");
                }
            }
        }
    }

    @ParameterizedTest(name = "log={0}")
    @CsvSource({"false", "true"})
    default void softmaxOfLargeLogitsStaysFiniteAndExact(boolean log) {
        float[][] rows = {
            {1e4f, 1e4f - 1, -1e4f, 0f}, {88f, 89f, 90f, 91f}, {1e30f, 1e30f, -1e30f, 0f},
            {-1e4f, -1e4f + 0.5f, -1e4f + 1, -1e4f}, {Float.MAX_VALUE, -Float.MAX_VALUE, 0f, 1f},
            {1000f, 0f, 0f, 0f}, {0f, 0f, 0f, 0f},
        };
        float[] x = new float[rows.length * 4];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, x, 4 * i, 4);
        }
        int[] shape = {rows.length, 4};
        Tensor out = device().zeros(shape);
        Tensor xt = tensor(x, shape);
        device().softmax(xt, -1, log, out);
        checkSoftmax(x, shape, 1, log, out.toArray(), " (large logits)");
        device().softmax(xt, 1, log, xt); // in place
        checkSoftmax(x, shape, 1, log, xt.toArray(), " (large logits, in place)");
        // The same rows as columns: along axis 0 the elements of a slice are strided.
        float[] columns = new float[x.length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < 4; j++) {
                columns[j * rows.length + i] = x[4 * i + j];
            }
        }
        int[] transposed = {4, rows.length};
        Tensor strided = device().zeros(transposed);
        device().softmax(tensor(columns, transposed), 0, log, strided);
        checkSoftmax(columns, transposed, 0, log, strided.toArray(), " (large logits along axis 0)");
    }

    @ParameterizedTest(name = "length {0}")
    @MethodSource("io.rnn4j.engine.testing.Sizes#awkward")
    default void softmaxBackwardMatchesFiniteDifferences(int n) {
        // Finite differences cost O(size²): the 3-D case only where that stays small.
        int[][] shapes = n <= 33 ? new int[][] {{3, n}, {2, n, 3}} : new int[][] {{2, n}};
        for (int[] shape : shapes) {
            float[] x = random().normal(Nd.size(shape), 2);
            float[] dy = random().normal(x.length, 1);
            for (int axis = 0; axis < shape.length; axis++) {
                for (boolean log : new boolean[] {false, true}) {
                    checkSoftmaxBackward(x, dy, shape, axis, log);
                }
            }
        }
    }

    private void checkSoftmaxBackward(float[] x, float[] dy, int[] shape, int axis, boolean log) {
        Tensor y = device().zeros(shape);
        device().softmax(tensor(x, shape), axis, log, y);
        Tensor dx = filled(Float.NaN, shape);
        device().softmaxBackward(y, tensor(dy, shape), axis, log, dx);
        // The loss Σ dy · softmax(x), differentiated numerically in float64.
        double[] grad = FiniteDifferences.gradient(v -> {
            double[] s = Reference.softmax(v, shape, axis, log);
            double loss = 0;
            for (int i = 0; i < s.length; i++) {
                loss += dy[i] * s[i];
            }
            return loss;
        }, Approx.widen(x));
        double[] p = Reference.softmax(Approx.widen(x), shape, axis, false);
        double[] logP = Reference.softmax(Approx.widen(x), shape, axis, true);
        double[] absDy = new double[dy.length];
        for (int i = 0; i < dy.length; i++) {
            absDy[i] = Math.abs(dy[i]);
        }
        double[] sumAbsDy = sliceSums(absDy, shape, axis);
        double[] tol = new double[x.length];
        int len = shape[axis];
        for (int i = 0; i < tol.length; i++) {
            tol[i] = (len + 8 + Math.abs(logP[i])) * 0x1p-20 * (absDy[i] + p[i] * sumAbsDy[i]) + 1e-10;
        }
        assertClose((log ? "log_softmax" : "softmax") + " backward along axis " + axis + " of "
                + Approx.shape(shape) + " vs float64 central finite differences, " + random(), dx.toArray(), grad,
                tol, SOFTMAX_BACKWARD_BAR);
    }

    private void checkReduction(ReduceOp op, float[] x, int[] shape, int axis, float[] got) {
        Reference.Expected want = Reference.reduce(op, x, shape, axis);
        String what = op + " along axis " + axis + " of " + Approx.shape(shape) + ", " + random();
        if (op == ReduceOp.MAX) {
            assertExact(what, got, want.values());
        } else {
            assertClose(what, got, want.values(), Approx.scaled(want.magnitudes(), (shape[axis] + 2) * Approx.EPS),
                    SUM_BAR);
        }
    }

    private void checkSoftmax(float[] x, int[] shape, int axis, boolean log, float[] got, String note) {
        double[] want = Reference.softmax(Approx.widen(x), shape, axis, log);
        double[] logP = log ? want : Reference.softmax(Approx.widen(x), shape, axis, true);
        double[] tol = new double[want.length];
        int len = shape[axis];
        for (int i = 0; i < tol.length; i++) {
            double scale = (len + 8 + Math.abs(logP[i])) * 0x1p-22;
            tol[i] = (log ? scale : scale * want[i]) + Float.MIN_NORMAL;
            assertTrue(!Float.isNaN(got[i]), (log ? "log_softmax" : "softmax") + " must not give NaN for finite "
                    + "logits; got NaN at " + i + note);
        }
        assertClose((log ? "log_softmax" : "softmax") + " along axis " + axis + " of " + Approx.shape(shape) + note
                + ", " + random(), got, want, tol, SOFTMAX_BAR);
    }

    /** For every element, the sum of {@code v} over the slice along {@code axis} that holds it. */
    private static double[] sliceSums(double[] v, int[] shape, int axis) {
        double[] out = new double[v.length];
        for (int f = 0; f < v.length; f++) {
            int[] index = Nd.index(shape, f);
            double s = 0;
            for (int j = 0; j < shape[axis]; j++) {
                index[axis] = j;
                s += v[Nd.flat(shape, index)];
            }
            out[f] = s;
        }
        return out;
    }
}
