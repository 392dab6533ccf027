package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static io.rnn4j.layers.MergeLayersTest.built;
import static io.rnn4j.layers.MergeLayersTest.close;
import static io.rnn4j.layers.MergeLayersTest.constants;
import static io.rnn4j.layers.MergeLayersTest.gradients;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Devices;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Model;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * MultiHeadAttention against a float64 evaluation of Keras 3's multi_head_attention.py written
 * here with loops (EinsumDense projections, query times 1/sqrt(key_dim), per-head dot products,
 * masked softmax with -1e9 put in place of masked scores, masked probabilities zeroed when Keras
 * materialises them, weighted values, output projection) to 1e-5: without masks, with query,
 * value and key masks, causal and explicit attention masks, and fully masked rows on both of
 * Keras's paths; dropout in training; every input and weight gradient against float64 central
 * differences ({@link GradCheck}); None timesteps; output masks; param counts; refusals. Seed 53.
 */
class MultiHeadAttentionTest {
    private static final double TOL = 1e-5;
    private final Random r = new Random(53);

    /**
     * Keras's MultiHeadAttention in float64. keep (B, T, S) is 1 where attending is allowed, or
     * null; zeroMasked: masked probabilities set to 0 after the softmax (Keras's explicit path).
     * Returns the output (B, T, E) and the probabilities (B, N, T, S).
     */
    private static double[][] reference(Tensor q, Tensor v, Tensor k, List<Tensor> w, int heads, int keyDim,
            int valueDim, float[] keep, boolean zeroMasked) {
        int b = q.dim(0);
        int t = q.dim(1);
        int s = v.dim(1);
        double[][][][] qp = project(q, w.get(0), w.get(1), heads, keyDim);
        double[][][][] kp = project(k, w.get(2), w.get(3), heads, keyDim);
        double[][][][] vp = project(v, w.get(4), w.get(5), heads, valueDim);
        float scale = (float) (1.0 / Math.sqrt(keyDim));
        float[] wo = w.get(6).toArray();
        float[] bo = w.get(7).toArray();
        int e = bo.length;
        double[] out = new double[b * t * e];
        double[] probs = new double[b * heads * t * s];
        for (int n = 0; n < b; n++) {
            for (int i = 0; i < t; i++) {
                double[] ctx = new double[heads * valueDim];
                for (int h = 0; h < heads; h++) {
                    double[] p = new double[s];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < s; j++) {
                        double dot = 0;
                        for (int d = 0; d < keyDim; d++) {
                            dot += qp[n][i][h][d] * scale * kp[n][j][h][d];
                        }
                        p[j] = keep == null || keep[(n * t + i) * s + j] != 0 ? dot : -1e9;
                        max = Math.max(max, p[j]);
                    }
                    double z = 0;
                    for (int j = 0; j < s; j++) {
                        p[j] = Math.exp(p[j] - max);
                        z += p[j];
                    }
                    for (int j = 0; j < s; j++) {
                        p[j] /= z;
                        if (zeroMasked && keep != null && keep[(n * t + i) * s + j] == 0) {
                            p[j] = 0;
                        }
                        probs[((n * heads + h) * t + i) * s + j] = p[j];
                        for (int c = 0; c < valueDim; c++) {
                            ctx[h * valueDim + c] += p[j] * vp[n][j][h][c];
                        }
                    }
                }
                for (int o = 0; o < e; o++) {
                    double y = bo[o];
                    for (int hc = 0; hc < heads * valueDim; hc++) {
                        y += ctx[hc] * wo[hc * e + o];
                    }
                    out[(n * t + i) * e + o] = y;
                }
            }
        }
        return new double[][] {out, probs};
    }

    /** x (B, T, D) · kernel (D, N, H) + bias (N, H), as Keras's EinsumDense "abc,cde->abde". */
    private static double[][][][] project(Tensor x, Tensor kernel, Tensor bias, int heads, int dim) {
        float[] xs = x.toArray();
        float[] ks = kernel.toArray();
        float[] bs = bias.toArray();
        int b = x.dim(0);
        int t = x.dim(1);
        int in = x.dim(2);
        double[][][][] out = new double[b][t][heads][dim];
        for (int n = 0; n < b; n++) {
            for (int i = 0; i < t; i++) {
                for (int h = 0; h < heads; h++) {
                    for (int d = 0; d < dim; d++) {
                        double y = bs[h * dim + d];
                        for (int c = 0; c < in; c++) {
                            y += (double) xs[(n * t + i) * in + c] * ks[(c * heads + h) * dim + d];
                        }
                        out[n][i][h][d] = y;
                    }
                }
            }
        }
        return out;
    }

    /** Random weights (biases included, so that they matter) set on the layer and returned in its order. */
    private List<Tensor> randomWeights(Layer layer) {
        List<Tensor> w = new ArrayList<>();
        for (Weight x : layer.weights()) {
            w.add(uniform(r, -0.8f, 0.8f, x.shape().dims()));
        }
        layer.setWeights(w);
        return w;
    }

    private static Tensor mask(int b, float... values) {
        return Devices.defaultDevice().tensor(values, b, values.length / b);
    }

    /** Keras's _compute_attention_mask, written out: (B, T, S) of 0/1. */
    private static float[] keep(int b, int t, int s, Tensor qMask, Tensor vMask, Tensor kMask, boolean causal,
            Tensor attention) {
        float[] k = new float[b * t * s];
        for (int n = 0; n < b; n++) {
            for (int i = 0; i < t; i++) {
                for (int j = 0; j < s; j++) {
                    boolean on = (qMask == null || qMask.toArray()[n * t + i] != 0)
                            && (vMask == null || vMask.toArray()[n * s + j] != 0)
                            && (kMask == null || kMask.toArray()[n * s + j] != 0) && (!causal || j <= i)
                            && (attention == null || attention.toArray()[(n * t + i) * s + j] != 0);
                    k[(n * t + i) * s + j] = on ? 1 : 0;
                }
            }
        }
        return k;
    }

    @Test
    void freshKernelsDrawGlorotWithEinsumDenseFansAsKeras() {
        // Keras 3.15's EinsumDense sub-layers give glorot_uniform fan_in = the kernel's input axes and
        // fan_out = its output axes: query (8, 2, 4) and output (2, 4, 8) both have limit sqrt(6 / 16).
        // Convolution-style fans would give sqrt(6 / 48) and sqrt(6 / 24).
        Tensor q = uniform(r, -1, 1, 1, 3, 8);
        MultiHeadAttention m = (MultiHeadAttention) built(new MultiHeadAttention(2, 4), q, q);
        double limit = Math.sqrt(6.0 / 16);
        for (int i : new int[] {0, 6}) {
            float[] k = m.weights().get(i).value().toArray();
            double max = 0;
            for (float x : k) {
                max = Math.max(max, Math.abs(x));
            }
            assertThat(max).as("%s: 64 uniform draws within ±%.4f reach past 0.52 (else fans are wrong)",
                    m.weights().get(i).name(), limit).isLessThanOrEqualTo(limit).isGreaterThan(0.52);
        }
    }

    @Test
    void projectionsHeadsAndOutputMatchKerassFormulas() {
        Tensor q = uniform(r, -1, 1, 2, 3, 5);
        Tensor v = uniform(r, -1, 1, 2, 4, 3);
        Tensor k = uniform(r, -1, 1, 2, 4, 2);
        MultiHeadAttention m = (MultiHeadAttention) built(new MultiHeadAttention(3, 2).valueDim(4).outputShape(6),
                q, v, k);
        assertThat(m.weights()).extracting(Weight::name).containsExactly("query/kernel", "query/bias", "key/kernel",
                "key/bias", "value/kernel", "value/bias", "attention_output/kernel", "attention_output/bias");
        assertThat(m.weights()).extracting(Weight::shape).containsExactly(Shape.of(5, 3, 2), Shape.of(3, 2),
                Shape.of(2, 3, 2), Shape.of(3, 2), Shape.of(3, 3, 4), Shape.of(3, 4), Shape.of(3, 4, 6), Shape.of(6));
        // Keras's count: (dq + 1)·N·key_dim + (dk + 1)·N·key_dim + (dv + 1)·N·value_dim + (N·value_dim + 1)·E.
        assertThat(m.countParams()).isEqualTo(6 * 6 + 3 * 6 + 4 * 12 + 13 * 6);
        assertThat(m.outputShape()).isEqualTo(Shape.of(3, 6));
        List<Tensor> w = randomWeights(m);
        close("output, 3 heads, value_dim 4, output_shape 6, a key", m.callAll(constants(q, v, k), null,
                CallContext.inference()).get(0).value().toArray(), reference(q, v, k, w, 3, 2, 4, null, false)[0], TOL);
        gradients("MHA 3 heads with key", m, null, q, v, k);

        MultiHeadAttention self = (MultiHeadAttention) built(new MultiHeadAttention(1, 3).useBias(false), q, q);
        assertThat(self.weights()).extracting(Weight::name).containsExactly("query/kernel", "key/kernel",
                "value/kernel", "attention_output/kernel");
        assertThat(self.countParams()).as("no biases: 3·5·3 + 3·5").isEqualTo(3 * 15 + 15);
        List<Tensor> sw = randomWeights(self);
        List<Tensor> full = new ArrayList<>();
        int[][] biasDims = {{1, 3}, {1, 3}, {1, 3}, {5}};
        for (int p = 0; p < 4; p++) {
            full.add(sw.get(p));
            full.add(Tensor.zeros(biasDims[p]));
        }
        close("one head, no bias, the value as key", self.callAll(constants(q, q), null, CallContext.inference())
                .get(0).value().toArray(), reference(q, q, q, full, 1, 3, 3, null, false)[0], TOL);
    }

    @Test
    void masksCombineAsKerasComputeAttentionMask() {
        Tensor q = uniform(r, -1, 1, 2, 4, 3);
        Tensor v = uniform(r, -1, 1, 2, 4, 3);
        Tensor k = uniform(r, -1, 1, 2, 4, 3);
        Tensor qMask = mask(2, 1, 1, 0, 1, 1, 1, 1, 0);
        Tensor vMask = mask(2, 1, 0, 1, 1, 0, 1, 1, 1);
        Tensor kMask = mask(2, 1, 1, 1, 0, 1, 1, 0, 1);
        Tensor attention = uniform(r, 0, 1, 2, 4, 4);
        float[] a = attention.toArray();
        for (int i = 0; i < a.length; i++) {
            a[i] = a[i] < 0.25f ? 0f : a[i];  // Keras casts to bool: any non-zero value attends
        }
        attention = Tensor.of(a, 2, 4, 4);
        MultiHeadAttention m = (MultiHeadAttention) built(new MultiHeadAttention(2, 2).useCausalMask(true)
                .useAttentionMask(true).returnAttentionScores(true), q, v, k, attention);
        List<Tensor> w = randomWeights(m);
        List<Variable> out = m.callAll(constants(q, v, k, attention), Arrays.asList(qMask, vMask, kMask, null),
                CallContext.inference());
        float[] keep = keep(2, 4, 4, qMask, vMask, kMask, true, attention);
        double[][] expected = reference(q, v, k, w, 2, 2, 2, keep, true);
        close("query, value, key, causal and attention masks: output", out.get(0).value().toArray(), expected[0], TOL);
        close("... probabilities (B, N, T, S)", out.get(1).value().toArray(), expected[1], TOL);
        assertThat(out.get(1).shape()).isEqualTo(Shape.of(2, 2, 4, 4));
        assertThat(m.computeMasks(constants(q, v, k, attention), Arrays.asList(qMask, vMask, kMask, null)))
                .as("the output carries the query mask, the scores none").containsExactly(qMask, null);
        // The attention mask is a boolean in Keras (cast, no gradient): the data inputs and weights are checked.
        List<Variable> in = new ArrayList<>(Arrays.stream(new Tensor[] {q, v, k}).map(Variable::parameter).toList());
        List<Variable> params = new ArrayList<>(in);
        m.weights().forEach(x -> params.add(x.variable()));
        in.add(Variable.constant(attention));
        GradCheck.checkParameters("MHA every mask", () -> m.callAll(in, Arrays.asList(qMask, vMask, kMask, null),
                CallContext.inference()).get(0), params);
    }

    @Test
    void fullyMaskedRowsAreZeroOnKerassExplicitPathAndUniformOnItsFusedPath() {
        Tensor q = uniform(r, -1, 1, 1, 3, 2);
        Tensor v = uniform(r, -1, 1, 1, 3, 2);
        Tensor qMask = mask(1, 1, 0, 1);  // query step 1: every score masked
        Tensor vMask = mask(1, 0, 1, 1);
        float[] keep = keep(1, 3, 3, qMask, vMask, null, false, null);
        MultiHeadAttention scores = (MultiHeadAttention) built(new MultiHeadAttention(2, 2)
                .returnAttentionScores(true), q, v);
        List<Tensor> w = randomWeights(scores);
        List<Variable> out = scores.callAll(constants(q, v), Arrays.asList(qMask, vMask), CallContext.inference());
        float[] p = out.get(1).value().toArray();
        for (int h = 0; h < 2; h++) {
            for (int j = 0; j < 3; j++) {
                assertThat(p[(h * 3 + 1) * 3 + j]).as("head %d, masked query step, value step %d: Softmax's where "
                        + "sets it to 0", h, j).isZero();
            }
        }
        close("explicit path (scores returned): output", out.get(0).value().toArray(),
                reference(q, v, v, w, 2, 2, 2, keep, true)[0], TOL);
        float[] y = out.get(0).value().toArray();
        float[] bias = w.get(7).toArray();
        for (int o = 0; o < 2; o++) {
            assertThat(y[2 + o]).as("a fully masked query step outputs the output bias").isEqualTo(bias[o]);
        }

        MultiHeadAttention fused = (MultiHeadAttention) built(new MultiHeadAttention(2, 2), q, v);
        fused.setWeights(w);
        double[][] uniform = reference(q, v, v, w, 2, 2, 2, keep, false);
        close("fused path (no dropout, no scores): output with a uniform masked row", fused.callAll(constants(q, v),
                Arrays.asList(qMask, vMask), CallContext.inference()).get(0).value().toArray(), uniform[0], TOL);
        assertThat(uniform[1][1 * 3]).as("the reference's masked row is 1/S").isCloseTo(1.0 / 3,
                org.assertj.core.data.Offset.offset(1e-12));
        gradients("MHA fully masked rows, fused path", fused, Arrays.asList(qMask, vMask), q, v);
        gradients("MHA fully masked rows, explicit path", scores, Arrays.asList(qMask, vMask), q, v);
    }

    @Test
    void dropoutDropsProbabilitiesInTrainingAndReturnsTheUndroppedScores() {
        Tensor q = uniform(r, -1, 1, 4, 5, 3);
        MultiHeadAttention m = (MultiHeadAttention) built(new MultiHeadAttention(2, 2).dropout(0.4f)
                .returnAttentionScores(true), q, q);
        List<Tensor> w = randomWeights(m);
        double[][] plain = reference(q, q, q, w, 2, 2, 2, null, true);
        List<Variable> inference = m.callAll(constants(q, q), null, CallContext.inference());
        close("no dropout at inference", inference.get(0).value().toArray(), plain[0], TOL);
        List<Variable> trained = m.callAll(constants(q, q), null, CallContext.training(Seeds.of(5)));
        close("the scores returned are before dropout", trained.get(1).value().toArray(), plain[1], TOL);
        float[] y = trained.get(0).value().toArray();
        int differ = 0;
        for (int i = 0; i < y.length; i++) {
            differ += Math.abs(y[i] - plain[0][i]) > 1e-4 ? 1 : 0;
        }
        assertThat(differ).as("training changes the output").isGreaterThan(y.length / 2);
        // Statistics: with value = ones and a zero output bias, each output is Σ kept p/(1-rate), mean 1.
        MultiHeadAttention ones = (MultiHeadAttention) built(new MultiHeadAttention(1, 2).dropout(0.4f)
                .valueDim(1).outputShape(1), q, q);
        List<Tensor> ow = new ArrayList<>(randomWeights(ones));
        ow.set(4, Tensor.zeros(3, 1, 1));
        ow.set(5, Tensor.of(new float[] {1f}, 1, 1));
        ow.set(6, Tensor.of(new float[] {1f}, 1, 1, 1));
        ow.set(7, Tensor.zeros(1));
        ones.setWeights(ow);
        Tensor big = uniform(r, -1, 1, 64, 20, 3);
        float[] sums = ones.callAll(constants(big, big), null, CallContext.training(Seeds.of(6))).get(0).value()
                .toArray();
        double mean = 0;
        for (float v : sums) {
            mean += v / (double) sums.length;
        }
        assertThat(mean).as("E[Σ_j p_j·keep_j/(1-rate)] = 1 over 1280 rows (seed 6)").isCloseTo(1.0,
                within(0.03));
        // Copies: the query and the value must be distinct tensors for their differences to be taken apart.
        List<Variable> in = List.of(Variable.parameter(q.copy()), Variable.parameter(q.copy()));
        List<Variable> params = new ArrayList<>(in);
        m.weights().forEach(x -> params.add(x.variable()));
        GradCheck.checkParameters("MHA dropout (fixed noise)", () -> m.callAll(in, null,
                CallContext.training(Seeds.of(9))).get(0), params);
    }

    @Test
    void noneTimestepsTakeAnyLengthsAndBindOnlyTheFeatures() {
        Input query = Input.shape(Input.NONE, 4);
        Input value = Input.shape(Input.NONE, 3);
        MultiHeadAttention layer = new MultiHeadAttention(2, 3).useCausalMask(true).named("mha");
        SymbolicTensor y = layer.apply(query, value);
        assertThat(y.shape()).isEqualTo(Shape.withUnknown(Input.NONE, 4));
        Model model = Model.of(List.of(query, value), y);
        List<Tensor> w = randomWeights(layer);
        for (int[] lengths : new int[][] {{2, 5}, {6, 3}, {1, 1}}) {
            Tensor q = uniform(r, -1, 1, 3, lengths[0], 4);
            Tensor v = uniform(r, -1, 1, 3, lengths[1], 3);
            float[] keep = keep(3, lengths[0], lengths[1], null, null, null, true, null);
            close("query " + lengths[0] + " steps, value " + lengths[1], model.predict(List.of(q, v)).get(0)
                    .toArray(), reference(q, v, v, w, 2, 3, 3, keep, false)[0], TOL);
        }
        assertThatThrownBy(() -> layer.apply(Input.shape(5, 4), Input.shape(5, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'mha' (MultiHeadAttention) was built for a value of 3 features, got "
                        + "(None, 5, 2)");
    }

    @Test
    void badOptionsAndInputsAreRefusedNamingTheLayer() {
        assertThatThrownBy(() -> new MultiHeadAttention(2, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("MultiHeadAttention: key_dim must be a positive integer, got 0");
        assertThatThrownBy(() -> new MultiHeadAttention(0, 4)).hasMessageContaining("num_heads must be a positive "
                + "integer, got 0");
        assertThatThrownBy(() -> new MultiHeadAttention(2, 4).valueDim(-1)).hasMessageContaining("value_dim must be");
        assertThatThrownBy(() -> new MultiHeadAttention(2, 4).named("m").attentionAxes(2))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Layer 'm' (MultiHeadAttention): "
                        + "attention_axes=[2] is not supported; rnn4j attends over the sequence axis of rank-3 inputs "
                        + "only (attention_axes None, 1 or -2)");
        assertThatThrownBy(() -> new MultiHeadAttention(2, 4).attentionAxes(1, 2)).hasMessageContaining("[1, 2]");
        new MultiHeadAttention(2, 4).attentionAxes(-2).attentionAxes(1);
        assertThatThrownBy(() -> new MultiHeadAttention(2, 4).dropout(1.5f)).hasMessageContaining("dropout must be");

        Input q = Input.shape(3, 4);
        assertThatThrownBy(() -> new MultiHeadAttention(2, 4).named("one").apply(q))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'one' (MultiHeadAttention) takes 2 to 3 inputs, got 1");
        assertThatThrownBy(() -> new MultiHeadAttention(2, 4).named("kv").apply(q, Input.shape(5, 4),
                Input.shape(6, 4))).hasMessageContaining("'kv' (MultiHeadAttention) expects [query (batch, T, dim)")
                .hasMessageContaining("[(None, 3, 4), (None, 5, 4), (None, 6, 4)]");
        assertThatThrownBy(() -> new MultiHeadAttention(2, 4).named("r4").apply(Input.shape(3, 4, 2), q))
                .hasMessageContaining("rank-3 inputs only");
        assertThatThrownBy(() -> new MultiHeadAttention(2, 4).named("am").useAttentionMask(true).apply(q, q,
                Input.shape(3, 5))).hasMessageContaining("'am' (MultiHeadAttention): the attention_mask must be "
                + "(batch, T, S) = (None, 3, 3) or broadcast to it (a 1 on T or S), got (None, 3, 5)");

        Tensor x = uniform(r, -1, 1, 2, 3, 4);
        Layer m = built(new MultiHeadAttention(2, 2).named("b"), x, x);
        assertThatThrownBy(() -> m.callAll(constants(x, uniform(r, -1, 1, 2, 3, 5)), null, CallContext.inference()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'b' (MultiHeadAttention) was built for a value of 4 features, got (None, 3, 5)");
        assertThatThrownBy(() -> m.callAll(constants(x, x), Arrays.asList(null, Tensor.zeros(2, 4)),
                CallContext.inference())).hasMessageContaining("'b' (MultiHeadAttention): the value mask must be "
                + "(batch, T) = (2, 3), got (2, 4)");
        assertThatThrownBy(() -> m.callAll(constants(x, uniform(r, -1, 1, 3, 3, 4)), null, CallContext.inference()))
                .hasMessageContaining("expects batches (batch, T, dim) of one size");
        Input none = Input.shape(Input.NONE, Input.NONE);
        assertThatThrownBy(() -> new MultiHeadAttention(2, 2).named("n").apply(none, none))
                .hasMessageContaining("'n' (MultiHeadAttention) needs a known size on axis 2");
    }
}
