package io.rnn4j.engine.spi;

import static io.rnn4j.engine.testing.Approx.assertClose;
import static io.rnn4j.engine.testing.Approx.assertExact;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.testing.Approx;
import io.rnn4j.engine.testing.Reference;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Embedding lookup (gather) and its adjoint (scatter-add): rows copied exactly, repeated indices
 * adding up (in any order: the bar is (r + 2)·2⁻²³ times the sum of absolute terms, r the number of
 * terms), {@code <gather(T), S> = <T, scatterAdd(S)>}, and views with offsets.
 */
// Tests are compiled into the engine module: JUnit and the test-only packages are not exported from it.
@SuppressWarnings("exports")
public interface IndexingContract extends BackendContract {

    String SCATTER_BAR = "|err| <= (r+2)·2^-23·Σ|terms|, r = the terms added into a row";

    /** Indices for a (2, 7) lookup into {@code rows} rows: the first and last rows, a repeated one, random. */
    private float[] lookups(int rows) {
        float[] idx = random().indices(14, rows);
        idx[0] = 0;
        idx[1] = rows - 1;
        idx[2] = idx[5] = idx[9] = rows / 2; // three times the same row
        return idx;
    }

    @ParameterizedTest(name = "row width {0}")
    @MethodSource("io.rnn4j.engine.testing.Sizes#awkwardAndLarge")
    default void gatherCopiesRows(int cols) {
        int rows = 13;
        float[] table = random().normal(rows * cols, 1);
        float[] idx = lookups(rows);
        Tensor indices = tensor(idx, 2, 7);
        double[] want = Reference.gather(table, cols, idx);
        Tensor nested = filled(Float.NaN, 2, 7, cols);
        device().gather(tensor(table, rows, cols), indices, nested);
        assertExact("gather into (2, 7, " + cols + "), " + random(), nested.toArray(), want);
        Tensor flat = filled(Float.NaN, 14, cols);
        device().gather(tensor(table, rows, cols), indices, flat);
        assertExact("gather into (14, " + cols + "), " + random(), flat.toArray(), want);
    }

    @ParameterizedTest(name = "rows {0}")
    @MethodSource("io.rnn4j.engine.testing.Sizes#awkwardAndLarge")
    default void gatherFromTablesOfManyRows(int rows) {
        int cols = 9;
        float[] table = random().normal(rows * cols, 1);
        float[] idx = lookups(rows);
        Tensor out = device().zeros(14, cols);
        device().gather(tensor(table, rows, cols), tensor(idx, 14), out);
        assertExact("gather from " + rows + " rows, " + random(), out.toArray(), Reference.gather(table, cols, idx));
    }

    @ParameterizedTest(name = "row width {0}")
    @MethodSource("io.rnn4j.engine.testing.Sizes#awkwardAndLarge")
    default void scatterAddAccumulatesRepeatedIndices(int cols) {
        int rows = 13;
        float[] table = random().normal(rows * cols, 1);
        float[] src = random().normal(14 * cols, 1);
        float[] idx = lookups(rows);
        Tensor t = tensor(table, rows, cols);
        device().scatterAdd(tensor(src, 2, 7, cols), tensor(idx, 2, 7), t);
        Reference.Expected want = Reference.scatterAdd(src, idx, table, cols);
        // At most 14 + 1 terms meet in a row.
        assertClose("scatter_add into a (" + rows + ", " + cols + ") table, " + random(), t.toArray(),
                want.values(), Approx.scaled(want.magnitudes(), (15 + 2) * Approx.EPS), SCATTER_BAR);
    }

    @ParameterizedTest(name = "row width {0}")
    @MethodSource("io.rnn4j.engine.testing.Sizes#awkwardAndLarge")
    default void scatterAddIsTheAdjointOfGather(int cols) {
        int rows = 11;
        float[] table = random().normal(rows * cols, 1);
        float[] s = random().normal(14 * cols, 1);
        float[] idx = lookups(rows);
        Tensor indices = tensor(idx, 14);
        Tensor gathered = device().zeros(14, cols);
        device().gather(tensor(table, rows, cols), indices, gathered);
        Tensor scattered = device().zeros(rows, cols);
        device().scatterAdd(tensor(s, 14, cols), indices, scattered);
        double left = Reference.dot(gathered.toArray(), s);
        double right = Reference.dot(table, scattered.toArray());
        double bar = (15 + 2) * Approx.EPS * Reference.absDot(gathered.toArray(), s) + Float.MIN_NORMAL;
        assertTrue(Math.abs(left - right) <= bar, "<gather(T), S> = " + left + " must equal <T, scatterAdd(S)> = "
                + right + " within " + bar + " ((r+2)·2^-23·Σ|T·S|), " + random());
    }

    @ParameterizedTest(name = "row width {0}")
    @MethodSource("io.rnn4j.engine.testing.Sizes#awkward")
    default void gatherAndScatterAddOnViewsWithOffsets(int cols) {
        int rows = 7;
        float[] table = random().normal((rows + 2) * cols, 1);
        float[] idx = {3, 0, 6, 3};
        Tensor tableView = tensor(table, rows + 2, cols).narrow(1, rows);
        Tensor indexView = tensor(new float[] {99, 3, 0, 6, 3, 99}, 6).narrow(1, 4);
        Tensor out = filled(Float.NaN, 6, cols);
        device().gather(tableView, indexView, out.narrow(1, 4));
        float[] got = out.toArray();
        assertExact("gather with table, indices and out all views, " + random(),
                Arrays.copyOfRange(got, cols, 5 * cols),
                Reference.gather(Arrays.copyOfRange(table, cols, (rows + 1) * cols), cols, idx));
        assertTrue(Float.isNaN(got[0]) && Float.isNaN(got[5 * cols]), "gather wrote outside its view of out");

        float[] src = random().normal(4 * cols, 1);
        Tensor whole = tensor(table, rows + 2, cols);
        device().scatterAdd(tensor(src, 4, cols), indexView, whole.narrow(1, rows));
        float[] after = whole.toArray();
        Reference.Expected want = Reference.scatterAdd(src, idx, Arrays.copyOfRange(table, cols, (rows + 1) * cols),
                cols);
        assertClose("scatter_add into a view of the table, " + random(), Arrays.copyOfRange(after, cols,
                (rows + 1) * cols), want.values(), Approx.scaled(want.magnitudes(), 6 * Approx.EPS), SCATTER_BAR);
        assertExact("rows outside the table's view", concat(Arrays.copyOfRange(after, 0, cols),
                Arrays.copyOfRange(after, (rows + 1) * cols, (rows + 2) * cols)), concat(Arrays.copyOfRange(table, 0,
                cols), Arrays.copyOfRange(table, (rows + 1) * cols, (rows + 2) * cols)));
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
