package io.rnn4j.layers.ops;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.GlobalAveragePooling1D;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Session;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.model.Model;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The operations' numbers in functional models against plain float64 loops ({@link Nd}), as Keras
 * 3 computes them on its TensorFlow backend: IEEE float32 arithmetic is correctly rounded, so
 * add, subtract, multiply and divide (numbers as float32 scalars) equal the float64 result rounded
 * to float32 bit for bit, as do negative, relu, the maxima and minima and every reshaping; sums,
 * means, matrix products and the transcendental functions agree within float32 rounding (TF's
 * summation order is its own). Also: None timesteps, masks dropped as Keras drops them through an
 * operation, and how operations show in Model.layers(), the summary and their names. Seed 5.
 */
class KerasOpsTest {
    private final Random r = new Random(5);

    /** The model from Inputs of the tensors' sample shapes through {@code graph}, run on them. */
    private static Tensor run(Function<List<Input>, SymbolicTensor> graph, Tensor... xs) {
        List<Input> ins = new ArrayList<>();
        for (Tensor x : xs) {
            int[] d = x.shape().dims();
            ins.add(Input.shape(Arrays.copyOfRange(d, 1, d.length)));
        }
        Model m = Model.of(ins, graph.apply(ins));
        return m.predict(Arrays.asList(xs)).get(0);
    }

    private static void exact(String what, Tensor got, Nd want) {
        assertThat(got.shape().dims()).as("%s: shape", what).containsExactly(want.shape());
        float[] g = got.toArray();
        for (int i = 0; i < g.length; i++) {
            assertThat(g[i]).as("%s: element %d, float32 of the float64 result", what, i)
                    .isEqualTo((float) want.v()[i]);
        }
    }

    private static void close(String what, Tensor got, Nd want, double tol) {
        assertThat(got.shape().dims()).as("%s: shape", what).containsExactly(want.shape());
        float[] g = got.toArray();
        for (int i = 0; i < g.length; i++) {
            double w = want.v()[i];
            assertThat((double) g[i]).as("%s: element %d", what, i).isCloseTo(w, Offset.offset(tol * Math.max(1,
                    Math.abs(w))));
        }
    }

    @Test
    void arithmeticBroadcastsAndTakesANumberOnEitherSideBitForBit() {
        Tensor x = uniform(r, -2, 2, 3, 4, 5);
        Tensor y = uniform(r, 0.5f, 2, 3, 1, 5);
        Nd nx = Nd.of(x);
        Nd ny = Nd.of(y);
        double c = 0.3; // not a float32: the backend converts it to float32 first
        double cf = (float) c;
        exact("x + y", run(i -> KerasOps.add(i.get(0), i.get(1)), x, y), Nd.binary(nx, ny, Double::sum));
        exact("x - y", run(i -> KerasOps.subtract(i.get(0), i.get(1)), x, y), Nd.binary(nx, ny, (a, b) -> a - b));
        exact("x * y", run(i -> KerasOps.multiply(i.get(0), i.get(1)), x, y), Nd.binary(nx, ny, (a, b) -> a * b));
        exact("divide(x, y)", run(i -> KerasOps.divide(i.get(0), i.get(1)), x, y),
                Nd.binary(nx, ny, (a, b) -> a / b));
        exact("y / x", run(i -> KerasOps.trueDivide(i.get(1), i.get(0)), x, y), Nd.binary(ny, nx, (a, b) -> a / b));
        exact("x + 0.3", run(i -> KerasOps.add(i.get(0), c), x), nx.map(a -> a + cf));
        exact("0.3 + x", run(i -> KerasOps.add(c, i.get(0)), x), nx.map(a -> cf + a));
        exact("x - 0.3", run(i -> KerasOps.subtract(i.get(0), c), x), nx.map(a -> a - cf));
        exact("1 - x", run(i -> KerasOps.subtract(1, i.get(0)), x), nx.map(a -> 1 - a));
        exact("x * 0.3", run(i -> KerasOps.multiply(i.get(0), c), x), nx.map(a -> a * cf));
        exact("x / 0.3 (a division, not a product by 1/0.3)", run(i -> KerasOps.trueDivide(i.get(0), c), x),
                nx.map(a -> a / cf));
        exact("0.3 / y", run(i -> KerasOps.divide(c, i.get(0)), y), ny.map(a -> cf / a));
        exact("-x", run(i -> KerasOps.negative(i.get(0)), x), nx.map(a -> -a));
        exact("relu(x)", run(i -> KerasOps.relu(i.get(0)), x), nx.map(a -> Math.max(a, 0)));
        // (3, 1, 5) against (3, 4, 1): both broadcast.
        Tensor z = uniform(r, -1, 1, 3, 4, 1);
        exact("y * z, both broadcast", run(i -> KerasOps.multiply(i.get(0), i.get(1)), y, z),
                Nd.binary(ny, Nd.of(z), (a, b) -> a * b));
    }

    @Test
    void activationsMatchTheirFormulas() {
        Tensor x = uniform(r, -4, 4, 2, 3, 5);
        Nd nx = Nd.of(x);
        close("tanh", run(i -> KerasOps.tanh(i.get(0)), x), nx.map(Math::tanh), 1e-6);
        close("sigmoid", run(i -> KerasOps.sigmoid(i.get(0)), x), nx.map(a -> 1 / (1 + Math.exp(-a))), 1e-6);
        close("softmax", run(i -> KerasOps.softmax(i.get(0)), x), nx.softmax(2), 1e-6);
        close("softmax axis 1", run(i -> KerasOps.softmax(i.get(0), 1), x), nx.softmax(1), 1e-6);
        close("softmax axis -2", run(i -> KerasOps.softmax(i.get(0), -2), x), nx.softmax(1), 1e-6);
    }

    @Test
    void reductionsOverOneOrSeveralAxesWithAndWithoutKeepdims() {
        Tensor x = uniform(r, -3, 3, 2, 3, 4, 5);
        Nd nx = Nd.of(x);
        double n12 = 12;
        close("mean axis 1", run(i -> KerasOps.mean(i.get(0), 1), x), nx.reduce(new int[] {1}, false,
                v -> Nd.sum(v) / 3), 1e-6);
        close("mean axis [1, 2] keepdims", run(i -> KerasOps.mean(i.get(0), new int[] {1, 2}, true), x),
                nx.reduce(new int[] {1, 2}, true, v -> Nd.sum(v) / n12), 1e-6);
        close("mean axis [-1, 1]", run(i -> KerasOps.mean(i.get(0), new int[] {-1, 1}, false), x),
                nx.reduce(new int[] {1, 3}, false, v -> Nd.sum(v) / 15), 1e-6);
        close("sum axis -1 keepdims", run(i -> KerasOps.sum(i.get(0), -1, true), x), nx.reduce(new int[] {3}, true,
                Nd::sum), 1e-6);
        close("sum axis [1, 3]", run(i -> KerasOps.sum(i.get(0), new int[] {1, 3}, false), x),
                nx.reduce(new int[] {1, 3}, false, Nd::sum), 1e-6);
        exact("max axis 2", run(i -> KerasOps.max(i.get(0), 2), x), nx.reduce(new int[] {2}, false, Nd::max));
        exact("max axis [1, 2] keepdims", run(i -> KerasOps.max(i.get(0), new int[] {1, 2}, true), x),
                nx.reduce(new int[] {1, 2}, true, Nd::max));
        exact("max axis [1, 3] (not adjacent)", run(i -> KerasOps.max(i.get(0), new int[] {1, 3}, false), x),
                nx.reduce(new int[] {1, 3}, false, Nd::max));
        exact("min axis 1", run(i -> KerasOps.min(i.get(0), 1), x), nx.reduce(new int[] {1}, false, Nd::min));
        exact("min axis [3, 1] keepdims", run(i -> KerasOps.min(i.get(0), new int[] {3, 1}, true), x),
                nx.reduce(new int[] {1, 3}, true, Nd::min));
        exact("max axis [] (nothing reduced)", run(i -> KerasOps.max(i.get(0), new int[0], false), x), nx);
        exact("max with initial 0.5", run(i -> new Reduction(Reduction.Kind.MAX, Axis.of(1), false, 0.5)
                .apply(i.get(0)), x), nx.reduce(new int[] {1}, false, v -> Math.max(Nd.max(v), 0.5)));
        exact("min with initial 0.5", run(i -> new Reduction(Reduction.Kind.MIN, Axis.list(1, 2), true, 0.5)
                .apply(i.get(0)), x), nx.reduce(new int[] {1, 2}, true, v -> Math.min(Nd.min(v), 0.5)));
    }

    @Test
    void shapingMovesValuesAsNumPyDoes() {
        Tensor x = uniform(r, -1, 1, 2, 3, 1, 4);
        Nd nx = Nd.of(x);
        exact("expand_dims -1", run(i -> KerasOps.expandDims(i.get(0), -1), x), nx.reshape(2, 3, 1, 4, 1));
        exact("expand_dims [1, 3]", run(i -> KerasOps.expandDims(i.get(0), new int[] {1, 3}), x),
                nx.reshape(2, 1, 3, 1, 1, 4));
        exact("squeeze", run(i -> KerasOps.squeeze(i.get(0)), x), nx.reshape(2, 3, 4));
        exact("squeeze axis -2", run(i -> KerasOps.squeeze(i.get(0), -2), x), nx.reshape(2, 3, 4));
        exact("reshape (-1, 12)", run(i -> KerasOps.reshape(i.get(0), -1, 12), x), nx.reshape(2, 12));
        exact("reshape (-1, 4, 3)", run(i -> KerasOps.reshape(i.get(0), -1, 4, 3), x), nx.reshape(2, 4, 3));
        exact("transpose (0, 3, 1, 2)", run(i -> KerasOps.transpose(i.get(0), 0, 3, 1, 2), x),
                nx.transpose(0, 3, 1, 2));
        exact("transpose (0, -1, -3, 2)", run(i -> KerasOps.transpose(i.get(0), 0, -1, -3, 2), x),
                nx.transpose(0, 3, 1, 2));
        Tensor y = uniform(r, -1, 1, 2, 3, 1, 2);
        exact("concatenate axis -1", run(i -> KerasOps.concatenate(i, -1), x, y), Nd.concat(List.of(nx, Nd.of(y)), 3));
        Tensor z = uniform(r, -1, 1, 2, 5, 1, 4);
        exact("concatenate three on axis 1", run(i -> KerasOps.concatenate(i, 1), x, z, x),
                Nd.concat(List.of(nx, Nd.of(z), nx), 1));
    }

    @Test
    void matmulMultipliesTheLastTwoAxesAndBroadcastsTheOthers() {
        Tensor a = uniform(r, -1, 1, 3, 4, 5);
        Tensor b = uniform(r, -1, 1, 3, 5, 2);
        close("(3, 4, 5) @ (3, 5, 2)", run(i -> KerasOps.matmul(i.get(0), i.get(1)), a, b),
                Nd.matmul(Nd.of(a), Nd.of(b)), 1e-6);
        Tensor c = uniform(r, -1, 1, 3, 2, 4, 5);
        Tensor d = uniform(r, -1, 1, 3, 1, 5, 6);
        close("(3, 2, 4, 5) @ (3, 1, 5, 6)", run(i -> KerasOps.matmul(i.get(0), i.get(1)), c, d),
                Nd.matmul(Nd.of(c), Nd.of(d)), 1e-6);
    }

    @Test
    void noneTimestepsTakeAnyLengthAtRunTime() {
        Input in = Input.shape(Input.NONE, 3);
        SymbolicTensor h = new Dense(3).apply(in);
        SymbolicTensor res = KerasOps.add(h, in);
        SymbolicTensor pooled = KerasOps.mean(res, 1);
        SymbolicTensor rows = KerasOps.max(KerasOps.transpose(res, 0, 2, 1), -1);
        assertThat(res.shape().dims()).containsExactly(Input.NONE, 3);
        assertThat(pooled.shape().dims()).containsExactly(3);
        Model m = Model.of(List.of(in), List.of(pooled, rows));
        Model hOnly = Model.of(in, h);
        for (int steps : new int[] {2, 7}) {
            Tensor x = uniform(r, -1, 1, 2, steps, 3);
            Nd sum = Nd.binary(Nd.of(hOnly.predict(x)), Nd.of(x), Double::sum);
            List<Tensor> out = m.predict(List.of(x));
            close(steps + " steps: mean over the steps", out.get(0), sum.reduce(new int[] {1}, false,
                    v -> Nd.sum(v) / steps), 1e-6);
            exact(steps + " steps: max over the steps", out.get(1), sum.reduce(new int[] {1}, false, Nd::max));
        }
    }

    @Test
    void aMaskIsDroppedWithoutAWarningAsKerasDropsItThroughAnOperation() {
        // Operation.symbolic_call records the node only; the backend op's output has no _keras_mask.
        Input ids = Input.shape(4);
        Embedding emb = new Embedding(6, 3).maskZero(true);
        SymbolicTensor scaled = KerasOps.multiply(emb.apply(ids), 2.0);
        Model m = Model.of(ids, new GlobalAveragePooling1D().apply(scaled));
        float[] idv = {1, 2, 0, 0, 3, 0, 0, 0};
        float[] table = emb.weights().get(0).value().toArray();
        float[] got = m.predict(Tensor.of(idv, 2, 4)).toArray();
        for (int b = 0; b < 2; b++) {
            for (int f = 0; f < 3; f++) {
                double sum = 0;
                for (int t = 0; t < 4; t++) {
                    sum += 2.0 * table[(int) idv[b * 4 + t] * 3 + f];
                }
                assertThat((double) got[b * 3 + f]).as("the mean over all 4 steps, padding included: sample %d, "
                        + "feature %d", b, f).isCloseTo(sum / 4, Offset.offset(1e-6));
            }
        }
    }

    @Test
    void operationsAreNamedAsKerasNamesThemAndListedAmongTheLayers() {
        Session.clear(); // keras.backend.clear_session()
        Input in = Input.shape(5, 2).named("input_layer");
        SymbolicTensor a = KerasOps.add(in, in);
        SymbolicTensor b = KerasOps.add(KerasOps.trueDivide(a, 2), 1.0);
        SymbolicTensor m = KerasOps.mean(KerasOps.relu(b), 1);
        Model model = Model.of(in, new Dense(1).apply(m));
        assertThat(model.layers()).extracting(Layer::name).containsExactly("input_layer", "add", "true_divide",
                "add_1", "relu", "mean", "dense");
        assertThat(model.layers()).extracting(Layer::className).containsExactly("InputLayer", "Add", "TrueDivide",
                "Add", "Relu", "Mean", "Dense");
        assertThat(model.layer("mean").countParams()).isZero();
        String summary = model.summary();
        System.out.println(summary);
        assertThat(summary).contains("true_divide (TrueDivide)").contains("mean (Mean)").contains("Total params: 3");
        assertThat(((Unary) model.layer("relu")).kerasModule()).isEqualTo("keras.src.ops.nn");
        assertThat(((Reduction) model.layer("mean")).kerasModule()).isEqualTo("keras.src.ops.numpy");
    }
}
