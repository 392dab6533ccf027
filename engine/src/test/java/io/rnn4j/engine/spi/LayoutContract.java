package io.rnn4j.engine.spi;

import static io.rnn4j.engine.testing.Approx.assertExact;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.testing.Approx;
import io.rnn4j.engine.testing.Nd;
import io.rnn4j.engine.testing.Reference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Concat, split and reverse along every axis (exact: they only move elements), their adjointness
 * ({@code <concat(P), Y> = Σ <P_i, split(Y)_i>}, {@code <reverse(x), y> = <x, reverse(y)>}), and
 * outputs that are views inside larger tensors.
 */
// Tests are compiled into the engine module: JUnit and the test-only packages are not exported from it.
@SuppressWarnings("exports")
public interface LayoutContract extends BackendContract {

    /** A (2, n, 3) base shape: every axis gets a turn, the awkward size in the middle (the time axis). */
    private static int[] base(int n) {
        return new int[] {2, n, 3};
    }

    @ParameterizedTest(name = "size {0}")
    @MethodSource("io.rnn4j.engine.testing.Sizes#awkwardAndLarge")
    default void concatSplitAndReverseAlongEveryAxis(int n) {
        int[] shape = base(n);
        for (int axis = 0; axis < shape.length; axis++) {
            int[] lengths = {shape[axis], 1, 2}; // parts of unequal length, one of length 1
            List<float[]> parts = new ArrayList<>();
            List<int[]> shapes = new ArrayList<>();
            Tensor[] partTensors = new Tensor[lengths.length];
            for (int p = 0; p < lengths.length; p++) {
                int[] s = Nd.with(shape, axis, lengths[p]);
                float[] data = random().normal(Nd.size(s), 1);
                parts.add(data);
                shapes.add(s);
                partTensors[p] = tensor(data, s);
            }
            int[] joined = Nd.with(shape, axis, shape[axis] + 3);
            String where = " along axis " + axis + " of " + Approx.shape(joined) + ", " + random();
            Tensor out = filled(Float.NaN, joined);
            device().concat(partTensors, axis, out);
            double[] want = Reference.concat(parts, shapes, axis);
            assertExact("concat" + where, out.toArray(), want);

            Tensor[] back = new Tensor[lengths.length];
            for (int p = 0; p < lengths.length; p++) {
                back[p] = filled(Float.NaN, shapes.get(p));
            }
            device().split(out, axis, back);
            float[] joinedData = out.toArray();
            List<double[]> wantParts = Reference.split(joinedData, joined, axis, lengths);
            for (int p = 0; p < lengths.length; p++) {
                assertExact("split part " + p + where, back[p].toArray(), wantParts.get(p));
                assertExact("split(concat(parts)) part " + p + where, back[p].toArray(), parts.get(p));
            }

            Tensor reversed = filled(Float.NaN, joined);
            device().reverse(out, axis, reversed);
            assertExact("reverse" + where, reversed.toArray(), Reference.reverse(joinedData, joined, axis));
            Tensor twice = filled(Float.NaN, joined);
            device().reverse(reversed, axis, twice);
            assertExact("reverse twice is the identity" + where, twice.toArray(), joinedData);
        }
    }

    @Test
    default void concatSplitAndReverseOnRandomShapes() {
        for (int draw = 0; draw < 30; draw++) {
            int[] shape = random().shape(1 + random().nextInt(4), 1, 2, 3, 5, 7, 8, 9, 17);
            int axis = random().nextInt(shape.length);
            int extra = 1 + random().nextInt(4);
            int[] second = Nd.with(shape, axis, extra);
            float[] a = random().normal(Nd.size(shape), 1);
            float[] b = random().normal(Nd.size(second), 1);
            int[] joined = Nd.with(shape, axis, shape[axis] + extra);
            String where = " along axis " + axis + " of " + Approx.shape(joined) + " (draw " + draw + "), " + random();
            Tensor out = filled(Float.NaN, joined);
            device().concat(new Tensor[] {tensor(a, shape), tensor(b, second)}, axis, out);
            assertExact("concat" + where, out.toArray(), Reference.concat(List.of(a, b), List.of(shape, second),
                    axis));
            Tensor pa = filled(Float.NaN, shape);
            Tensor pb = filled(Float.NaN, second);
            device().split(out, axis, new Tensor[] {pa, pb});
            assertExact("split part 0" + where, pa.toArray(), a);
            assertExact("split part 1" + where, pb.toArray(), b);
            Tensor rev = filled(Float.NaN, joined);
            device().reverse(out, axis, rev);
            assertExact("reverse" + where, rev.toArray(), Reference.reverse(out.toArray(), joined, axis));
        }
    }

    @ParameterizedTest(name = "size {0}")
    @MethodSource("io.rnn4j.engine.testing.Sizes#awkward")
    default void concatIsTheAdjointOfSplitAndReverseOfItself(int n) {
        int[] shape = base(n);
        for (int axis = 0; axis < shape.length; axis++) {
            int[] a = Nd.with(shape, axis, 1);
            int[] b = shape;
            int[] joined = Nd.with(shape, axis, shape[axis] + 1);
            float[] pa = random().normal(Nd.size(a), 1);
            float[] pb = random().normal(Nd.size(b), 1);
            float[] y = random().normal(Nd.size(joined), 1);
            Tensor cat = device().zeros(joined);
            device().concat(new Tensor[] {tensor(pa, a), tensor(pb, b)}, axis, cat);
            Tensor ya = device().zeros(a);
            Tensor yb = device().zeros(b);
            device().split(tensor(y, joined), axis, new Tensor[] {ya, yb});
            double left = Reference.dot(cat.toArray(), y);
            double right = Reference.dot(pa, ya.toArray()) + Reference.dot(pb, yb.toArray());
            double bar = 1e-12 * Reference.absDot(cat.toArray(), y);
            assertTrue(Math.abs(left - right) <= bar, "<concat(P), Y> = " + left + " must equal Σ<P_i, split(Y)_i> = "
                    + right + " (float64 sums, within 1e-12·Σ|terms|) along axis " + axis + ", " + random());

            Tensor rx = device().zeros(joined);
            Tensor ry = device().zeros(joined);
            device().reverse(cat, axis, rx);
            device().reverse(tensor(y, joined), axis, ry);
            left = Reference.dot(rx.toArray(), y);
            right = Reference.dot(cat.toArray(), ry.toArray());
            assertTrue(Math.abs(left - right) <= bar, "<reverse(x), y> = " + left + " must equal <x, reverse(y)> = "
                    + right + " along axis " + axis + ", " + random());
        }
    }

    @ParameterizedTest(name = "row width {0}")
    @MethodSource("io.rnn4j.engine.testing.Sizes#awkward")
    default void concatSplitAndReverseOnViews(int n) {
        // Rows of a (6, n) matrix: parts are views, and so are the outputs; neighbours stay untouched.
        float[] data = random().normal(6 * n, 1);
        Tensor whole = tensor(data, 6, n);
        Tensor out = filled(Float.NaN, 7, n);
        device().concat(new Tensor[] {whole.narrow(4, 2), whole.narrow(0, 1)}, 0, out.narrow(2, 3));
        float[] got = out.toArray();
        float[] want = new float[3 * n];
        System.arraycopy(data, 4 * n, want, 0, 2 * n);
        System.arraycopy(data, 0, want, 2 * n, n);
        assertExact("concat of row views into rows 2..4, " + random(), Arrays.copyOfRange(got, 2 * n, 5 * n), want);
        for (int i : new int[] {0, 2 * n - 1, 5 * n, 7 * n - 1}) {
            assertTrue(Float.isNaN(got[i]), "concat wrote element " + i + " outside its view of out");
        }

        Tensor target = filled(Float.NaN, 5, n);
        device().split(whole.narrow(1, 3), 0, new Tensor[] {target.narrow(3, 2), target.narrow(0, 1)});
        float[] split = target.toArray();
        assertExact("split of rows 1..3 into views", concatRows(Arrays.copyOfRange(split, 3 * n, 5 * n),
                Arrays.copyOfRange(split, 0, n)), Arrays.copyOfRange(data, n, 4 * n));
        assertTrue(Float.isNaN(split[n]) && Float.isNaN(split[3 * n - 1]), "split wrote outside its views");

        Tensor rev = filled(Float.NaN, 5, n);
        device().reverse(whole.narrow(2, 3), 0, rev.narrow(1, 3));
        float[] r = rev.toArray();
        assertExact("reverse of rows 2..4 into a view", Arrays.copyOfRange(r, n, 4 * n),
                Reference.reverse(Arrays.copyOfRange(data, 2 * n, 5 * n), new int[] {3, n}, 0));
        assertTrue(Float.isNaN(r[0]) && Float.isNaN(r[4 * n]), "reverse wrote outside its view");
    }

    private static float[] concatRows(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
