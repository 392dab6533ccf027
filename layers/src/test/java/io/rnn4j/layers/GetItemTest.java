package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.GetItem.Index;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * GetItem as Keras 3's {@code GetItem} (keras/src/ops/numpy.py) and NumPy's basic indexing:
 * 44 keys on inputs of rank 2 to 5 give NumPy's output shapes and values (shapes and checksums of
 * {@code x[key]} for {@code x = np.arange(...)}, computed with NumPy 2.4 and written here) and
 * match a plain-loop float64 reference on random values exactly (values are only moved); 30
 * slices of a 7-element axis give Python's {@code list(range(7))[slice]}; gradients against float64
 * finite differences; None axes (a slice of None is None, an int on None checked at call time);
 * the mask dropped as Keras drops it for an operation; bad keys refused naming the key and the
 * shape. Seed 11.
 */
class GetItemTest {
    private final Random r = new Random(11);

    private record Row(String key, int[] shape, int[] numpyShape, long numpyChecksum) {
    }

    private static Row row(String key, int[] shape, int[] numpyShape, long checksum) {
        return new Row(key, shape, numpyShape, checksum);
    }

    /** NumPy 2.4: x = np.arange(size).reshape(shape); y = x[key,]; y.shape, sum(y.ravel() * (1..y.size)). */
    private static final List<Row> NUMPY = List.of(
            row(":, -1", new int[] {2, 7}, new int[] {2}, 32L),
            row(":, 0", new int[] {2, 7}, new int[] {2}, 14L),
            row(":, 1:5", new int[] {2, 7}, new int[] {2, 4}, 282L),
            row(":, ::-1", new int[] {2, 7}, new int[] {2, 7}, 798L),
            row(":, ::2", new int[] {2, 7}, new int[] {2, 4}, 310L),
            row(":, -2::-3", new int[] {2, 7}, new int[] {2, 2}, 81L),
            row(":, None", new int[] {2, 7}, new int[] {2, 1, 7}, 910L),
            row("..., 3", new int[] {2, 7}, new int[] {2}, 23L),
            row("..., None", new int[] {2, 7}, new int[] {2, 7, 1}, 910L),
            row(":, None, 2", new int[] {2, 7}, new int[] {2, 1}, 20L),
            row(":, 10:-10:-4", new int[] {2, 7}, new int[] {2, 2}, 85L),
            row(":, 3:3", new int[] {2, 7}, new int[] {2, 0}, 0L),
            row("...", new int[] {2, 7}, new int[] {2, 7}, 910L),
            row(":, 1::-1, None", new int[] {2, 7}, new int[] {2, 2, 1}, 53L),
            row(":, -1, :", new int[] {2, 5, 4}, new int[] {2, 4}, 1160L),
            row(":, :, :2", new int[] {2, 5, 4}, new int[] {2, 5, 2}, 5210L),
            row("..., 0", new int[] {2, 5, 4}, new int[] {2, 5}, 1320L),
            row(":, 2:10:2", new int[] {2, 5, 4}, new int[] {2, 2, 4}, 3984L),
            row(":, None", new int[] {2, 5, 4}, new int[] {2, 1, 5, 4}, 21320L),
            row(":, -1", new int[] {2, 5, 4}, new int[] {2, 4}, 1160L),
            row("..., ::-1", new int[] {2, 5, 4}, new int[] {2, 5, 4}, 21220L),
            row(":, ::-2, 1:", new int[] {2, 5, 4}, new int[] {2, 3, 3}, 3954L),
            row(":, None, ..., None", new int[] {2, 5, 4}, new int[] {2, 1, 5, 4, 1}, 21320L),
            row("..., 1, None", new int[] {2, 5, 4}, new int[] {2, 5, 1}, 1375L),
            row(":, 4, -4", new int[] {2, 5, 4}, new int[] {2}, 88L),
            row(":, 1:4, ::3", new int[] {2, 5, 4}, new int[] {2, 3, 2}, 1954L),
            row(":, ::-1, ::-1", new int[] {2, 5, 4}, new int[] {2, 5, 4}, 18660L),
            row("..., -3:-1", new int[] {2, 5, 4}, new int[] {2, 5, 2}, 5420L),
            row(":, 0, None, ::2", new int[] {2, 5, 4}, new int[] {2, 1, 2}, 152L),
            row(":, -1, :, :", new int[] {2, 3, 5, 4}, new int[] {2, 5, 4}, 78520L),
            row("..., 0", new int[] {2, 3, 5, 4}, new int[] {2, 3, 5}, 35960L),
            row(":, :, 2:10:2", new int[] {2, 3, 5, 4}, new int[] {2, 3, 2, 4}, 97520L),
            row(":, 1, ..., ::-2", new int[] {2, 3, 5, 4}, new int[] {2, 5, 2}, 15910L),
            row(":, None, ..., 2", new int[] {2, 3, 5, 4}, new int[] {2, 1, 3, 5}, 36890L),
            row("..., None, 1:", new int[] {2, 3, 5, 4}, new int[] {2, 3, 5, 1, 3}, 326670L),
            row(":, ::2, -1, None", new int[] {2, 3, 5, 4}, new int[] {2, 2, 1, 4}, 11760L),
            row(":, -2, 4, ::-3", new int[] {2, 3, 5, 4}, new int[] {2, 2}, 792L),
            row(":, ..., 1:4:2, None", new int[] {2, 3, 5, 4}, new int[] {2, 3, 5, 2, 1}, 145790L),
            row(":, 2::-1, ::3, 1", new int[] {2, 3, 5, 4}, new int[] {2, 3, 2}, 5242L),
            row("..., ::-1", new int[] {2, 3, 5, 4}, new int[] {2, 3, 5, 4}, 575660L),
            row(":, 1, ..., 1", new int[] {2, 2, 3, 4, 3}, new int[] {2, 3, 4}, 32892L),
            row(":, :, ::-1, 1:3, None", new int[] {2, 2, 3, 4, 3}, new int[] {2, 2, 3, 2, 1, 3}, 242976L),
            row("..., 2, 3, ::-2", new int[] {2, 2, 3, 4, 3}, new int[] {2, 2, 2}, 3884L),
            row(":, None, 0, None, ..., ::2", new int[] {2, 2, 3, 4, 3}, new int[] {2, 1, 1, 3, 4, 2}, 87108L));

    /** Python 3.11: list(range(7))[slice]. */
    private static final String[][] SLICES_OF_7 = {
        {":", "[0, 1, 2, 3, 4, 5, 6]"}, {"::2", "[0, 2, 4, 6]"}, {"::-1", "[6, 5, 4, 3, 2, 1, 0]"},
        {"::-2", "[6, 4, 2, 0]"}, {"::3", "[0, 3, 6]"}, {"1:", "[1, 2, 3, 4, 5, 6]"}, {"1:5", "[1, 2, 3, 4]"},
        {"1:6:2", "[1, 3, 5]"}, {"-1:", "[6]"}, {"-3:", "[4, 5, 6]"}, {"-3:-1", "[4, 5]"},
        {":-1", "[0, 1, 2, 3, 4, 5]"}, {"5:1:-1", "[5, 4, 3, 2]"}, {"5:1:-2", "[5, 3]"},
        {"-1:-8:-1", "[6, 5, 4, 3, 2, 1, 0]"}, {"-2::-3", "[5, 2]"}, {"10:-10:-4", "[6, 2]"},
        {"-10:10:4", "[0, 4]"}, {"0:0", "[]"}, {"3:3:-1", "[]"}, {"6:0:-2", "[6, 4, 2]"}, {"1::-1", "[1, 0]"},
        {"4::-5", "[4]"}, {"-9:3", "[0, 1, 2]"}, {"2:100:2", "[2, 4, 6]"}, {"100:2:-3", "[6, 3]"},
        {"-100::-1", "[]"}, {"0::7", "[0]"}, {"::-7", "[6]"}, {"3:-3", "[3]"}};

    // ---- the plain-loop reference ----

    /**
     * The elements a slice takes from an axis of n, by Python's rules spelled out: a negative bound
     * counts from the end, then bounds clip to the axis.
     */
    static int[] pythonSlice(Index.Range s, int n) {
        int step = s.step() == null ? 1 : s.step();
        List<Integer> out = new ArrayList<>();
        if (step > 0) {
            long start = s.start() == null ? 0 : s.start() < 0 ? Math.max(0L, (long) s.start() + n)
                    : Math.min(s.start(), n);
            long stop = s.stop() == null ? n : s.stop() < 0 ? Math.max(0L, (long) s.stop() + n)
                    : Math.min(s.stop(), n);
            for (long i = start; i < stop; i += step) {
                out.add((int) i);
            }
        } else {
            // -1 stands for "before the first element" here, which a negative bound never means.
            long start = s.start() == null ? n - 1 : s.start() < 0 ? Math.max(-1L, (long) s.start() + n)
                    : Math.min(s.start(), n - 1);
            long stop = s.stop() == null ? -1 : s.stop() < 0 ? Math.max(-1L, (long) s.stop() + n)
                    : Math.min(s.stop(), n - 1);
            for (long i = start; i > stop; i += step) {
                out.add((int) i);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** x[key] by plain loops: the source elements of each input axis, then every output element read from x. */
    static double[] reference(float[] x, int[] shape, List<Index> key, List<Integer> outShape) {
        List<Index> k = new ArrayList<>(key);
        if (!k.contains(Index.ELLIPSIS)) {
            k.add(Index.ELLIPSIS);
        }
        long consuming = k.stream().filter(i -> i instanceof Index.At || i instanceof Index.Range).count();
        int[][] source = new int[shape.length][];
        List<Integer> outAxis = new ArrayList<>(); // the input axis of each output axis, -1 for a new one
        int axis = 0;
        for (Index i : k) {
            if (i.equals(Index.NEW_AXIS)) {
                outAxis.add(-1);
            } else if (i.equals(Index.ELLIPSIS)) {
                for (long t = 0; t < shape.length - consuming; t++, axis++) {
                    source[axis] = pythonSlice((Index.Range) Index.all(), shape[axis]);
                    outAxis.add(axis);
                }
            } else if (i instanceof Index.At at) {
                source[axis] = new int[] {at.index() < 0 ? at.index() + shape[axis] : at.index()};
                axis++;
            } else {
                source[axis] = pythonSlice((Index.Range) i, shape[axis]);
                outAxis.add(axis++);
            }
        }
        int[] inStride = new int[shape.length];
        int s = 1;
        for (int a = shape.length - 1; a >= 0; a--) {
            inStride[a] = s;
            s *= shape[a];
        }
        int size = 1;
        for (int a : outAxis) {
            int d = a < 0 ? 1 : source[a].length;
            outShape.add(d);
            size *= d;
        }
        double[] out = new double[size];
        int[] pos = new int[outAxis.size()];
        for (int o = 0; o < size; o++) {
            int[] at = new int[shape.length]; // the position in each input axis's source list
            for (int j = 0; j < pos.length; j++) {
                if (outAxis.get(j) >= 0) {
                    at[outAxis.get(j)] = pos[j];
                }
            }
            int src = 0;
            for (int a = 0; a < shape.length; a++) {
                src += source[a][at[a]] * inStride[a];
            }
            out[o] = x[src];
            for (int j = pos.length - 1; j >= 0 && ++pos[j] == outShape.get(j); j--) {
                pos[j] = 0;
            }
        }
        return out;
    }

    static Tensor arange(int... shape) {
        int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return Tensor.of(v, shape);
    }

    private static GetItem built(String key, int... shape) {
        GetItem g = new GetItem(key);
        g.build(Shape.of(Arrays.copyOfRange(shape, 1, shape.length)));
        return g;
    }

    private static Tensor call(GetItem g, Tensor x) {
        return g.call(Variable.constant(x), null, CallContext.inference()).value();
    }

    @Test
    void keysOnRanks2To5GiveNumPysShapesAndValuesAndMatchPlainLoops() {
        for (Row row : NUMPY) {
            String what = "x[" + row.key() + "] of " + Arrays.toString(row.shape());
            GetItem g = built(row.key(), row.shape());
            assertThat(g.outputShape().dims()).as("%s: output shape when built", what)
                    .containsExactly(Arrays.copyOfRange(row.numpyShape(), 1, row.numpyShape().length));
            Tensor y = call(g, arange(row.shape()));
            assertThat(y.shape().dims()).as("%s: shape as NumPy's", what).containsExactly(row.numpyShape());
            float[] v = y.toArray();
            long checksum = 0;
            for (int i = 0; i < v.length; i++) {
                checksum += (long) v[i] * (i + 1);
            }
            assertThat(checksum).as("%s: sum(y * (1..n)) as NumPy's", what).isEqualTo(row.numpyChecksum());
            Tensor x = uniform(r, -1, 1, row.shape());
            List<Integer> refShape = new ArrayList<>();
            double[] want = reference(x.toArray(), row.shape(), g.key(), refShape);
            assertThat(refShape).as("%s: the reference's shape", what).containsExactlyElementsOf(
                    Arrays.stream(row.numpyShape()).boxed().toList());
            float[] got = call(g, x).toArray();
            assertThat(got).as("%s: values against plain loops", what).hasSize(want.length);
            for (int i = 0; i < got.length; i++) {
                assertThat((double) got[i]).as("%s: element %d against plain loops", what, i).isEqualTo(want[i]);
            }
        }
    }

    @Test
    void slicesFollowPythonsSliceIndicesRules() {
        for (String[] c : SLICES_OF_7) {
            GetItem g = built(":, " + c[0], 1, 7);
            assertThat(Arrays.toString(call(g, arange(1, 7)).toArray()).replace(".0", ""))
                    .as("x[:, %s] of arange(7)", c[0]).isEqualTo(c[1]);
            assertThat(Arrays.toString(pythonSlice((Index.Range) g.key().get(1), 7)))
                    .as("the test's reference for %s", c[0]).isEqualTo(c[1]);
            assertThat(g.keyString()).as("written back").isEqualTo(":, " + c[0]);
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        String[][] cases = {
            {":, -1, :", "2,5,3"}, {":, :, :2", "2,4,3"}, {"..., 0", "2,3,4"}, {":, 2:10:2", "2,7,2"},
            {":, ::-1", "2,5,3"}, {":, ::-2, 1:", "2,5,4"}, {":, None, ..., None", "2,3,2"},
            {":, 1::3, -2", "2,8,3"}, {":, -2::-3", "2,7"}, {"..., 1, None", "2,2,3,4"},
            {":, ::2, -1, ::-3", "2,3,2,7"}, {":, 5:1:-2, None", "2,7,2"}};
        for (String[] c : cases) {
            int[] shape = Arrays.stream(c[1].split(",")).mapToInt(Integer::parseInt).toArray();
            GetItem g = built(c[0], shape);
            Variable in = Variable.parameter(uniform(r, -1, 1, shape));
            GradCheck.checkParameters("x[" + c[0] + "] of " + c[1], () -> g.call(in, null, CallContext.inference()),
                    List.of(in));
        }
    }

    @Test
    void noneAxesStayNoneAndIntsOnThemAreCheckedAtCallTime() {
        Input in = Input.shape(Input.NONE, 4);
        GetItem last = new GetItem(":, -1, :");
        Model m = Model.of(in, last.apply(in));
        assertThat(last.outputShape()).isEqualTo(Shape.of(4));
        for (int steps : new int[] {1, 3, 6}) {
            Tensor x = uniform(r, -1, 1, 2, steps, 4);
            double[] want = reference(x.toArray(), x.shape().dims(), last.key(), new ArrayList<>());
            float[] got = m.predict(x).toArray();
            assertThat(got).hasSize(want.length);
            for (int i = 0; i < want.length; i++) {
                assertThat((double) got[i]).as("last of %d steps, element %d", steps, i).isEqualTo(want[i]);
            }
        }
        GetItem strided = new GetItem(":, 1::2, ::-1");
        strided.build(Shape.withUnknown(Input.NONE, 4));
        assertThat(strided.outputShape()).as("a slice of None is None").isEqualTo(Shape.withUnknown(Input.NONE, 4));
        assertThat(strided.computeOutputShapes(List.of(Shape.of(7, 4)))).containsExactly(Shape.of(3, 4));
        assertThat(call(strided, arange(1, 6, 4)).shape()).isEqualTo(Shape.of(1, 3, 4));

        GetItem third = new GetItem(":, 2");
        third.build(Shape.withUnknown(Input.NONE, 3));
        assertThat(third.outputShape()).isEqualTo(Shape.of(3));
        assertThat(call(third, arange(1, 3, 3)).toArray()).containsExactly(6, 7, 8);
        assertThatThrownBy(() -> call(third, arange(2, 2, 3))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Layer '" + third.name() + "' (GetItem): key [:, 2] index 2 is out of bounds for axis 1 "
                        + "of size 2, input shape (2, 2, 3)");
    }

    @Test
    void theMaskIsDroppedAsKerasDropsItForAnOperation() {
        // Keras 3's GetItem is an Operation: its output tensor carries no _keras_mask, and no warning is given.
        Embedding emb = new Embedding(6, 3).maskZero(true);
        Input ids = Input.shape(4);
        SymbolicTensor e = emb.apply(ids);
        GetItem g = new GetItem(":, :, :2");
        Model m = Model.of(ids, new GlobalAveragePooling1D().apply(g.apply(e)));
        float[] idv = {1, 2, 0, 0, 3, 0, 0, 0};
        float[] table = emb.weights().get(0).value().toArray();
        float[] got = m.predict(Tensor.of(idv, 2, 4)).toArray();
        for (int b = 0; b < 2; b++) {
            for (int f = 0; f < 2; f++) {
                double sum = 0;
                for (int t = 0; t < 4; t++) {
                    sum += table[(int) idv[b * 4 + t] * 3 + f];
                }
                assertThat((double) got[b * 2 + f]).as("mean over all 4 steps, padding included: sample %d, "
                        + "feature %d", b, f).isCloseTo(sum / 4, Offset.offset(1e-6));
            }
        }
        assertThat(g.computeMask(Variable.constant(uniform(r, -1, 1, 2, 4, 3)), Tensor.of(new float[8], 2, 4)))
                .isNull();
        assertThat(g.countParams()).isZero();
    }

    @Test
    void theProgrammaticKeyIsTheStringsAndPrintsAsPython() {
        GetItem a = new GetItem(Index.all(), Index.at(-1), Index.all());
        assertThat(a.key()).isEqualTo(new GetItem(":, -1, :").key());
        assertThat(a.keyString()).isEqualTo(":, -1, :");
        assertThat(new GetItem(" ... ,0 ").key()).containsExactly(Index.ELLIPSIS, Index.at(0));
        assertThat(new GetItem(":, 2:10:2").key()).containsExactly(Index.all(), Index.range(2, 10, 2));
        assertThat(new GetItem(":, None").key()).containsExactly(Index.all(), Index.NEW_AXIS);
        assertThat(new GetItem(":, np.newaxis, -3:None:-1,").keyString()).isEqualTo(":, None, -3::-1");
        assertThat(new GetItem(Index.ELLIPSIS, Index.range(null, null, -2), Index.NEW_AXIS).keyString())
                .isEqualTo("..., ::-2, None");
        assertThat(a.name()).startsWith("get_item");
        assertThat(a.className()).isEqualTo("GetItem");
    }

    @Test
    void badKeysAreRefusedNamingTheKeyAndTheShape() {
        String[][] unreadable = {
            {"", "the key is empty"}, {":, a", "entry 1 'a' is not an int, a slice start:stop:step, '...' or None"},
            {":, 1:2:3:4", "entry 1 '1:2:3:4' is not a slice start:stop:step"},
            {":, 1:x", "entry 1 '1:x' is not a slice start:stop:step of ints"},
            {":, ::0", "slice step cannot be zero ('::0')"},
            {":, , 1", "entry 1 '' is not an int, a slice start:stop:step, '...' or None"}};
        for (String[] c : unreadable) {
            assertThatThrownBy(() -> new GetItem(c[0])).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageMatching("Layer 'get_item(_\\d+)?' \\(GetItem\\): cannot read key '\\Q" + c[0]
                            + "\\E': \\Q" + c[1] + "\\E");
        }
        assertThatThrownBy(() -> new GetItem("..., 0, ...")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("(GetItem): key [..., 0, ...] has more than one ellipsis ('...'); an index can "
                        + "only have a single ellipsis");
        assertThatThrownBy(() -> new GetItem(Index.all(), null)).hasMessageEndingWith("holds null; use "
                + "Index.NEW_AXIS for Python's None");
        assertThatThrownBy(() -> Index.range(1, 2, 0)).hasMessage("slice step cannot be zero");
        String[][] unfit = {
            {":, 0, 0, 0", "key [:, 0, 0, 0] has too many indices for the input's axes, input shape (None, 3, 4)"},
            {":, 3", "key [:, 3] index 3 is out of bounds for axis 1 of size 3, input shape (None, 3, 4)"},
            {"..., -5", "key [..., -5] index -5 is out of bounds for axis 2 of size 4, input shape (None, 3, 4)"},
            {"0, :", "key [0, :] indexes the batch axis with 0; rnn4j takes the batch axis whole (':' or '...' "
                + "first), input shape (None, 3, 4)"},
            {"1:, :", "key [1:, :] slices the batch axis with '1:'; rnn4j takes the batch axis whole (':' or "
                + "'...' first), input shape (None, 3, 4)"},
            {"None, ...", "key [None, ...] adds an axis before the batch axis; rnn4j keeps the batch axis first, "
                + "input shape (None, 3, 4)"},
            {"..., 0, 0, 0", "key [..., 0, 0, 0] indexes the batch axis with 0; rnn4j takes the batch axis whole "
                + "(':' or '...' first), input shape (None, 3, 4)"}};
        for (String[] c : unfit) {
            GetItem g = new GetItem(c[0]);
            assertThatThrownBy(() -> g.build(Shape.of(3, 4))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Layer '" + g.name() + "' (GetItem): " + c[1]);
            assertThat(g.isBuilt()).isFalse();
        }
        GetItem g = built(":, -1", 2, 3, 4);
        assertThatThrownBy(() -> call(g, arange(2, 3))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Input of layer '" + g.name() + "' (GetItem) is incompatible with the layer: expected "
                        + "shape=(None, None, None), found shape=(2, 3)");
        Input in = Input.shape(3, 4);
        assertThatThrownBy(() -> new GetItem(":, 3").apply(in)).hasMessageContaining("index 3 is out of bounds");
        assertThatThrownBy(() -> Sequential.of(Input.shape(3, 4), new GetItem(":, -1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("(GetItem, an operation in Keras) cannot be in a Sequential model; "
                        + "apply it in a functional model (Model.of)");
    }
}
