package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Devices;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Concatenate, Add, Subtract, Multiply and Average: forward against a float64 evaluation of Keras's
 * formulas (to 1e-6), every input's gradient against float64 central differences
 * ({@link GradCheck}), Keras's output masks, and refusals naming the layer. Seed 43.
 */
class MergeLayersTest {
    private final Random r = new Random(43);

    static Layer built(Layer layer, Tensor... xs) {
        List<Shape> shapes = new ArrayList<>();
        for (Tensor x : xs) {
            shapes.add(x.shape().tail());
        }
        layer.build(shapes, Devices.defaultDevice(), Seeds.of(1));
        return layer;
    }

    static List<Variable> constants(Tensor... xs) {
        return Arrays.stream(xs).map(Variable::constant).toList();
    }

    /** Checks d(output)/d(every input) of a built layer of several inputs. */
    static void gradients(String what, Layer layer, List<Tensor> masks, Tensor... xs) {
        List<Variable> in = Arrays.stream(xs).map(Variable::parameter).toList();
        List<Variable> params = new ArrayList<>(in);
        layer.weights().forEach(w -> params.add(w.variable()));
        GradCheck.checkParameters(what, () -> layer.callAll(in, masks, CallContext.inference()).get(0), params);
    }

    static void close(String what, float[] actual, double[] expected, double tol) {
        assertThat(actual).as("%s size", what).hasSize(expected.length);
        for (int i = 0; i < actual.length; i++) {
            assertThat((double) actual[i]).as("%s element %d", what, i)
                    .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(tol * Math.max(1, Math.abs(expected[i]))));
        }
    }

    @Test
    void concatenateJoinsAlongTheAxisAndItsGradientSplitsBack() {
        Tensor a = uniform(r, -1, 1, 2, 3, 4);
        Tensor b = uniform(r, -1, 1, 2, 3, 1);
        Tensor c = uniform(r, -1, 1, 2, 3, 2);
        Concatenate features = (Concatenate) built(new Concatenate(), a, b, c);
        assertThat(features.outputShape()).isEqualTo(Shape.of(3, 7));
        float[] y = features.callAll(constants(a, b, c), null, CallContext.inference()).get(0).value().toArray();
        float[] av = a.toArray();
        float[] bv = b.toArray();
        float[] cv = c.toArray();
        double[] expected = new double[2 * 3 * 7];
        for (int row = 0; row < 6; row++) {
            for (int j = 0; j < 7; j++) {
                expected[row * 7 + j] = j < 4 ? av[row * 4 + j] : j < 5 ? bv[row] : cv[row * 2 + j - 5];
            }
        }
        close("concatenate axis -1", y, expected, 0);
        gradients("Concatenate axis -1", features, null, a, b, c);

        Tensor d = uniform(r, -1, 1, 2, 5, 4);
        Concatenate time = (Concatenate) built(new Concatenate(1), a, d);
        assertThat(time.outputShape()).isEqualTo(Shape.of(8, 4));
        gradients("Concatenate axis 1", time, null, a, d);
    }

    @Test
    void concatenateMasksAreKerasAny() {
        Device dev = Devices.defaultDevice();
        Tensor a = uniform(r, -1, 1, 2, 3, 2);
        Tensor b = uniform(r, -1, 1, 2, 3, 2);
        Tensor ma = dev.tensor(new float[] {1, 0, 1, 0, 0, 1}, 2, 3);
        Tensor mb = dev.tensor(new float[] {0, 0, 1, 1, 0, 0}, 2, 3);
        Layer features = built(new Concatenate(), a, b);
        List<Variable> in = constants(a, b);
        assertThat(features.computeMasks(in, Arrays.asList(ma, mb)).get(0).toArray())
                .as("features axis: OR").containsExactly(1, 0, 1, 1, 0, 1);
        assertThat(features.computeMasks(in, Arrays.asList(ma, null)).get(0).toArray())
                .as("an unmasked input counts as all ones").containsExactly(1, 1, 1, 1, 1, 1);
        assertThat(features.computeMasks(in, Arrays.asList(null, null)).get(0)).isNull();
        Layer time = built(new Concatenate(1), a, b);
        assertThat(time.computeMasks(in, Arrays.asList(ma, null)).get(0).toArray())
                .as("time axis: the masks joined").containsExactly(1, 0, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1);
    }

    @Test
    void elementwiseMergesWithBroadcasting() {
        Tensor a = uniform(r, -1, 1, 2, 3, 4);
        Tensor b = uniform(r, -1, 1, 2, 1, 4);
        Tensor c = uniform(r, -1, 1, 2, 4);
        float[] av = a.toArray();
        float[] bv = b.toArray();
        float[] cv = c.toArray();
        double[] sum = new double[24];
        double[] diff = new double[24];
        double[] product = new double[24];
        double[] mean = new double[24];
        for (int n = 0; n < 2; n++) {
            for (int t = 0; t < 3; t++) {
                for (int f = 0; f < 4; f++) {
                    int i = (n * 3 + t) * 4 + f;
                    double x = av[i];
                    double y = bv[n * 4 + f];
                    double z = cv[n * 4 + f];
                    sum[i] = (float) ((float) (x + y) + z);
                    diff[i] = (float) (x - y);
                    product[i] = (float) ((float) (x * y) * z);
                    mean[i] = (float) ((float) (x + y) + z) / 3f;
                }
            }
        }
        Layer add = built(new Add(), a, b, c);
        assertThat(add.outputShape()).isEqualTo(Shape.of(3, 4));
        close("add", add.callAll(constants(a, b, c), null, CallContext.inference()).get(0).value().toArray(), sum, 0);
        Layer sub = built(new Subtract(), a, b);
        close("subtract", sub.callAll(constants(a, b), null, CallContext.inference()).get(0).value().toArray(), diff, 0);
        Layer mul = built(new Multiply(), a, b, c);
        close("multiply", mul.callAll(constants(a, b, c), null, CallContext.inference()).get(0).value().toArray(),
                product, 0);
        Layer avg = built(new Average(), a, b, c);
        close("average", avg.callAll(constants(a, b, c), null, CallContext.inference()).get(0).value().toArray(),
                mean, 0);
        gradients("Add, broadcast and lower rank", add, null, a, b, c);
        gradients("Subtract", sub, null, a, b);
        gradients("Multiply", mul, null, a, b, c);
        gradients("Average", avg, null, a, b, c);
    }

    @Test
    void mergeMasksAndMultiplysMaskedProduct() {
        Device dev = Devices.defaultDevice();
        Tensor a = uniform(r, -1, 1, 2, 3, 2);
        Tensor b = uniform(r, -1, 1, 2, 3, 2);
        Tensor ma = dev.tensor(new float[] {1, 0, 1, 0, 0, 1}, 2, 3);
        Tensor mb = dev.tensor(new float[] {0, 0, 1, 1, 0, 1}, 2, 3);
        Layer add = built(new Add(), a, b);
        List<Variable> in = constants(a, b);
        assertThat(add.computeMasks(in, Arrays.asList(ma, mb)).get(0).toArray()).containsExactly(1, 0, 1, 1, 0, 1);
        assertThat(add.computeMasks(in, Arrays.asList(ma, null)).get(0)).as("any input unmasked: no mask").isNull();
        // Keras 3's Multiply: a masked position counts as 1; zero where no input is used.
        Layer mul = built(new Multiply(), a, b);
        float[] y = mul.callAll(in, Arrays.asList(ma, mb), CallContext.inference()).get(0).value().toArray();
        float[] av = a.toArray();
        float[] bv = b.toArray();
        float[] m1 = ma.toArray();
        float[] m2 = mb.toArray();
        double[] expected = new double[12];
        for (int i = 0; i < 12; i++) {
            int step = i / 2;
            double x = m1[step] == 1 ? av[i] : 1;
            double z = m2[step] == 1 ? bv[i] : 1;
            expected[i] = m1[step] == 1 || m2[step] == 1 ? (float) (x * z) : 0;
        }
        close("masked multiply", y, expected, 0);
        gradients("Multiply masked", mul, Arrays.asList(ma, mb), a, b);
    }

    @Test
    void incompatibleShapesAreRefusedNamingTheLayer() {
        Input a = Input.shape(4, 3);
        Input b = Input.shape(5, 3);
        assertThatThrownBy(() -> new Concatenate().named("join").apply(a, b))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'join' (Concatenate) requires inputs with matching shapes except for the "
                        + "concatenation axis -1").hasMessageContaining("(None, 4, 3)").hasMessageContaining("(None, 5, 3)");
        assertThat(new Concatenate(1).apply(a, b).shape()).isEqualTo(Shape.of(9, 3));
        assertThatThrownBy(() -> new Concatenate(0).named("batch_join").apply(a, a))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'batch_join'")
                .hasMessageContaining("the batch axis");
        assertThatThrownBy(() -> new Add().named("sum").apply(a, b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'sum' (Add): inputs have incompatible shapes [(None, 4, 3), (None, 5, 3)]");
        assertThatThrownBy(() -> new Subtract().named("minus").apply(a, a, a))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Layer 'minus' (Subtract) takes 2 inputs, got 3");
        Layer join = built(new Concatenate().named("join2"), uniform(r, -1, 1, 2, 4, 3), uniform(r, -1, 1, 2, 4, 1));
        assertThatThrownBy(() -> join.callAll(constants(uniform(r, -1, 1, 2, 4, 3), uniform(r, -1, 1, 3, 4, 1)), null,
                CallContext.inference())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'join2' (Concatenate): inputs must be batches of one size");
    }
}
