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
 * DepthwiseConv1D and SeparableConv1D against plain float64 loops written here, for both
 * paddings, kernel sizes 1 to 4, strides 1 to 3, dilation rates 1 to 3 (strides and dilation
 * above 1 together included, which Keras 3's TensorFlow backend computes as the stride-1 dilated
 * convolution subsampled), depth multipliers 1 to 3 and lengths 1, 2, 5 and 8 (to 1e-5 of the
 * reference); the output channel order {@code c·depth_multiplier + m} by hand; input and every
 * weight's gradient against float64 finite differences ({@link GradCheck}); None steps, the
 * dropped mask, empty inputs, parameter counts and every refusal. Seed 47.
 */
class DepthwiseSeparableConv1DTest {
    private static final long SEED = 47;
    private final Random r = new Random(SEED);

    /** Keras's output length and TensorFlow's left padding, worked out here; -1 when "valid" gives no step. */
    private static int[] lengthAndLeft(int steps, int k, int stride, int dilation, String padding) {
        int reach = (k - 1) * dilation + 1;
        if (padding.equals("valid")) {
            return new int[] {steps < reach ? -1 : (steps - reach) / stride + 1, 0};
        }
        int out = (steps + stride - 1) / stride;
        return new int[] {out, Math.max((out - 1) * stride + reach - steps, 0) / 2};
    }

    /** float64 depthwise convolution: y[b][o][c·dm + m] = Σ_k x[b][o·s + k·d − left][c] · W[k][c][m] (+ bias). */
    static double[][][] depthwise(float[] x, int batch, int steps, int channels, float[] kernel, float[] bias, int k,
            int dm, int stride, int dilation, String padding) {
        int[] ol = lengthAndLeft(steps, k, stride, dilation, padding);
        double[][][] y = new double[batch][ol[0]][channels * dm];
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < ol[0]; o++) {
                for (int c = 0; c < channels; c++) {
                    for (int m = 0; m < dm; m++) {
                        double s = bias == null ? 0 : bias[c * dm + m];
                        for (int j = 0; j < k; j++) {
                            int pos = o * stride + j * dilation - ol[1];
                            if (pos >= 0 && pos < steps) {
                                s += (double) x[(b * steps + pos) * channels + c] * kernel[(j * channels + c) * dm + m];
                            }
                        }
                        y[b][o][c * dm + m] = s;
                    }
                }
            }
        }
        return y;
    }

    /** float64 pointwise step: y[b][o][f] = Σ_i z[b][o][i] · P[i][f] + bias[f]. */
    static double[][][] pointwise(double[][][] z, float[] kernel, float[] bias, int filters) {
        double[][][] y = new double[z.length][z[0].length][filters];
        for (int b = 0; b < z.length; b++) {
            for (int o = 0; o < z[b].length; o++) {
                for (int f = 0; f < filters; f++) {
                    double s = bias == null ? 0 : bias[f];
                    for (int i = 0; i < z[b][o].length; i++) {
                        s += z[b][o][i] * kernel[i * filters + f];
                    }
                    y[b][o][f] = s;
                }
            }
        }
        return y;
    }

    @Test
    void forwardMatchesFloat64ReferenceForEveryPaddingStrideDilationAndMultiplier() {
        int checked = 0;
        for (String padding : List.of("valid", "same")) {
            for (int k = 1; k <= 4; k++) {
                for (int s = 1; s <= 3; s++) {
                    for (int d = 1; d <= 3; d++) {
                        for (int dm = 1; dm <= 3; dm++) {
                            for (int steps : new int[] {1, 2, 5, 8}) {
                                if (lengthAndLeft(steps, k, s, d, padding)[0] > 0) {
                                    check(padding, k, s, d, dm, steps);
                                    checked++;
                                }
                            }
                        }
                    }
                }
            }
        }
        assertThat(checked).as("combinations checked").isGreaterThan(500);
    }

    private void check(String padding, int k, int s, int d, int dm, int steps) {
        int batch = 2;
        int channels = 3;
        int filters = 2;
        String what = padding + " k=" + k + " s=" + s + " d=" + d + " dm=" + dm + " steps=" + steps + " seed=" + SEED;
        Tensor x = uniform(r, -1, 1, batch, steps, channels);

        DepthwiseConv1D dw = new DepthwiseConv1D(k).padding(padding).strides(s).dilationRate(d).depthMultiplier(dm)
                .biasInitializer(Initializers.randomUniform(-1, 1));
        dw.build(Shape.withUnknown(Input.NONE, channels));
        double[][][] expected = depthwise(x.toArray(), batch, steps, channels, dw.weights().get(0).value().toArray(),
                dw.weights().get(1).value().toArray(), k, dm, s, d, padding);
        Conv1DTest.assertClose("DepthwiseConv1D " + what, run(dw, x), expected);
        assertThat(dw.computeOutputShapes(List.of(Shape.of(steps, channels))))
                .containsExactly(Shape.of(expected[0].length, channels * dm));

        SeparableConv1D sep = new SeparableConv1D(filters, k).padding(padding).strides(s).dilationRate(d)
                .depthMultiplier(dm).biasInitializer(Initializers.randomUniform(-1, 1));
        sep.build(Shape.withUnknown(Input.NONE, channels));
        double[][][] z = depthwise(x.toArray(), batch, steps, channels, sep.weights().get(0).value().toArray(), null,
                k, dm, s, d, padding);
        Conv1DTest.assertClose("SeparableConv1D " + what, run(sep, x), pointwise(z,
                sep.weights().get(1).value().toArray(), sep.weights().get(2).value().toArray(), filters));
    }

    private static Tensor run(Layer l, Tensor x) {
        return l.call(Variable.constant(x), null, CallContext.inference()).value();
    }

    @Test
    void outputChannelsAreChannelTimesMultiplierPlusKernelAsKeras() {
        // Kernel size 1, 2 channels, depth_multiplier 2: W[0] = [[1, 2], [3, 4]] (channel by kernel).
        DepthwiseConv1D dw = new DepthwiseConv1D(1).depthMultiplier(2).useBias(false);
        dw.build(Shape.of(2, 2));
        dw.setWeights(List.of(Tensor.of(new float[] {1, 2, 3, 4}, 1, 2, 2)));
        Tensor x = Tensor.of(new float[] {1, 10, 2, 20}, 1, 2, 2);
        assertThat(run(dw, x).toArray()).containsExactly(1, 2, 30, 40, 2, 4, 60, 80);
        // "same", kernel 2 of ones on one channel: TF pads the extra step on the right.
        DepthwiseConv1D same = new DepthwiseConv1D(2).padding("same").depthwiseInitializer(Initializers.ones());
        same.build(Shape.of(3, 1));
        assertThat(run(same, Tensor.of(new float[] {1, 2, 3}, 1, 3, 1)).toArray()).containsExactly(3, 5, 3);
    }

    @Test
    void gradientsOfInputAndEveryWeightMatchFiniteDifferences() {
        check("DepthwiseConv1D valid multiplier 2", new DepthwiseConv1D(3).depthMultiplier(2), Shape.of(5, 2));
        check("DepthwiseConv1D same strided dilated tanh", new DepthwiseConv1D(2, "tanh").padding("same").strides(2)
                .dilationRate(2), Shape.of(6, 3));
        check("DepthwiseConv1D length 1 without bias", new DepthwiseConv1D(3).padding("same").useBias(false),
                Shape.of(1, 2));
        check("SeparableConv1D same strided multiplier 2 tanh", new SeparableConv1D(3, 3, "tanh").padding("same")
                .strides(2).depthMultiplier(2), Shape.of(5, 2));
        check("SeparableConv1D valid dilated without bias", new SeparableConv1D(2, 2).dilationRate(2).useBias(false),
                Shape.of(5, 3));
    }

    private void check(String what, Layer layer, Shape sample) {
        layer.build(sample);
        Variable in = Variable.parameter(uniform(r, -1, 1, 2, sample.dim(0), sample.dim(1)));
        GradCheck.checkLayer(what, layer, in, () -> layer.call(in, null, CallContext.inference()));
    }

    @Test
    void noneStepsGiveNoneAndAnyLengthRuns() {
        Sequential m = Sequential.of(Input.shape(Input.NONE, 3), new DepthwiseConv1D(3, "relu").padding("same")
                .depthMultiplier(2), new SeparableConv1D(4, 2).strides(2));
        assertThat(m.layers().get(0).outputShape()).isEqualTo(Shape.withUnknown(Shape.UNKNOWN, 6));
        assertThat(m.outputShape()).isEqualTo(Shape.withUnknown(Shape.UNKNOWN, 4));
        assertThat(m.predict(uniform(r, -1, 1, 2, 9, 3)).shape()).isEqualTo(Shape.of(2, 4, 4));
        assertThat(m.predict(uniform(r, -1, 1, 2, 2, 3)).shape()).isEqualTo(Shape.of(2, 1, 4));
    }

    @Test
    void theMaskIsDroppedAsKeras3DropsIt() {
        Tensor mask = Tensor.of(new float[] {1, 1, 0, 0}, 1, 4);
        Variable x = Variable.constant(Tensor.of(new float[] {1, 2, 0, 0}, 1, 4, 1));
        for (Layer l : List.<Layer>of(new DepthwiseConv1D(2), new SeparableConv1D(2, 2))) {
            l.build(Shape.of(4, 1));
            assertThat(l.computeMask(x, mask)).as(l.className()).isNull();
            assertThat(run(l, x.value()).toArray()).as(l.className())
                    .isEqualTo(l.call(x, mask, CallContext.inference()).value().toArray());
        }
    }

    @Test
    void emptyBatchesAndSameOfZeroStepsGiveKerasShapes() {
        Sequential m = Sequential.of(Input.shape(Input.NONE, 3), new DepthwiseConv1D(3).padding("same")
                .depthMultiplier(2), new SeparableConv1D(4, 3).padding("same"));
        assertThat(m.predict(Tensor.zeros(0, 5, 3)).shape()).isEqualTo(Shape.of(0, 5, 4));
        assertThat(m.predict(Tensor.zeros(2, 0, 3)).shape()).isEqualTo(Shape.of(2, 0, 4));
    }

    @Test
    void weightsAndParameterCountsAreKeras() {
        Sequential m = Sequential.of(Input.shape(10, 4), new DepthwiseConv1D(3).depthMultiplier(2).named("d"),
                new SeparableConv1D(5, 3).depthMultiplier(3).named("s"),
                new SeparableConv1D(2, 2).useBias(false).named("n"));
        assertThat(m.layers().get(0).weights()).extracting(w -> w.name() + w.shape())
                .containsExactly("kernel(3, 4, 2)", "bias(8,)");
        assertThat(m.layers().get(1).weights()).extracting(w -> w.name() + w.shape())
                .containsExactly("depthwise_kernel(3, 8, 3)", "pointwise_kernel(1, 24, 5)", "bias(5,)");
        assertThat(m.layers().get(2).weights()).extracting(w -> w.name() + w.shape())
                .containsExactly("depthwise_kernel(2, 5, 1)", "pointwise_kernel(1, 5, 2)");
        assertThat(m.layers().get(0).countParams()).isEqualTo(3 * 4 * 2 + 8);
        assertThat(m.layers().get(1).countParams()).isEqualTo(3 * 8 * 3 + 24 * 5 + 5);
        assertThat(m.layers().get(2).countParams()).isEqualTo(2 * 5 + 5 * 2);
        assertThat(m.summary()).contains("d (DepthwiseConv1D)").contains("(None, 8, 8)").contains("32")
                .contains("s (SeparableConv1D)").contains("(None, 6, 5)").contains("197")
                .contains("n (SeparableConv1D)").contains("(None, 5, 2)").contains("20");
    }

    @Test
    void badOptionsAndInputsAreRefusedByName() {
        assertThatThrownBy(() -> new DepthwiseConv1D(0)).hasMessageContaining("kernel_size must be >= 1, got 0");
        assertThatThrownBy(() -> new SeparableConv1D(0, 2)).hasMessageContaining("filters must be >= 1, got 0");
        assertThatThrownBy(() -> new DepthwiseConv1D(2).named("d").depthMultiplier(0))
                .hasMessage("Layer 'd' (DepthwiseConv1D): depth_multiplier must be >= 1, got 0");
        assertThatThrownBy(() -> new SeparableConv1D(2, 2).named("s").strides(0))
                .hasMessage("Layer 's' (SeparableConv1D): strides must be >= 1, got 0");
        assertThatThrownBy(() -> new DepthwiseConv1D(2).named("d").padding("causal"))
                .hasMessage("Layer 'd' (DepthwiseConv1D): padding must be 'valid' or 'same', got 'causal'");
        assertThatThrownBy(() -> new SeparableConv1D(2, 2).named("s").padding("full"))
                .hasMessage("Layer 's' (SeparableConv1D): padding must be 'valid' or 'same', got 'full'");
        assertThatThrownBy(() -> new DepthwiseConv1D(3).named("d").build(Shape.of(5)))
                .hasMessage("Layer 'd' (DepthwiseConv1D): expected an input (batch, steps, channels), got (None, 5)");
        assertThatThrownBy(() -> new SeparableConv1D(2, 3).named("s").build(Shape.withUnknown(5, Shape.UNKNOWN)))
                .hasMessageContaining("needs a known size on axis 2");
        assertThatThrownBy(() -> new SeparableConv1D(2, 3).named("s").dilationRate(2).build(Shape.of(4, 2)))
                .hasMessageStartingWith("Layer 's' (SeparableConv1D): an input of 4 steps gives no output step with "
                        + "padding 'valid': a window spans 5 steps (size 3, dilation_rate 2)");
        DepthwiseConv1D any = new DepthwiseConv1D(3).named("d");
        any.build(Shape.withUnknown(Shape.UNKNOWN, 2));
        assertThatThrownBy(() -> any.call(Variable.constant(Tensor.zeros(1, 2, 2)), null, CallContext.inference()))
                .hasMessageStartingWith("Layer 'd' (DepthwiseConv1D): an input of 2 steps gives no output step");
        assertThatThrownBy(() -> any.call(Variable.constant(Tensor.zeros(1, 5, 3)), null, CallContext.inference()))
                .hasMessage("Input of layer 'd' (DepthwiseConv1D) is incompatible with the layer: expected "
                        + "shape=(None, None, 2), found shape=(1, 5, 3)");
    }
}
