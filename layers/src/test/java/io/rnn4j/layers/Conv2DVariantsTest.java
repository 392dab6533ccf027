package io.rnn4j.layers;

import static io.rnn4j.layers.ConvNDTest.assertClose;
import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Sequential;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Conv2DTranspose, Conv3DTranspose, DepthwiseConv2D and SeparableConv2D against plain float64 loops written here
 * (the transpose as a scatter of each input position's taps, TensorFlow's "same" crop; the depthwise as each
 * channel's own window sums, TensorFlow's "same" split), to {@code 1e-5 + 1e-5·|y|}: strides, dilation,
 * output_padding, depth_multiplier, "valid" and "same", both data_formats (channels_first against channels_last on
 * the input moved by hand); output sizes as Keras's compute_conv_transpose_output_shape; gradients of input and
 * every weight against float64 finite differences; None spatial axes on several sizes; parameter counts and
 * summary; the dropped mask; refusals naming the layer, what was expected and what came. Seed 31.
 */
class Conv2DVariantsTest {
    private static final long SEED = 31;
    private final Random r = new Random(SEED);

    private <L extends Layer> L randomized(L layer) {
        for (Weight w : layer.weights()) {
            w.set(uniform(r, -0.5f, 0.5f, w.shape().dims()));
        }
        return layer;
    }

    private static int prod(int[] d) {
        int n = 1;
        for (int x : d) {
            n *= x;
        }
        return n;
    }

    private static void unravel(int i, int[] shape, int[] into) {
        for (int a = shape.length - 1; a >= 0; a--) {
            into[a] = i % shape[a];
            i /= shape[a];
        }
    }

    private static int ravel(int[] pos, int[] shape) {
        int i = 0;
        for (int a = 0; a < shape.length; a++) {
            i = i * shape[a] + pos[a];
        }
        return i;
    }

    /**
     * The transposed convolution of x {@code (n, in..., c)} by kernel {@code (k..., f, c)} plus bias, in float64,
     * scattered: input position i, tap j to output {@code i·s + j·d − crop}; {@code (n, out..., f)} flat.
     */
    static double[] transposeReference(float[] x, int n, int[] in, int c, float[] kernel, int[] k, int f,
            float[] bias, int[] s, int[] d, int[] out, int[] crop) {
        int rank = in.length;
        int outs = prod(out);
        double[] y = new double[n * outs * f];
        for (int b = 0; b < n; b++) {
            for (int p = 0; p < outs; p++) {
                for (int fi = 0; fi < f; fi++) {
                    y[(b * outs + p) * f + fi] = bias == null ? 0 : bias[fi];
                }
            }
        }
        int[] i = new int[rank];
        int[] j = new int[rank];
        int[] o = new int[rank];
        for (int b = 0; b < n; b++) {
            for (int p = 0; p < prod(in); p++) {
                unravel(p, in, i);
                for (int t = 0; t < prod(k); t++) {
                    unravel(t, k, j);
                    boolean inside = true;
                    for (int a = 0; a < rank; a++) {
                        o[a] = i[a] * s[a] + j[a] * d[a] - crop[a];
                        inside &= o[a] >= 0 && o[a] < out[a];
                    }
                    if (!inside) {
                        continue;
                    }
                    int q = ravel(o, out);
                    for (int fi = 0; fi < f; fi++) {
                        for (int ci = 0; ci < c; ci++) {
                            y[(b * outs + q) * f + fi] += (double) x[(b * prod(in) + p) * c + ci]
                                    * kernel[(t * f + fi) * c + ci];
                        }
                    }
                }
            }
        }
        return y;
    }

    /**
     * The depthwise convolution of x {@code (n, in..., c)} by kernel {@code (k..., c, m)} plus bias, TensorFlow's
     * "same" split, in float64: {@code (n, out..., c·m)} flat; with a pointwise kernel {@code (c·m, f)}, the
     * separable convolution {@code (n, out..., f)}.
     */
    static double[] depthwiseReference(float[] x, int n, int[] in, int c, float[] kernel, int[] k, int m,
            float[] pointwise, int f, float[] bias, int[] s, int[] d, boolean same) {
        int rank = in.length;
        int[] out = new int[rank];
        int[] left = new int[rank];
        for (int a = 0; a < rank; a++) {
            int reach = (k[a] - 1) * d[a] + 1;
            out[a] = same ? (in[a] + s[a] - 1) / s[a] : (in[a] - reach) / s[a] + 1;
            left[a] = same ? Math.max((out[a] - 1) * s[a] + reach - in[a], 0) / 2 : 0;
        }
        int outs = prod(out);
        int cm = c * m;
        double[] dw = new double[n * outs * cm];
        int[] o = new int[rank];
        int[] j = new int[rank];
        int[] pos = new int[rank];
        for (int b = 0; b < n; b++) {
            for (int p = 0; p < outs; p++) {
                unravel(p, out, o);
                for (int t = 0; t < prod(k); t++) {
                    unravel(t, k, j);
                    boolean inside = true;
                    for (int a = 0; a < rank; a++) {
                        pos[a] = o[a] * s[a] + j[a] * d[a] - left[a];
                        inside &= pos[a] >= 0 && pos[a] < in[a];
                    }
                    if (!inside) {
                        continue;
                    }
                    int q = ravel(pos, in);
                    for (int ci = 0; ci < c; ci++) {
                        for (int mi = 0; mi < m; mi++) {
                            dw[(b * outs + p) * cm + ci * m + mi] += (double) x[(b * prod(in) + q) * c + ci]
                                    * kernel[(t * c + ci) * m + mi];
                        }
                    }
                }
            }
        }
        int width = pointwise == null ? cm : f;
        double[] y = new double[n * outs * width];
        for (int row = 0; row < n * outs; row++) {
            for (int fi = 0; fi < width; fi++) {
                double acc = bias == null ? 0 : bias[fi];
                if (pointwise == null) {
                    acc += dw[row * cm + fi];
                } else {
                    for (int q = 0; q < cm; q++) {
                        acc += dw[row * cm + q] * pointwise[q * f + fi];
                    }
                }
                y[row * width + fi] = acc;
            }
        }
        return y;
    }

    private static int[] ints(String s) {
        String[] p = s.trim().split(" ");
        int[] v = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            v[i] = Integer.parseInt(p[i]);
        }
        return v;
    }

    /** Keras's output size per axis; TensorFlow's "same" crop. Columns: in, kernel, strides, dilation, padding, output_padding (-1: None), want out. */
    @ParameterizedTest(name = "in {0}, kernel {1}, strides {2}, dilation {3}, {4}, output_padding {5}")
    @CsvSource({
            "4 5, 3 2, 2 1, 1 1, valid, -1, 9 6",
            "4 5, 3 3, 2 2, 1 1, same, 1 0, 8 9",
            "4 5, 2 3, 2 3, 1 1, valid, 1 2, 9 17",
            "4 5, 4 3, 3 2, 1 1, same, -1, 12 10",
            "4 5, 3 3, 1 1, 2 1, same, -1, 4 5",
            "3 4, 2 3, 1 1, 2 2, valid, -1, 5 8",
            "2 4 3, 2 3 2, 1 2 2, 1 1 1, same, -1, 2 8 6",
            "2 4 3, 2 2 2, 1 2 1, 1 1 1, valid, 0 1 0, 3 9 4",
            // Kernels smaller than the strides: phases of the output that no tap reaches (the bias alone).
            "4 5, 1 2, 3 3, 1 1, valid, -1, 12 15",
            "4 5, 1 1, 2 2, 1 1, same, -1, 8 10",
            "1 5, 1 3, 2 2, 1 1, same, -1, 2 10",
            "2 3 2, 1 3 2, 2 2 3, 1 1 1, valid, -1, 4 7 6"})
    void transposeMatchesAScatterReference(String inS, String kS, String sS, String dS, String padding, String opS,
            String wantS) {
        int[] in = ints(inS);
        int[] k = ints(kS);
        int[] s = ints(sS);
        int[] d = ints(dS);
        int[] want = ints(wantS);
        int rank = in.length;
        int c = 2;
        int f = 3;
        ConvTransposeBase<?> layer = rank == 2 ? new Conv2DTranspose(f, k) : new Conv3DTranspose(f, k);
        layer.strides(s).dilationRate(d).padding(padding);
        if (!opS.equals("-1")) {
            layer.outputPadding(ints(opS));
        }
        int[] sample = new int[rank + 1];
        System.arraycopy(in, 0, sample, 0, rank);
        sample[rank] = c;
        layer.build(Shape.of(sample));
        randomized(layer);
        int[] outShape = layer.outputShape().dims();
        int[] out = java.util.Arrays.copyOf(outShape, rank);
        assertThat(out).as("Keras's compute_conv_transpose_output_shape").containsExactly(want);
        int[] crop = new int[rank];
        for (int a = 0; a < rank && padding.equals("same"); a++) {
            crop[a] = Math.max((in[a] - 1) * s[a] + (k[a] - 1) * d[a] + 1 - out[a], 0) / 2;
        }
        int n = 2;
        int[] batch = new int[rank + 2];
        batch[0] = n;
        System.arraycopy(sample, 0, batch, 1, rank + 1);
        Tensor x = uniform(r, -1, 1, batch);
        Tensor y = layer.call(Variable.constant(x), null, CallContext.inference()).value();
        assertClose(layer.className() + " " + padding, y.toArray(), transposeReference(x.toArray(), n, in, c,
                layer.weights().get(0).value().toArray(), k, f, layer.weights().get(1).value().toArray(), s, d, out,
                crop));
    }

    /** Columns: in, kernel, strides, dilation, padding, depth_multiplier, filters (0: DepthwiseConv2D). */
    @ParameterizedTest(name = "in {0}, kernel {1}, strides {2}, dilation {3}, {4}, multiplier {5}, filters {6}")
    @CsvSource({
            "7 6, 3 3, 2 2, 1 1, same, 2, 0",
            "7 6, 3 2, 2 1, 1 2, same, 1, 0",
            "5 4, 2 2, 1 1, 1 1, valid, 3, 0",
            "6 5, 2 3, 1 2, 1 1, valid, 2, 4",
            "6 5, 3 3, 1 1, 2 2, same, 1, 3",
            "6 3, 2 2, 2 2, 1 1, same, 1, 2",
            "7 6, 3 2, 2 2, 2 1, valid, 2, 2"})
    void depthwiseAndSeparableMatchAReference(String inS, String kS, String sS, String dS, String padding, int m,
            int filters) {
        int[] in = ints(inS);
        int[] k = ints(kS);
        int[] s = ints(sS);
        int[] d = ints(dS);
        int c = 3;
        DepthwiseConv2DBase<?> layer = filters == 0 ? new DepthwiseConv2D(k) : new SeparableConv2D(filters, k);
        layer.strides(s).dilationRate(d).padding(padding).depthMultiplier(m);
        layer.build(Shape.of(in[0], in[1], c));
        randomized(layer);
        Tensor x = uniform(r, -1, 1, 2, in[0], in[1], c);
        Tensor y = layer.call(Variable.constant(x), null, CallContext.inference()).value();
        var w = layer.weights();
        double[] want = depthwiseReference(x.toArray(), 2, in, c, w.get(0).value().toArray(), k, m,
                filters == 0 ? null : w.get(1).value().toArray(), filters, w.get(w.size() - 1).value().toArray(), s,
                d, padding.equals("same"));
        assertClose(layer.className() + " " + padding, y.toArray(), want);
        assertThat(y.shape().dim(-1)).isEqualTo(filters == 0 ? c * m : filters);
    }

    /** channels_first is channels_last on the moved axes, for each of the four layers. */
    @Test
    void channelsFirstIsChannelsLastOnTheMovedAxes() {
        GridConvBase<?>[][] pairs = {
                {new Conv2DTranspose(3, 3).strides(2, 1).padding("same"),
                        new Conv2DTranspose(3, 3).strides(2, 1).padding("same").dataFormat("channels_first")},
                {new DepthwiseConv2D(2, 3).depthMultiplier(2), new DepthwiseConv2D(2, 3).depthMultiplier(2)
                        .dataFormat("channels_first")},
                {new SeparableConv2D(2, 2).strides(2).padding("same"), new SeparableConv2D(2, 2).strides(2)
                        .padding("same").dataFormat("channels_first")}};
        for (GridConvBase<?>[] p : pairs) {
            p[0].build(Shape.of(5, 4, 2));
            p[1].build(Shape.of(2, 5, 4));
            randomized(p[0]);
            p[1].setWeights(p[0].getWeights());
            Tensor x = uniform(r, -1, 1, 2, 5, 4, 2);
            float[] want = p[0].call(Variable.constant(x), null, CallContext.inference()).value().toArray();
            Tensor got = p[1].call(Variable.constant(toFirst(x)), null, CallContext.inference()).value();
            int[] g = got.shape().dims(); // (n, f, h, w)
            assertThat(toLast(got).toArray()).as("%s channels_first, moved back", p[1].className())
                    .isEqualTo(want);
            assertThat(p[1].outputShape()).isEqualTo(Shape.of(g[1], g[2], g[3]));
        }
    }

    private static Tensor toFirst(Tensor x) {
        int[] d = x.shape().dims(); // (n, h, w, c)
        float[] a = x.toArray();
        float[] m = new float[a.length];
        for (int b = 0; b < d[0]; b++) {
            for (int h = 0; h < d[1]; h++) {
                for (int w = 0; w < d[2]; w++) {
                    for (int c = 0; c < d[3]; c++) {
                        m[((b * d[3] + c) * d[1] + h) * d[2] + w] = a[((b * d[1] + h) * d[2] + w) * d[3] + c];
                    }
                }
            }
        }
        return x.device().tensor(m, d[0], d[3], d[1], d[2]);
    }

    private static Tensor toLast(Tensor x) {
        int[] d = x.shape().dims(); // (n, c, h, w)
        float[] a = x.toArray();
        float[] m = new float[a.length];
        for (int b = 0; b < d[0]; b++) {
            for (int c = 0; c < d[1]; c++) {
                for (int h = 0; h < d[2]; h++) {
                    for (int w = 0; w < d[3]; w++) {
                        m[((b * d[2] + h) * d[3] + w) * d[1] + c] = a[((b * d[1] + c) * d[2] + h) * d[3] + w];
                    }
                }
            }
        }
        return x.device().tensor(m, d[0], d[2], d[3], d[1]);
    }

    private void gradients(String what, Layer layer, int... batch) {
        randomized(layer);
        Variable in = Variable.parameter(uniform(r, -1, 1, batch));
        System.out.println("Conv2DVariantsTest seed " + SEED + ": " + what);
        GradCheck.checkLayer(layer.className() + " " + what, layer, in, () -> layer.call(in, null,
                CallContext.inference()));
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Conv2DTranspose t = new Conv2DTranspose(2, new int[] {3, 3}, Activation.TANH).strides(2, 1).padding("same")
                .outputPadding(1, 0);
        t.build(Shape.of(3, 4, 2));
        gradients("same, strides (2, 1), output_padding (1, 0), tanh", t, 2, 3, 4, 2);
        Conv2DTranspose dil = new Conv2DTranspose(2, 2).dilationRate(2, 1).dataFormat("channels_first");
        dil.build(Shape.of(2, 3, 3));
        gradients("valid, dilation (2, 1), channels_first", dil, 2, 2, 3, 3);
        Conv3DTranspose t3 = new Conv3DTranspose(2, new int[] {2, 1, 2}).strides(1, 2, 2);
        t3.build(Shape.of(2, 2, 3, 2));
        gradients("Conv3DTranspose valid, strides (1, 2, 2)", t3, 2, 2, 2, 3, 2);
        Conv2DTranspose sparse = new Conv2DTranspose(2, 2, 1).strides(3, 2).padding("same");
        sparse.build(Shape.of(2, 3, 2));
        gradients("same, kernel (2, 1) below strides (3, 2): outputs no tap reaches", sparse, 2, 2, 3, 2);
        DepthwiseConv2D d = new DepthwiseConv2D(new int[] {3, 2}, Activation.SIGMOID).strides(2, 1)
                .dilationRate(1, 2).padding("same").depthMultiplier(2);
        d.build(Shape.of(5, 5, 2));
        gradients("same, strides (2, 1) with dilation (1, 2), multiplier 2, sigmoid", d, 2, 5, 5, 2);
        SeparableConv2D s = new SeparableConv2D(3, 2).depthMultiplier(2).dataFormat("channels_first");
        s.build(Shape.of(2, 4, 3));
        gradients("valid, multiplier 2, channels_first", s, 2, 2, 4, 3);
    }

    @Test
    void noneSpatialAxesRunOnAnySizeAndBindOnlyTheChannels() {
        Conv2DTranspose t = new Conv2DTranspose(2, 3).strides(2).padding("same").named("t");
        SeparableConv2D s = new SeparableConv2D(2, 3).padding("same").named("s");
        Sequential m = Sequential.of(Input.shape(Input.NONE, Input.NONE, 3), t, s);
        assertThat(t.outputShape()).isEqualTo(Shape.withUnknown(Shape.UNKNOWN, Shape.UNKNOWN, 2));
        randomized(t);
        randomized(s);
        for (int[] hw : new int[][] {{3, 2}, {1, 5}, {4, 4}, {3, 2}}) {
            Tensor x = uniform(r, -1, 1, 1, hw[0], hw[1], 3);
            int[] out = {hw[0] * 2, hw[1] * 2};
            float[] y = t.call(Variable.constant(x), null, CallContext.inference()).value().toArray();
            double[] want = transposeReference(x.toArray(), 1, hw, 3, t.weights().get(0).value().toArray(),
                    new int[] {3, 3}, 2, t.weights().get(1).value().toArray(), new int[] {2, 2}, new int[] {1, 1}, out,
                    new int[] {0, 0});
            assertClose("a " + hw[0] + "x" + hw[1] + " input", y, want);
            assertThat(m.predict(x).shape()).isEqualTo(Shape.of(1, out[0], out[1], 2));
        }
        assertThatThrownBy(() -> m.predict(uniform(r, -1, 1, 1, 5, 4, 2)))
                .hasMessageContaining("Input of layer 't' (Conv2DTranspose) is incompatible with the layer: expected "
                        + "shape=(None, None, None, 3), found shape=(1, 5, 4, 2)");
        DepthwiseConv2D valid = new DepthwiseConv2D(3).named("v");
        valid.build(Shape.withUnknown(Shape.UNKNOWN, 4, 1));
        assertThatThrownBy(() -> valid.call(Variable.constant(uniform(r, -1, 1, 1, 2, 4, 1)), null,
                CallContext.inference()))
                .hasMessageContaining("Layer 'v' (DepthwiseConv2D): a spatial input of (2, 4) gives no output on axis 1");
    }

    @Test
    void parameterCountsAndSummaryAreKeras() {
        Sequential m = Sequential.of(Input.shape(4, 4, 3), new Conv2DTranspose(5, 3, 2).named("t"),
                new DepthwiseConv2D(3).depthMultiplier(2).named("d"), new SeparableConv2D(4, 2).depthMultiplier(3)
                        .named("s"));
        assertThat(m.layers().get(0).countParams()).isEqualTo(3 * 2 * 5 * 3 + 5);
        assertThat(m.layers().get(1).countParams()).isEqualTo(3 * 3 * 5 * 2 + 10);
        assertThat(m.layers().get(2).countParams()).as("depthwise, pointwise, bias")
                .isEqualTo(2 * 2 * 10 * 3 + 30 * 4 + 4);
        assertThat(m.summary()).contains("t (Conv2DTranspose)").contains("(None, 6, 5, 5)").contains("95")
                .contains("d (DepthwiseConv2D)").contains("(None, 4, 3, 10)").contains("100")
                .contains("s (SeparableConv2D)").contains("(None, 3, 2, 4)").contains("244");
        Sequential three = Sequential.of(Input.shape(2, 3, 3, 2), new Conv3DTranspose(4, 2).useBias(false)
                .named("t3"));
        assertThat(three.layers().get(0).countParams()).isEqualTo(8 * 4 * 2);
        assertThat(three.summary()).contains("t3 (Conv3DTranspose)").contains("(None, 3, 4, 4, 4)");
    }

    @Test
    void aTransposeReorderedInChunksOfSamplesGivesTheSameBitsAndGradients() {
        // Kernel (2, 1) under strides (3, 2): 24 of the 9x8 outputs are reached, so a sample's joined rows are
        // 24 + a zero row; a limit of 60 rows per reorder gather takes 2 samples at a time (chunks 2, 2, 1).
        int[] in = {3, 4};
        int[] k = {2, 1};
        int[] s = {3, 2};
        int[] out = {9, 8};
        int[] none = {1, 1};
        int[] crop = {0, 0};
        Tensor x = uniform(r, -1, 1, 5, 3, 4, 2);
        Tensor kernel = uniform(r, -1, 1, 2, 1, 3, 2);
        float[][] whole = transposeAndGradients(new TransposedWindows("t", in, out, k, s, none, crop), x, kernel);
        float[][] chunked = transposeAndGradients(new TransposedWindows("t", in, out, k, s, none, crop, 60), x,
                kernel);
        for (int i = 0; i < 3; i++) {
            assertThat(chunked[i]).as(new String[] {"output", "input gradient", "kernel gradient"}[i])
                    .isEqualTo(whole[i]);
        }
    }

    /** The transpose of x, and the gradients of the sum of its squares with respect to x and the kernel. */
    private static float[][] transposeAndGradients(TransposedWindows w, Tensor x, Tensor kernel) {
        Variable xv = Variable.parameter(x.copy());
        Variable kv = Variable.parameter(kernel.copy());
        Variable y = w.convolve(xv, kv);
        Ops.sumAll(Ops.mul(y, y)).backward();
        return new float[][] {y.value().toArray(), xv.grad().toArray(), kv.grad().toArray()};
    }

    @Test
    void anIncomingMaskIsDroppedAsKerasDoes() {
        for (Layer l : new Layer[] {new Conv2DTranspose(2, 2), new DepthwiseConv2D(2), new SeparableConv2D(2, 2)}) {
            l.build(Shape.of(3, 3, 1));
            randomized(l);
            Variable x = Variable.constant(uniform(r, -1, 1, 2, 3, 3, 1));
            Tensor mask = x.device().tensor(new float[] {1, 0, 1, 1, 1, 0}, 2, 3);
            assertThat(l.call(x, mask, CallContext.inference()).value().toArray()).as(l.className())
                    .isEqualTo(l.call(x, null, CallContext.inference()).value().toArray());
            assertThat(l.computeMask(x, mask)).as("no mask passed on").isNull();
        }
    }

    @Test
    void badOptionsAndInputsAreRefusedNamingTheLayer() {
        assertThatThrownBy(() -> new Conv2DTranspose(0, 3))
                .hasMessageContaining("(Conv2DTranspose): filters must be >= 1, got 0");
        assertThatThrownBy(() -> new Conv3DTranspose(2, 3, 3))
                .hasMessageContaining("(Conv3DTranspose): kernel_size must hold 1 or 3 integers, got [3, 3]");
        assertThatThrownBy(() -> new Conv2DTranspose(2, 3).strides(2).dilationRate(1, 2))
                .hasMessageContaining("(Conv2DTranspose): strides > 1 is not supported together with dilation_rate > 1");
        assertThatThrownBy(() -> new Conv2DTranspose(2, 3).outputPadding(1, -1))
                .hasMessageContaining("(Conv2DTranspose): output_padding must be >= 0 (or None), got [1, -1]");
        assertThatThrownBy(() -> new Conv2DTranspose(2, 3).outputPadding(1, 1, 1))
                .hasMessageContaining("output_padding must hold 1 or 2 integers (or be None), got [1, 1, 1]");
        assertThatThrownBy(() -> new Conv2DTranspose(2, 3).strides(2, 1).outputPadding(1).named("o")
                .build(Shape.of(3, 3, 1)))
                .hasMessage("Layer 'o' (Conv2DTranspose): output_padding must be strictly less than strides (as in "
                        + "Keras), got output_padding=(1, 1) and strides=(2, 1)");
        assertThatThrownBy(() -> new Conv2DTranspose(2, 2, 3).strides(2).padding("same").outputPadding(0).named("e")
                .build(Shape.of(3, 3, 1)))
                .hasMessageStartingWith("Layer 'e' (Conv2DTranspose): padding 'same' with output_padding 0 needs an "
                        + "odd kernel reach, got 2 on axis 1");
        assertThatThrownBy(() -> new DepthwiseConv2D(3).depthMultiplier(0))
                .hasMessageContaining("(DepthwiseConv2D): depth_multiplier must be >= 1, got 0");
        assertThatThrownBy(() -> new SeparableConv2D(2, 3).padding("causal"))
                .hasMessageContaining("(SeparableConv2D): padding must be 'valid' or 'same', got 'causal'");
        assertThatThrownBy(() -> new SeparableConv2D(2, 3).named("r").build(Shape.of(5, 3)))
                .hasMessage("Layer 'r' (SeparableConv2D): expected an input (batch, rows, cols, channels), got "
                        + "(None, 5, 3)");
        assertThatThrownBy(() -> new Conv3DTranspose(2, 3).dataFormat("channels_first").named("r")
                .build(Shape.of(5, 3, 3)))
                .hasMessage("Layer 'r' (Conv3DTranspose): expected an input (batch, channels, depth, rows, cols), got "
                        + "(None, 5, 3, 3)");
        assertThatThrownBy(() -> new DepthwiseConv2D(3).named("u").build(Shape.withUnknown(5, 5, Shape.UNKNOWN)))
                .hasMessageContaining("Layer 'u' (DepthwiseConv2D) needs a known size on axis 3");
        DepthwiseConv2D built = new DepthwiseConv2D(3);
        built.build(Shape.of(4, 4, 1));
        assertThatThrownBy(() -> built.depthMultiplier(2)).hasMessageContaining("depth_multiplier");
    }
}
