package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Sequential;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Conv2D and Conv3D against a plain float64 N-D convolution written here (TensorFlow's "same"
 * split: {@code ceil(size / stride)} outputs, half the padding before, the odd one after), to
 * {@code 1e-5 + 1e-5·|y|}: "valid" and "same", strides, dilation, groups, odd and even sizes,
 * 1×1 kernels, channels_first (checked against channels_last on the input moved by hand);
 * gradients of input, kernel and bias against float64 finite differences; None spatial axes run
 * on several sizes; parameter counts and summary; the dropped mask; and every refusal naming the
 * layer, what was expected and what came. Seed 29.
 */
class ConvNDTest {
    private static final long SEED = 29;
    private final Random r = new Random(SEED);

    /**
     * The convolution of x {@code (n, in..., c)} by kernel {@code (k..., c / groups, f)} plus bias,
     * TensorFlow's arithmetic, in float64: {@code (n, out..., f)} flat.
     */
    static double[] reference(float[] x, int n, int[] in, int c, float[] kernel, int[] k, int f, float[] bias,
            int[] stride, int[] dilation, boolean same, int groups) {
        int rank = in.length;
        int[] out = new int[rank];
        int[] left = new int[rank];
        for (int a = 0; a < rank; a++) {
            int reach = (k[a] - 1) * dilation[a] + 1;
            if (same) {
                out[a] = (in[a] + stride[a] - 1) / stride[a];
                left[a] = Math.max((out[a] - 1) * stride[a] + reach - in[a], 0) / 2;
            } else {
                out[a] = (in[a] - reach) / stride[a] + 1;
            }
        }
        int outs = prod(out);
        int taps = prod(k);
        int cg = c / groups;
        int fg = f / groups;
        double[] y = new double[n * outs * f];
        int[] o = new int[rank];
        int[] t = new int[rank];
        for (int b = 0; b < n; b++) {
            for (int p = 0; p < outs; p++) {
                unravel(p, out, o);
                for (int fi = 0; fi < f; fi++) {
                    int g = fi / fg;
                    double acc = bias == null ? 0 : bias[fi];
                    for (int tap = 0; tap < taps; tap++) {
                        unravel(tap, k, t);
                        int pos = 0;
                        boolean inside = true;
                        for (int a = 0; a < rank; a++) {
                            int i = o[a] * stride[a] - left[a] + t[a] * dilation[a];
                            inside &= i >= 0 && i < in[a];
                            pos = pos * in[a] + i;
                        }
                        if (!inside) {
                            continue;
                        }
                        for (int ci = 0; ci < cg; ci++) {
                            acc += (double) x[(b * prod(in) + pos) * c + g * cg + ci]
                                    * kernel[(tap * cg + ci) * f + fi];
                        }
                    }
                    y[(b * outs + p) * f + fi] = acc;
                }
            }
        }
        return y;
    }

    static int prod(int[] d) {
        int p = 1;
        for (int v : d) {
            p *= v;
        }
        return p;
    }

    static void unravel(int i, int[] shape, int[] into) {
        for (int a = shape.length - 1; a >= 0; a--) {
            into[a] = i % shape[a];
            i /= shape[a];
        }
    }

    static void assertClose(String what, float[] got, double[] want) {
        assertThat(got).as("%s: size", what).hasSize(want.length);
        for (int i = 0; i < got.length; i++) {
            assertThat(Math.abs(got[i] - want[i]))
                    .as("%s element %d: rnn4j %s, float64 reference %s (bar 1e-5 + 1e-5·|y|, seed %d)", what, i,
                            got[i], want[i], SEED)
                    .isLessThanOrEqualTo(1e-5 + 1e-5 * Math.abs(want[i]));
        }
    }

    private static int[] ints(String s) {
        return Arrays.stream(s.trim().split(" ")).mapToInt(Integer::parseInt).toArray();
    }

    /** Random weights (a random bias too, so that it matters). */
    private <L extends Layer> L randomized(L layer) {
        for (Weight w : layer.weights()) {
            w.set(uniform(r, -0.5f, 0.5f, w.shape().dims()));
        }
        return layer;
    }

    private ConvBase<?> conv(int rank, int f, int[] k) {
        return rank == 2 ? new Conv2D(f, k) : new Conv3D(f, k);
    }

    @ParameterizedTest(name = "in ({0}) c={1} k=({2}) f={3} s=({4}) d=({5}) {6} groups={7}")
    @CsvSource({
            "7 6, 3, 3 3, 4, 1 1, 1 1, valid, 1",
            "7 6, 3, 3 2, 4, 2 1, 1 1, valid, 1",
            "8 5, 2, 3 3, 3, 1 1, 1 1, same, 1",
            "8 5, 2, 2 4, 3, 2 3, 1 1, same, 1",
            "6 7, 4, 3 3, 6, 1 1, 2 1, same, 2",
            "9 6, 3, 2 2, 2, 1 1, 2 3, valid, 1",
            "5 4, 6, 1 1, 4, 1 1, 1 1, valid, 2",
            "5 4, 2, 1 1, 3, 2 2, 1 1, same, 1",
            "4 5 3, 2, 2 3 2, 3, 1 2 1, 1 1 1, same, 1",
            "5 4 6, 4, 3 1 2, 2, 1 1 1, 1 1 2, valid, 2",
            "3 3 4, 2, 1 1 1, 2, 2 2 2, 1 1 1, same, 1",
    })
    void forwardMatchesAFloat64Convolution(String in, int c, String k, int f, String s, String d, String padding,
            int groups) {
        int[] spatial = ints(in);
        int rank = spatial.length;
        ConvBase<?> layer = conv(rank, f, ints(k)).strides(ints(s)).dilationRate(ints(d)).padding(padding)
                .groups(groups);
        int[] sample = Arrays.copyOf(spatial, rank + 1);
        sample[rank] = c;
        layer.build(Shape.of(sample));
        randomized(layer);
        int n = 2;
        int[] batch = new int[rank + 2];
        batch[0] = n;
        System.arraycopy(sample, 0, batch, 1, rank + 1);
        Tensor x = uniform(r, -1, 1, batch);
        Tensor y = layer.call(Variable.constant(x), null, CallContext.inference()).value();
        double[] want = reference(x.toArray(), n, spatial, c, layer.weights().get(0).value().toArray(), ints(k), f,
                layer.weights().get(1).value().toArray(), ints(s), ints(d), padding.equals("same"), groups);
        assertClose(layer.className() + " " + padding, y.toArray(), want);
        Shape out = layer.outputShape();
        assertThat(y.shape().dims()).as("the output shape Keras computes").isEqualTo(concat(n, out.dims()));
    }

    private static int[] concat(int n, int[] d) {
        int[] out = new int[d.length + 1];
        out[0] = n;
        System.arraycopy(d, 0, out, 1, d.length);
        return out;
    }

    @Test
    void channelsFirstIsChannelsLastOnTheMovedAxes() {
        Conv2D last = new Conv2D(3, new int[] {2, 3}, Activation.TANH).strides(2, 1).padding("same");
        Conv2D first = new Conv2D(3, new int[] {2, 3}, Activation.TANH).strides(2, 1).padding("same")
                .dataFormat("channels_first");
        last.build(Shape.of(5, 4, 2));
        first.build(Shape.of(2, 5, 4));
        randomized(last);
        first.setWeights(last.getWeights());
        assertThat(first.outputShape()).isEqualTo(Shape.of(3, 3, 4));
        Tensor x = uniform(r, -1, 1, 2, 5, 4, 2);
        float[] xs = x.toArray();
        float[] moved = new float[xs.length]; // (n, h, w, c) -> (n, c, h, w)
        for (int b = 0; b < 2; b++) {
            for (int h = 0; h < 5; h++) {
                for (int w = 0; w < 4; w++) {
                    for (int c = 0; c < 2; c++) {
                        moved[((b * 2 + c) * 5 + h) * 4 + w] = xs[((b * 5 + h) * 4 + w) * 2 + c];
                    }
                }
            }
        }
        float[] want = last.call(Variable.constant(x), null, CallContext.inference()).value().toArray();
        float[] got = first.call(Variable.constant(x.device().tensor(moved, 2, 2, 5, 4)), null,
                CallContext.inference()).value().toArray();
        for (int b = 0; b < 2; b++) {
            for (int h = 0; h < 3; h++) {
                for (int w = 0; w < 4; w++) {
                    for (int f = 0; f < 3; f++) {
                        assertThat(got[((b * 3 + f) * 3 + h) * 4 + w]).as("(%d, %d, %d, %d)", b, f, h, w)
                                .isEqualTo(want[((b * 3 + h) * 4 + w) * 3 + f]);
                    }
                }
            }
        }
    }

    private void gradients(String what, Layer layer, int... batch) {
        randomized(layer);
        Variable in = Variable.parameter(uniform(r, -1, 1, batch));
        System.out.println("ConvNDTest seed " + SEED + ": " + what);
        GradCheck.checkLayer(layer.className() + " " + what, layer, in, () -> layer.call(in, null,
                CallContext.inference()));
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Conv2D same = new Conv2D(3, new int[] {3, 2}, Activation.TANH).padding("same").strides(2, 1);
        same.build(Shape.of(5, 4, 2));
        gradients("same, strides (2, 1), tanh", same, 2, 5, 4, 2);
        Conv2D grouped = new Conv2D(4, 3, 3).dilationRate(1, 2).groups(2);
        grouped.build(Shape.of(4, 6, 4));
        gradients("valid, dilation (1, 2), groups 2", grouped, 2, 4, 6, 4);
        Conv2D first = new Conv2D(2, 2, 2).padding("same").dataFormat("channels_first");
        first.build(Shape.of(3, 3, 4));
        gradients("channels_first, same", first, 2, 3, 3, 4);
        Conv3D three = new Conv3D(2, new int[] {2, 1, 2}, Activation.SIGMOID).strides(1, 2, 1).padding("same");
        three.build(Shape.of(3, 4, 3, 2));
        gradients("Conv3D same, strides (1, 2, 1), sigmoid", three, 2, 3, 4, 3, 2);
    }

    @Test
    void noneSpatialAxesRunOnAnySizeAndBindOnlyTheChannels() {
        Conv2D c = new Conv2D(2, 3).padding("same").named("c");
        Sequential m = Sequential.of(Input.shape(Input.NONE, Input.NONE, 3), c, new MaxPooling2D(2));
        assertThat(c.outputShape()).isEqualTo(Shape.withUnknown(Shape.UNKNOWN, Shape.UNKNOWN, 2));
        randomized(c);
        for (int[] hw : new int[][] {{5, 4}, {2, 7}, {6, 6}, {5, 4}}) {
            Tensor x = uniform(r, -1, 1, 1, hw[0], hw[1], 3);
            float[] y = c.call(Variable.constant(x), null, CallContext.inference()).value().toArray();
            double[] want = reference(x.toArray(), 1, hw, 3, c.weights().get(0).value().toArray(), new int[] {3, 3},
                    2, c.weights().get(1).value().toArray(), new int[] {1, 1}, new int[] {1, 1}, true, 1);
            assertClose("a " + hw[0] + "x" + hw[1] + " input", y, want);
            assertThat(m.predict(x).shape()).isEqualTo(Shape.of(1, hw[0] / 2, hw[1] / 2, 2));
        }
        assertThatThrownBy(() -> m.predict(uniform(r, -1, 1, 1, 5, 4, 2)))
                .hasMessageContaining("Input of layer 'c' (Conv2D) is incompatible with the layer: expected "
                        + "shape=(None, None, None, 3), found shape=(1, 5, 4, 2)");
        Conv2D valid = new Conv2D(1, 3).named("v");
        valid.build(Shape.withUnknown(Shape.UNKNOWN, 4, 1));
        assertThatThrownBy(() -> valid.call(Variable.constant(uniform(r, -1, 1, 1, 2, 4, 1)), null,
                CallContext.inference()))
                .hasMessage("Layer 'v' (Conv2D): a spatial input of (2, 4) gives no output on axis 1 with padding "
                        + "'valid': a window spans (3, 3) (kernel_size (3, 3), dilation_rate (1, 1)); Keras refuses it "
                        + "too (\"Computed output size would be zero or negative\")");
    }

    @Test
    void anEmptyBatchGivesAnEmptyOutput() {
        Sequential m = Sequential.of(Input.shape(5, 4, 2), new Conv2D(3, 3, 2).padding("same").groups(1),
                new MaxPooling2D(2), new AveragePooling2D(new int[] {1, 2}, new int[] {1, 1}).padding("same"));
        assertThat(m.predict(uniform(r, -1, 1, 0, 5, 4, 2)).shape()).isEqualTo(Shape.of(0, 2, 2, 3));
        Sequential g = Sequential.of(Input.shape(3, 4, 2, 2), new Conv3D(4, 2).groups(2), new GlobalMaxPooling3D());
        assertThat(g.predict(uniform(r, -1, 1, 0, 3, 4, 2, 2)).shape()).isEqualTo(Shape.of(0, 4));
    }

    @Test
    void parameterCountsAndSummaryAreKeras() {
        Sequential m = Sequential.of(Input.shape(8, 8, 4), new Conv2D(6, 3, 3).groups(2).named("c"));
        assertThat(m.layers().get(0).countParams()).isEqualTo(3 * 3 * 2 * 6 + 6);
        assertThat(m.summary()).contains("c (Conv2D)").contains("(None, 6, 6, 6)").contains("114");
        Sequential three = Sequential.of(Input.shape(6, 5, 4, 3), new Conv3D(2, 1, 1, 1).useBias(false).named("d")
                .dataFormat("channels_first"));
        assertThat(three.layers().get(0).countParams()).as("channels_first: 6 channels on axis 1").isEqualTo(6 * 2);
        assertThat(three.summary()).contains("d (Conv3D)").contains("(None, 2, 5, 4, 3)").contains("12");
    }

    @Test
    void anIncomingMaskIsDroppedAsKerasDoes() {
        Conv2D c = new Conv2D(2, 2);
        c.build(Shape.of(3, 3, 1));
        randomized(c);
        Variable x = Variable.constant(uniform(r, -1, 1, 2, 3, 3, 1));
        Tensor mask = x.device().tensor(new float[] {1, 0, 1, 1, 1, 0}, 2, 3);
        assertThat(c.call(x, mask, CallContext.inference()).value().toArray())
                .isEqualTo(c.call(x, null, CallContext.inference()).value().toArray());
        assertThat(c.computeMask(x, mask)).as("no mask passed on").isNull();
    }

    @Test
    void badOptionsAndInputsAreRefusedNamingTheLayer() {
        assertThatThrownBy(() -> new Conv2D(0, 3)).hasMessageContaining("(Conv2D): filters must be >= 1, got 0");
        assertThatThrownBy(() -> new Conv2D(2, 3, 3, 3))
                .hasMessageContaining("(Conv2D): kernel_size must hold 1 or 2 integers, got [3, 3, 3]");
        assertThatThrownBy(() -> new Conv3D(2, 3).strides(2).dilationRate(1, 2, 1))
                .hasMessageContaining("(Conv3D): strides > 1 is not supported together with dilation_rate > 1 (as in "
                        + "Keras), got strides=(2, 2, 2) and dilation_rate=(1, 2, 1)");
        assertThatThrownBy(() -> new Conv2D(2, 3).padding("causal"))
                .hasMessageContaining("(Conv2D): padding must be 'valid' or 'same', got 'causal'");
        assertThatThrownBy(() -> new Conv2D(4, 3).groups(3))
                .hasMessageContaining("(Conv2D): filters must be divisible by groups, got filters=4 and groups=3");
        assertThatThrownBy(() -> new Conv2D(2, new int[] {3}, "swish2"))
                .hasMessageStartingWith("Conv2D: ");
        assertThatThrownBy(() -> new Conv2D(2, 3).dataFormat("channels_middle")).hasMessageContaining("data_format");
        assertThatThrownBy(() -> new Conv2D(4, 3).groups(2).named("g").build(Shape.of(5, 5, 3)))
                .hasMessage("Layer 'g' (Conv2D): the input's channels must be divisible by groups, got 3 channels "
                        + "(input (None, 5, 5, 3)) and groups=2");
        assertThatThrownBy(() -> new Conv2D(2, 3).named("r").build(Shape.of(5, 3)))
                .hasMessage("Layer 'r' (Conv2D): expected an input (batch, rows, cols, channels), got (None, 5, 3)");
        assertThatThrownBy(() -> new Conv3D(2, 3).dataFormat("channels_first").named("r").build(Shape.of(5, 3, 3)))
                .hasMessage("Layer 'r' (Conv3D): expected an input (batch, channels, depth, rows, cols), got "
                        + "(None, 5, 3, 3)");
        assertThatThrownBy(() -> new Conv2D(2, 3).named("u").build(Shape.withUnknown(5, 5, Shape.UNKNOWN)))
                .hasMessageContaining("Layer 'u' (Conv2D) needs a known size on axis 3");
        Conv2D built = new Conv2D(2, 3);
        built.build(Shape.of(4, 4, 1));
        assertThatThrownBy(() -> built.strides(2)).hasMessageContaining("strides");
    }

    /**
     * Keras's {@code Conv2D(8, 3, activation="relu")}: one int kernel size with an activation, as
     * Conv1D's constructor takes it. Bar: the same kernel sizes and activation as the int[] form.
     */
    @Test
    void oneIntKernelSizeTakesAnActivationAsKerasDoes() {
        Conv2D c2 = new Conv2D(8, 3, "relu");
        assertThat(c2.kernelSize()).containsExactly(3, 3);
        assertThat(c2.activation()).isEqualTo(new Conv2D(8, new int[] {3}, "relu").activation());
        Conv3D c3 = new Conv3D(2, 2, Activation.SIGMOID);
        assertThat(c3.kernelSize()).containsExactly(2, 2, 2);
        assertThat(c3.activation()).isEqualTo(Activation.SIGMOID);
        assertThat(new Conv3D(2, 2, "tanh").activation()).isEqualTo(Activation.TANH);
        assertThat(new Conv2D(4, 3, 1).kernelSize()).as("two ints stay (rows, cols)").containsExactly(3, 1);
        assertThatThrownBy(() -> new Conv2D(8, 3, "swoosh")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("swoosh");
    }
}
