package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.model.Sequential;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Conv1DTranspose against a plain float64 transposed convolution written here, for every padding,
 * kernel size 1 to 5, strides 1 to 4, output_padding None and 0 to strides − 1, dilation rates 1
 * to 3 (strides 1) and lengths 1 to 4 and 7 (to 1e-5 of the reference). The reference takes the
 * output length from Keras's formulas (backend_utils._get_output_shape_given_tf_padding) and places
 * the taps as Keras's own test reference does (conv_transpose_test.np_conv1d_transpose, through
 * the JAX padding helper), not as the layer does (TensorFlow's "same" padding). Hand-worked outputs
 * pin TensorFlow's placement. Gradients of input, kernel and bias against float64 finite
 * differences ({@link GradCheck}); None steps, the dropped mask, empty inputs, parameter counts and
 * every refusal. Seed 31.
 */
class Conv1DTransposeTest {
    private static final long SEED = 31;
    private final Random r = new Random(SEED);

    /** Keras's output length (valid: (T−1)s + R + op, op defaulting to max(R, s) − R; same: T·s or (T−1)s + R%2 + op). */
    static int kerasLength(int steps, int k, int stride, int dilation, String padding, Integer op) {
        int reach = (k - 1) * dilation + 1;
        if (padding.equals("valid")) {
            return (steps - 1) * stride + reach + (op == null ? Math.max(reach, stride) - reach : op);
        }
        return op == null ? steps * stride : (steps - 1) * stride + reach % 2 + op;
    }

    /** float64 reference: every input step's taps summed into the full result, cropped as Keras's test reference. */
    static double[][][] reference(float[] x, int batch, int steps, int channels, float[] kernel, float[] bias,
            int filters, int k, int stride, int dilation, String padding, Integer op) {
        int reach = (k - 1) * dilation + 1;
        int out = kerasLength(steps, k, stride, dilation, padding, op);
        // Keras's _convert_conv_transpose_padding_args_from_keras_to_jax: the left pad of the full correlation.
        int leftPad;
        if (padding.equals("valid")) {
            leftPad = reach - 1;
        } else {
            int padLen = op == null ? stride + reach - 2 : reach + reach % 2 - 2 + op;
            leftPad = Math.min(padLen / 2 + padLen % 2, reach - 1);
        }
        int crop = reach - 1 - leftPad;
        double[][][] full = new double[batch][(steps - 1) * stride + reach + out + reach][filters];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                for (int j = 0; j < k; j++) {
                    for (int f = 0; f < filters; f++) {
                        for (int c = 0; c < channels; c++) {
                            full[b][t * stride + j * dilation][f] += (double) x[(b * steps + t) * channels + c]
                                    * kernel[(j * filters + f) * channels + c];
                        }
                    }
                }
            }
        }
        double[][][] y = new double[batch][out][filters];
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < out; j++) {
                for (int f = 0; f < filters; f++) {
                    y[b][j][f] = (bias == null ? 0 : bias[f]) + full[b][j + crop][f];
                }
            }
        }
        return y;
    }

    /** TensorFlow refuses "same" with an output_padding that leaves R % 2 + op = 0. */
    static boolean tfRefuses(int k, int dilation, String padding, Integer op) {
        return padding.equals("same") && op != null && ((k - 1) * dilation + 1) % 2 + op == 0;
    }

    @Test
    void forwardMatchesFloat64ReferenceForEveryPaddingStrideAndOutputPadding() {
        int batch = 2;
        int channels = 3;
        int filters = 2;
        int checked = 0;
        for (String padding : List.of("valid", "same")) {
            for (int k = 1; k <= 5; k++) {
                for (int s = 1; s <= 4; s++) {
                    for (int d = 1; d <= (s == 1 ? 3 : 1); d++) {
                        for (int o = -1; o < s; o++) {
                            Integer op = o < 0 ? null : o;
                            if (tfRefuses(k, d, padding, op)) {
                                continue;
                            }
                            for (int steps : new int[] {1, 2, 3, 4, 7}) {
                                check(padding, k, s, d, op, batch, steps, channels, filters);
                                checked++;
                            }
                        }
                    }
                }
            }
        }
        assertThat(checked).as("combinations checked").isGreaterThan(500);
    }

    private void check(String padding, int k, int s, int d, Integer op, int batch, int steps, int channels,
            int filters) {
        String what = padding + " k=" + k + " s=" + s + " d=" + d + " op=" + op + " steps=" + steps + " seed=" + SEED;
        Conv1DTranspose conv = new Conv1DTranspose(filters, k).padding(padding).strides(s).dilationRate(d)
                .outputPadding(op).biasInitializer(Initializers.randomUniform(-1, 1));
        conv.build(Shape.withUnknown(Input.NONE, channels));
        Tensor x = uniform(r, -1, 1, batch, steps, channels);
        Tensor y = conv.call(Variable.constant(x), null, CallContext.inference()).value();
        double[][][] expected = reference(x.toArray(), batch, steps, channels, conv.weights().get(0).value().toArray(),
                conv.weights().get(1).value().toArray(), filters, k, s, d, padding, op);
        Conv1DTest.assertClose(what, y, expected);
        assertThat(conv.computeOutputShapes(List.of(Shape.of(steps, channels)))).as(what)
                .containsExactly(Shape.of(expected[0].length, filters));
    }

    @Test
    void tapsLandWhereTensorFlowPutsThem() {
        Tensor x = Tensor.of(new float[] {1, 2, 3}, 1, 3, 1);
        // "same", strides 2, kernel 3: 6 steps; the matching Conv1D pads 1 on the right, so nothing is cropped.
        assertThat(run(ones(new Conv1DTranspose(1, 3).padding("same").strides(2)), x))
                .containsExactly(1, 1, 3, 2, 5, 3);
        // "same", kernel 4: the full result 1 3 6 6 5 3 loses 1 step on the left, 2 on the right.
        assertThat(run(ones(new Conv1DTranspose(1, 4).padding("same")), x)).containsExactly(3, 6, 6);
        // "valid", strides 3 past a kernel of 2: (3−1)·3 + 3 steps, the third of each stride untouched.
        assertThat(run(ones(new Conv1DTranspose(1, 2).strides(3)), x)).containsExactly(1, 1, 0, 2, 2, 0, 3, 3, 0);
        // output_padding adds steps at the end: "valid", strides 2, kernel 3, output_padding 1.
        assertThat(run(ones(new Conv1DTranspose(1, 3).strides(2).outputPadding(1)), x))
                .containsExactly(1, 1, 3, 2, 5, 3, 3, 0);
        // Dilation 2: taps two steps apart, "valid" length (3−1) + 5.
        assertThat(run(ones(new Conv1DTranspose(1, 3).dilationRate(2)), x)).containsExactly(1, 2, 4, 2, 4, 2, 3);
    }

    private static Conv1DTranspose ones(Conv1DTranspose c) {
        c.kernelInitializer(Initializers.ones()).build(Shape.withUnknown(Input.NONE, 1));
        return c;
    }

    private static float[] run(Layer l, Tensor x) {
        return l.call(Variable.constant(x), null, CallContext.inference()).value().toArray();
    }

    @Test
    void theKernelIsFiltersByChannelsAsKeras() {
        // One input step of 2 channels, 3 filters, kernel 1: y[f] = Σ_c x[c]·W[0, f, c].
        Conv1DTranspose conv = new Conv1DTranspose(3, 1).useBias(false);
        conv.build(Shape.of(1, 2));
        assertThat(conv.weights()).extracting(w -> w.name() + w.shape()).containsExactly("kernel(1, 3, 2)");
        conv.setWeights(List.of(Tensor.of(new float[] {1, 10, 2, 20, 3, 30}, 1, 3, 2)));
        assertThat(run(conv, Tensor.of(new float[] {1, 2}, 1, 1, 2))).containsExactly(21, 42, 63);
    }

    @Test
    void gradientsOfInputKernelAndBiasMatchFiniteDifferences() {
        check("valid", new Conv1DTranspose(3, 3), Shape.of(4, 2));
        check("same strided tanh (the example's)", new Conv1DTranspose(2, 7, "tanh").padding("same").strides(2),
                Shape.of(5, 3));
        check("same strides 3 output_padding 2", new Conv1DTranspose(2, 2).padding("same").strides(3)
                .outputPadding(2), Shape.of(3, 2));
        check("valid strides past the kernel", new Conv1DTranspose(2, 2).strides(3), Shape.of(3, 2));
        check("same dilated without bias", new Conv1DTranspose(2, 3).padding("same").dilationRate(2).useBias(false),
                Shape.of(4, 2));
        check("length 1", new Conv1DTranspose(2, 4).padding("same").strides(2).outputPadding(1), Shape.of(1, 3));
    }

    private void check(String what, Layer layer, Shape sample) {
        layer.build(sample);
        Variable in = Variable.parameter(uniform(r, -1, 1, 2, sample.dim(0), sample.dim(1)));
        GradCheck.checkLayer("Conv1DTranspose " + what, layer, in, () -> layer.call(in, null, CallContext.inference()));
    }

    @Test
    void noneStepsGiveNoneAndAnyLengthRuns() {
        Sequential m = Sequential.of(Input.shape(Input.NONE, 3),
                new Conv1DTranspose(4, 3, "relu").padding("same").strides(2), new Conv1DTranspose(2, 2).strides(3));
        assertThat(m.layers().get(0).outputShape()).isEqualTo(Shape.withUnknown(Shape.UNKNOWN, 4));
        assertThat(m.outputShape()).isEqualTo(Shape.withUnknown(Shape.UNKNOWN, 2));
        // 5 steps → 10 → (10−1)·3 + 3 = 30; 1 step → 2 → 6.
        assertThat(m.predict(uniform(r, -1, 1, 2, 5, 3)).shape()).isEqualTo(Shape.of(2, 30, 2));
        assertThat(m.predict(uniform(r, -1, 1, 2, 1, 3)).shape()).isEqualTo(Shape.of(2, 6, 2));
        assertThat(m.layers().get(1).computeOutputShapes(List.of(Shape.of(11, 4)))).containsExactly(Shape.of(33, 2));
    }

    @Test
    void theMaskIsDroppedAsKeras3DropsIt() {
        Conv1DTranspose conv = new Conv1DTranspose(2, 2).strides(2);
        conv.build(Shape.of(4, 1));
        Tensor mask = Tensor.of(new float[] {1, 1, 0, 0}, 1, 4);
        Variable x = Variable.constant(Tensor.of(new float[] {1, 2, 0, 0}, 1, 4, 1));
        assertThat(conv.computeMask(x, mask)).isNull();
        assertThat(run(conv, x.value())).isEqualTo(conv.call(x, mask, CallContext.inference()).value().toArray());
    }

    @Test
    void emptyBatchesAndEmptySequencesGiveKerasShapes() {
        Sequential m = Sequential.of(Input.shape(Input.NONE, 3), new Conv1DTranspose(2, 3).padding("same").strides(2));
        assertThat(m.predict(Tensor.zeros(0, 4, 3)).shape()).isEqualTo(Shape.of(0, 8, 2));
        assertThat(m.predict(Tensor.zeros(2, 0, 3)).shape()).isEqualTo(Shape.of(2, 0, 2));
        // "valid" with strides past the kernel: an empty sequence still gives max(R, s) − s = 1 step, the bias.
        Conv1DTranspose wide = new Conv1DTranspose(2, 4).strides(3).biasInitializer(Initializers.constant(0.5f));
        Sequential v = Sequential.of(Input.shape(Input.NONE, 3), wide);
        assertThat(v.predict(Tensor.zeros(1, 0, 3)).toArray()).containsExactly(0.5f, 0.5f);
    }

    @Test
    void weightsAndParameterCountsAreKeras() {
        // The anomaly-detection example's decoder: 16·7·16 + 16 = 1,808 and 32·7·16 + 32 = 3,616.
        Sequential m = Sequential.of(Input.shape(72, 16),
                new Conv1DTranspose(16, 7, "relu").padding("same").strides(2).named("t"),
                new Conv1DTranspose(32, 7).padding("same").strides(2).useBias(false).named("u"));
        assertThat(m.layers().get(0).weights()).extracting(w -> w.name() + w.shape())
                .containsExactly("kernel(7, 16, 16)", "bias(16,)");
        assertThat(m.layers().get(1).weights()).extracting(w -> w.name() + w.shape())
                .containsExactly("kernel(7, 32, 16)");
        assertThat(m.layers().get(0).countParams()).isEqualTo(1808);
        assertThat(m.layers().get(1).countParams()).isEqualTo(7 * 32 * 16);
        assertThat(m.summary()).contains("t (Conv1DTranspose)").contains("(None, 144, 16)").contains("1,808")
                .contains("u (Conv1DTranspose)").contains("(None, 288, 32)").contains("3,584");
    }

    @Test
    void badOptionsAndInputsAreRefusedByName() {
        assertThatThrownBy(() -> new Conv1DTranspose(0, 3)).hasMessageContaining("filters must be >= 1, got 0");
        assertThatThrownBy(() -> new Conv1DTranspose(2, 0)).hasMessageContaining("kernel_size must be >= 1, got 0");
        assertThatThrownBy(() -> new Conv1DTranspose(2, 3).named("k").padding("causal"))
                .hasMessage("Layer 'k' (Conv1DTranspose): padding must be 'valid' or 'same', got 'causal'");
        assertThatThrownBy(() -> new Conv1DTranspose(2, 3).named("k").strides(2).dilationRate(2))
                .hasMessage("Layer 'k' (Conv1DTranspose): strides > 1 is not supported together with "
                        + "dilation_rate > 1 (as in Keras), got strides=2 and dilation_rate=2");
        assertThatThrownBy(() -> new Conv1DTranspose(2, 3).named("k").outputPadding(-1))
                .hasMessage("Layer 'k' (Conv1DTranspose): output_padding must be >= 0 (or None), got -1");
        assertThatThrownBy(() -> new Conv1DTranspose(2, 3).named("k").strides(2).outputPadding(2).build(Shape.of(4, 1)))
                .hasMessage("Layer 'k' (Conv1DTranspose): output_padding must be strictly less than strides (as in "
                        + "Keras), got output_padding=2 and strides=2");
        // Any order of the options: strides set after output_padding is fine.
        Conv1DTranspose late = new Conv1DTranspose(2, 3).outputPadding(1).strides(2);
        late.build(Shape.of(4, 1));
        assertThat(late.outputShape()).isEqualTo(Shape.of(10, 2));
        assertThatThrownBy(() -> new Conv1DTranspose(2, 4).named("k").padding("same").outputPadding(0)
                .build(Shape.of(4, 1)))
                .hasMessageStartingWith("Layer 'k' (Conv1DTranspose): padding 'same' with output_padding=0 needs an "
                        + "odd kernel reach, got 4");
        assertThatThrownBy(() -> new Conv1DTranspose(4, 3).named("k").build(Shape.of(5)))
                .hasMessage("Layer 'k' (Conv1DTranspose): expected an input (batch, steps, channels), got (None, 5)");
        assertThatThrownBy(() -> new Conv1DTranspose(4, 3).named("k").build(Shape.withUnknown(5, Shape.UNKNOWN)))
                .hasMessageContaining("needs a known size on axis 2");
        assertThatThrownBy(() -> new Conv1DTranspose(4, 3, "nope")).hasMessageContaining("nope");
        Conv1DTranspose any = new Conv1DTranspose(4, 3).named("k");
        any.build(Shape.withUnknown(Shape.UNKNOWN, 2));
        Variable wrongChannels = Variable.constant(Tensor.zeros(1, 5, 3));
        assertThatThrownBy(() -> any.call(wrongChannels, null, CallContext.inference()))
                .hasMessage("Input of layer 'k' (Conv1DTranspose) is incompatible with the layer: expected "
                        + "shape=(None, None, 2), found shape=(1, 5, 3)");
        assertThatThrownBy(() -> any.strides(2)).isInstanceOf(IllegalStateException.class);
    }
}
