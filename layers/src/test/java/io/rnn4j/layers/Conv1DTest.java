package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Sequential;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Conv1D against a plain float64 convolution written here for every padding ("valid", "same",
 * "causal"), strides, dilation rates, groups, odd and even lengths and lengths shorter than the
 * kernel (to 1e-5 of the reference); hand-worked windows pin TensorFlow's "same" split (the extra
 * padding on the right); input, kernel and bias gradients against float64 finite differences
 * ({@link GradCheck}); None steps, the dropped mask, parameter counts and every refusal. Seed 11.
 */
class Conv1DTest {
    private static final long SEED = 11;
    private final Random r = new Random(SEED);

    /** The float64 reference: Keras's output length and TF's padding worked out independently of Windows. */
    static double[][][] reference(float[] x, int batch, int steps, int channels, float[] kernel, float[] bias,
            int filters, int k, int stride, int dilation, String padding, int groups) {
        int reach = (k - 1) * dilation + 1;
        int out;
        int left;
        switch (padding) {
            case "valid" -> {
                out = (int) Math.floor((steps - reach) / (double) stride) + 1;
                left = 0;
            }
            case "causal" -> {
                out = (int) Math.floor((steps - 1) / (double) stride) + 1;
                left = reach - 1;
            }
            default -> {
                out = (int) Math.ceil(steps / (double) stride);
                left = Math.max((out - 1) * stride + reach - steps, 0) / 2;
            }
        }
        int cg = channels / groups;
        int fg = filters / groups;
        double[][][] y = new double[batch][out][filters];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < out; t++) {
                for (int f = 0; f < filters; f++) {
                    double s = bias == null ? 0 : bias[f];
                    int g = f / fg;
                    for (int j = 0; j < k; j++) {
                        int pos = t * stride + j * dilation - left;
                        if (pos < 0 || pos >= steps) {
                            continue;
                        }
                        for (int c = 0; c < cg; c++) {
                            s += (double) x[(b * steps + pos) * channels + g * cg + c] * kernel[(j * cg + c) * filters + f];
                        }
                    }
                    y[b][t][f] = s;
                }
            }
        }
        return y;
    }

    static void assertClose(String what, Tensor actual, double[][][] expected) {
        assertThat(actual.shape()).as(what + ": shape").isEqualTo(Shape.of(expected.length, expected[0].length,
                expected[0][0].length));
        float[] a = actual.toArray();
        int i = 0;
        for (double[][] sample : expected) {
            for (double[] step : sample) {
                for (double v : step) {
                    assertThat((double) a[i]).as("%s: element %d", what, i).isCloseTo(v,
                            org.assertj.core.data.Offset.offset(1e-5 * (1 + Math.abs(v))));
                    i++;
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} k={1} strides={2} dilation={3} groups={4} steps={5}")
    @CsvSource({
        "valid, 3, 1, 1, 1, 7", "valid, 3, 1, 1, 1, 8", "valid, 3, 2, 1, 1, 7", "valid, 3, 2, 1, 1, 8",
        "valid, 4, 3, 1, 1, 9", "valid, 2, 1, 3, 1, 8", "valid, 3, 1, 1, 1, 3", "valid, 1, 1, 1, 1, 5",
        "same, 3, 1, 1, 1, 7", "same, 4, 1, 1, 1, 8", "same, 4, 2, 1, 1, 7", "same, 3, 3, 1, 1, 8",
        "same, 5, 1, 1, 1, 2", "same, 2, 1, 1, 1, 1", "same, 3, 1, 2, 1, 6", "same, 4, 1, 3, 1, 5",
        "same, 6, 4, 1, 1, 3",
        "causal, 3, 1, 1, 1, 7", "causal, 2, 1, 4, 1, 6", "causal, 4, 1, 1, 1, 2", "causal, 3, 2, 1, 1, 8",
        "causal, 3, 3, 1, 1, 7", "causal, 5, 1, 2, 1, 1",
        "valid, 3, 1, 1, 2, 6", "same, 2, 2, 1, 3, 5", "causal, 3, 1, 2, 2, 5"})
    void forwardMatchesFloat64Reference(String padding, int k, int strides, int dilation, int groups, int steps) {
        int batch = 3;
        int channels = 6;
        int filters = 6;
        Conv1D conv = new Conv1D(filters, k).padding(padding).strides(strides).dilationRate(dilation).groups(groups)
                .biasInitializer(io.rnn4j.layers.initializers.Initializers.randomUniform(-1, 1));
        conv.build(Shape.of(steps, channels));
        Tensor x = uniform(r, -1, 1, batch, steps, channels);
        Tensor y = conv.call(Variable.constant(x), null, CallContext.inference()).value();
        double[][][] expected = reference(x.toArray(), batch, steps, channels, conv.weights().get(0).value().toArray(),
                conv.weights().get(1).value().toArray(), filters, k, strides, dilation, padding, groups);
        assertClose(padding + " k=" + k + " s=" + strides + " d=" + dilation + " g=" + groups + " steps=" + steps, y,
                expected);
        assertThat(conv.outputShape()).isEqualTo(Shape.of(expected[0].length, filters));
    }

    @Test
    void sameAndCausalPaddingPlaceTheZerosAsTensorFlowDoes() {
        // x = 1..4 on one channel, a kernel of four ones: each output is the sum of its window.
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 1, 4, 1);
        Conv1D same = ones(new Conv1D(1, 4).padding("SAME"));
        // TF pads 3 in all: 1 on the left, 2 on the right, so the first window is (0, 1, 2, 3).
        assertThat(run(same, x)).containsExactly(6, 10, 9, 7);
        Conv1D causal = ones(new Conv1D(1, 4).padding("causal"));
        assertThat(run(causal, x)).containsExactly(1, 3, 6, 10);
        Conv1D strided = ones(new Conv1D(1, 2).padding("same").strides(2));
        // 5 steps, 3 outputs: 1 of padding in all, on the right.
        assertThat(run(strided, Tensor.of(new float[] {1, 2, 3, 4, 5}, 1, 5, 1))).containsExactly(3, 7, 5);
        Conv1D dilated = ones(new Conv1D(1, 2).dilationRate(2));
        assertThat(run(dilated, x)).containsExactly(4, 6);
    }

    private static Conv1D ones(Conv1D c) {
        c.kernelInitializer(io.rnn4j.layers.initializers.Initializers.ones()).build(Shape.withUnknown(Input.NONE, 1));
        return c;
    }

    private static float[] run(Layer l, Tensor x) {
        return l.call(Variable.constant(x), null, CallContext.inference()).value().toArray();
    }

    @Test
    void gradientsOfInputKernelAndBiasMatchFiniteDifferences() {
        check("valid", new Conv1D(3, 3), Shape.of(6, 2));
        check("same strided tanh", new Conv1D(2, 4, "tanh").padding("same").strides(2), Shape.of(7, 3));
        check("causal dilated", new Conv1D(2, 2).padding("causal").dilationRate(2), Shape.of(5, 2));
        check("same shorter than the kernel", new Conv1D(2, 5).padding("same"), Shape.of(3, 2));
        check("grouped without bias", new Conv1D(4, 2).groups(2).useBias(false), Shape.of(5, 4));
    }

    private void check(String what, Layer layer, Shape sample) {
        layer.build(sample);
        Variable in = Variable.parameter(uniform(r, -1, 1, 2, sample.dim(0), sample.dim(1)));
        GradCheck.checkLayer("Conv1D " + what, layer, in, () -> layer.call(in, null, CallContext.inference()));
    }

    @Test
    void noneStepsGiveNoneAndAnyLengthRuns() {
        Sequential m = Sequential.of(Input.shape(Input.NONE, 3), new Conv1D(4, 3, "relu").padding("same"),
                new Conv1D(2, 2).strides(2));
        assertThat(m.layers().get(0).outputShape()).isEqualTo(Shape.withUnknown(Shape.UNKNOWN, 4));
        assertThat(m.outputShape()).isEqualTo(Shape.withUnknown(Shape.UNKNOWN, 2));
        assertThat(m.predict(uniform(r, -1, 1, 2, 9, 3)).shape()).isEqualTo(Shape.of(2, 4, 2));
        assertThat(m.predict(uniform(r, -1, 1, 2, 4, 3)).shape()).isEqualTo(Shape.of(2, 2, 2));
        assertThat(m.layers().get(1).computeOutputShapes(List.of(Shape.of(11, 4)))).containsExactly(Shape.of(5, 2));
    }

    @Test
    void theMaskIsDroppedAsKeras3DropsIt() {
        Conv1D conv = new Conv1D(2, 2);
        conv.build(Shape.of(4, 1));
        Tensor mask = Tensor.of(new float[] {1, 1, 0, 0}, 1, 4);
        Variable x = Variable.constant(Tensor.of(new float[] {1, 2, 0, 0}, 1, 4, 1));
        assertThat(conv.computeMask(x, mask)).isNull();
        // Masked steps are convolved like the others (Keras 3's Conv1D.call takes no mask).
        assertThat(run(conv, x.value())).isEqualTo(conv.call(x, mask, CallContext.inference()).value().toArray());
    }

    @Test
    void weightsAndParameterCountsAreKeras() {
        Sequential m = Sequential.of(Input.shape(10, 4), new Conv1D(8, 3).named("c"),
                new Conv1D(6, 2).groups(2).useBias(false).named("g"));
        assertThat(m.layers().get(0).weights()).extracting(w -> w.name() + w.shape())
                .containsExactly("kernel(3, 4, 8)", "bias(8,)");
        assertThat(m.layers().get(1).weights()).extracting(w -> w.name() + w.shape()).containsExactly("kernel(2, 4, 6)");
        assertThat(m.layers().get(0).countParams()).isEqualTo(3 * 4 * 8 + 8);
        assertThat(m.layers().get(1).countParams()).isEqualTo(2 * 4 * 6);
        assertThat(m.summary()).contains("c (Conv1D)").contains("(None, 8, 8)").contains("104")
                .contains("g (Conv1D)").contains("(None, 7, 6)").contains("48");
    }

    @Test
    void badOptionsAndInputsAreRefusedByName() {
        assertThatThrownBy(() -> new Conv1D(0, 3)).hasMessageContaining("filters must be >= 1, got 0");
        assertThatThrownBy(() -> new Conv1D(2, 0)).hasMessageContaining("kernel_size must be >= 1, got 0");
        assertThatThrownBy(() -> new Conv1D(2, 3).named("k").padding("full"))
                .hasMessage("Layer 'k' (Conv1D): padding must be 'valid', 'same' or 'causal', got 'full'");
        assertThatThrownBy(() -> new Conv1D(2, 3).named("k").strides(2).dilationRate(2))
                .hasMessage("Layer 'k' (Conv1D): strides > 1 is not supported together with dilation_rate > 1 (as "
                        + "in Keras), got strides=2 and dilation_rate=2");
        assertThatThrownBy(() -> new Conv1D(3, 3).named("k").groups(2))
                .hasMessage("Layer 'k' (Conv1D): filters must be divisible by groups, got filters=3 and groups=2");
        assertThatThrownBy(() -> new Conv1D(4, 3).named("k").groups(2).build(Shape.of(5, 3)))
                .hasMessageContaining("the input's channels must be divisible by groups, got 3 channels");
        assertThatThrownBy(() -> new Conv1D(4, 3).named("k").build(Shape.of(5)))
                .hasMessage("Layer 'k' (Conv1D): expected an input (batch, steps, channels), got (None, 5)");
        assertThatThrownBy(() -> new Conv1D(4, 3).named("k").build(Shape.withUnknown(5, Shape.UNKNOWN)))
                .hasMessageContaining("needs a known size on axis 2");
        assertThatThrownBy(() -> new Conv1D(4, 3).named("k").dilationRate(2).build(Shape.of(4, 2)))
                .hasMessageStartingWith("Layer 'k' (Conv1D): an input of 4 steps gives no output step with padding "
                        + "'valid': a window spans 5 steps (size 3, dilation_rate 2)");
        Conv1D any = new Conv1D(4, 3).named("k");
        any.build(Shape.withUnknown(Shape.UNKNOWN, 2));
        Variable shortInput = Variable.constant(Tensor.zeros(1, 2, 2));
        assertThatThrownBy(() -> any.call(shortInput, null, CallContext.inference()))
                .hasMessageStartingWith("Layer 'k' (Conv1D): an input of 2 steps gives no output step");
        Variable wrongChannels = Variable.constant(Tensor.zeros(1, 5, 3));
        assertThatThrownBy(() -> any.call(wrongChannels, null, CallContext.inference()))
                .hasMessage("Input of layer 'k' (Conv1D) is incompatible with the layer: expected shape=(None, None, "
                        + "2), found shape=(1, 5, 3)");
    }
}
