package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static io.rnn4j.layers.MergeLayersTest.built;
import static io.rnn4j.layers.MergeLayersTest.close;
import static io.rnn4j.layers.MergeLayersTest.constants;
import static io.rnn4j.layers.MergeLayersTest.gradients;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Devices;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * GroupQueryAttention against a float64 evaluation of Keras 3's grouped_query_attention.py written
 * here with loops (EinsumDense projections, key/value heads repeated for their query-head groups,
 * 1/sqrt(head_dim) scaling, masked softmax: -1e9 and masked probabilities zeroed on Keras's
 * explicit path, TensorFlow's fill and nothing zeroed on its fused path, optional sigmoid gate,
 * output projection) to 1e-5: without masks, with query/value/key masks, causal, sliding window
 * and explicit attention masks, and fully masked rows on both paths; every input and weight
 * gradient against float64 central differences ({@link GradCheck}); None timesteps; output masks;
 * weight shapes and param counts; refusals. Seed 67.
 */
class GroupQueryAttentionTest {
    private static final double TOL = 1e-5;
    private final Random r = new Random(67);

    /** The options of a reference evaluation. */
    private record Opts(int nq, int nkv, int hd, boolean explicit, boolean gate) {
    }

    /** Keras's GroupQueryAttention in float64; keep (B, T, S) or null. Returns output (B, T, dq) and probs (B, Nq, T, S). */
    private static double[][] reference(Tensor q, Tensor v, Tensor k, Map<String, Tensor> w, Opts o, float[] keep) {
        int b = q.dim(0);
        int t = q.dim(1);
        int s = v.dim(1);
        int rep = o.nq / o.nkv;
        double[][][][] qp = project(q, w.get("query/kernel"), w.get("query/bias"), o.nq, o.hd);
        double[][][][] kp = project(k, w.get("key/kernel"), w.get("key/bias"), o.nkv, o.hd);
        double[][][][] vp = project(v, w.get("value/kernel"), w.get("value/bias"), o.nkv, o.hd);
        double[][][][] gp = o.gate ? project(q, w.get("gate/kernel"), w.get("gate/bias"), o.nq, o.hd) : null;
        double scale = (float) (1.0 / Math.sqrt(o.hd));
        double fill = o.explicit ? -1e9 : (float) (3.38953e38 * -0.7);
        float[] wo = w.get("attention_output/kernel").toArray();
        Tensor ob = w.get("attention_output/bias");
        int e = q.dim(2);
        double[] out = new double[b * t * e];
        double[] probs = new double[b * o.nq * t * s];
        for (int n = 0; n < b; n++) {
            for (int i = 0; i < t; i++) {
                double[] ctx = new double[o.nq * o.hd];
                for (int h = 0; h < o.nq; h++) {
                    double[] p = new double[s];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < s; j++) {
                        double dot = 0;
                        for (int d = 0; d < o.hd; d++) {
                            dot += qp[n][i][h][d] * scale * kp[n][j][h / rep][d];
                        }
                        p[j] = keep == null || keep[(n * t + i) * s + j] != 0 ? dot : fill;
                        max = Math.max(max, p[j]);
                    }
                    double z = 0;
                    for (int j = 0; j < s; j++) {
                        p[j] = Math.exp(p[j] - max);
                        z += p[j];
                    }
                    for (int j = 0; j < s; j++) {
                        p[j] /= z;
                        if (o.explicit && keep != null && keep[(n * t + i) * s + j] == 0) {
                            p[j] = 0;
                        }
                        probs[((n * o.nq + h) * t + i) * s + j] = p[j];
                        for (int c = 0; c < o.hd; c++) {
                            ctx[h * o.hd + c] += p[j] * vp[n][j][h / rep][c];
                        }
                    }
                    if (o.gate) {
                        for (int c = 0; c < o.hd; c++) {
                            ctx[h * o.hd + c] *= 1 / (1 + Math.exp(-gp[n][i][h][c]));
                        }
                    }
                }
                for (int x = 0; x < e; x++) {
                    double y = ob == null ? 0 : ob.toArray()[x];
                    for (int hc = 0; hc < o.nq * o.hd; hc++) {
                        y += ctx[hc] * wo[hc * e + x];
                    }
                    out[(n * t + i) * e + x] = y;
                }
            }
        }
        return new double[][] {out, probs};
    }

    /** x (B, T, D) · kernel (D, N, H) + bias (N, H): Keras's EinsumDense "bqm,muh->bquh". */
    private static double[][][][] project(Tensor x, Tensor kernel, Tensor bias, int heads, int dim) {
        float[] xs = x.toArray();
        float[] ks = kernel.toArray();
        float[] bs = bias == null ? null : bias.toArray();
        int in = x.dim(2);
        double[][][][] out = new double[x.dim(0)][x.dim(1)][heads][dim];
        for (int n = 0; n < x.dim(0); n++) {
            for (int i = 0; i < x.dim(1); i++) {
                for (int h = 0; h < heads; h++) {
                    for (int d = 0; d < dim; d++) {
                        double y = bs == null ? 0 : bs[h * dim + d];
                        for (int c = 0; c < in; c++) {
                            y += (double) xs[(n * x.dim(1) + i) * in + c] * ks[(c * heads + h) * dim + d];
                        }
                        out[n][i][h][d] = y;
                    }
                }
            }
        }
        return out;
    }

    /** Random weights set on the layer, by name. */
    private Map<String, Tensor> randomWeights(Layer layer) {
        List<Tensor> w = new ArrayList<>();
        Map<String, Tensor> byName = new HashMap<>();
        for (Weight x : layer.weights()) {
            Tensor v = uniform(r, -0.8f, 0.8f, x.shape().dims());
            w.add(v);
            byName.put(x.name(), v);
        }
        layer.setWeights(w);
        return byName;
    }

    private static Tensor mask(int b, float... values) {
        return Devices.defaultDevice().tensor(values, b, values.length / b);
    }

    /** Keras's _compute_attention_mask written out: (B, T, S) of 0/1. */
    private static float[] keep(int b, int t, int s, Tensor qm, Tensor vm, Tensor km, boolean causal, int window,
            Tensor attention) {
        float[] k = new float[b * t * s];
        for (int n = 0; n < b; n++) {
            for (int i = 0; i < t; i++) {
                for (int j = 0; j < s; j++) {
                    boolean on = (qm == null || qm.toArray()[n * t + i] != 0) && (vm == null
                            || vm.toArray()[n * s + j] != 0) && (km == null || km.toArray()[n * s + j] != 0)
                            && (!causal || j <= i) && (window == 0 || Math.abs(i - j) < window)
                            && (attention == null || attention.toArray()[(n * t + i) * s + j] != 0);
                    k[(n * t + i) * s + j] = on ? 1 : 0;
                }
            }
        }
        return k;
    }

    @Test
    void groupedHeadsProjectionsAndOutputMatchKerassFormulas() {
        System.out.println("GroupQueryAttentionTest seed 67");
        Tensor q = uniform(r, -1, 1, 2, 4, 6);
        Tensor v = uniform(r, -1, 1, 2, 5, 6);
        Tensor k = uniform(r, -1, 1, 2, 5, 3);
        GroupQueryAttention fused = (GroupQueryAttention) built(new GroupQueryAttention(3, 4, 2), q, v, k);
        assertThat(fused.weights().stream().map(Weight::name).toList()).containsExactly("query/kernel", "query/bias",
                "key/kernel", "key/bias", "value/kernel", "value/bias", "attention_output/kernel",
                "attention_output/bias");
        assertThat(fused.weights().stream().map(Weight::shape).toList()).containsExactly(Shape.of(6, 4, 3),
                Shape.of(4, 3), Shape.of(3, 2, 3), Shape.of(2, 3), Shape.of(6, 2, 3), Shape.of(2, 3),
                Shape.of(4, 3, 6), Shape.of(6));
        assertThat(fused.countParams()).isEqualTo(6 * 12 + 12 + 3 * 6 + 6 + 6 * 6 + 6 + 12 * 6 + 6);
        Map<String, Tensor> w = randomWeights(fused);
        double[][] want = reference(q, v, k, w, new Opts(4, 2, 3, false, false), null);
        close("fused", fused.callAll(constants(q, v, k), null, CallContext.inference()).get(0).value().toArray(),
                want[0], TOL);
        GroupQueryAttention scores = (GroupQueryAttention) built(new GroupQueryAttention(3, 4, 2)
                .returnAttentionScores(true), q, v, k);
        scores.setWeights(fused.getWeights());
        List<Variable> out = scores.callAll(constants(q, v, k), null, CallContext.inference());
        assertThat(out.get(1).shape()).isEqualTo(Shape.of(2, 4, 4, 5));
        close("explicit output", out.get(0).value().toArray(), want[0], TOL);
        close("scores", out.get(1).value().toArray(), want[1], TOL);
    }

    @Test
    void masksCombineAsKerassComputeAttentionMaskOnBothPaths() {
        Tensor q = uniform(r, -1, 1, 2, 4, 5);
        Tensor v = uniform(r, -1, 1, 2, 4, 5);
        Tensor qm = mask(2, 1, 1, 1, 0, 1, 1, 1, 1);
        Tensor vm = mask(2, 1, 1, 0, 1, 1, 0, 1, 1);
        Tensor am = Devices.defaultDevice().tensor(new float[] {1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1,
                1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1}, 2, 4, 4);
        for (boolean explicit : new boolean[] {false, true}) {
            for (boolean gate : new boolean[] {false, true}) {
                GroupQueryAttention g = (GroupQueryAttention) built(new GroupQueryAttention(2, 2, 1)
                        .useCausalMask(true).slidingWindow(2).useAttentionMask(true).useGate(gate)
                        .returnAttentionScores(explicit), q, v, am);
                Map<String, Tensor> w = randomWeights(g);
                float[] keep = keep(2, 4, 4, qm, vm, null, true, 2, am);
                double[][] want = reference(q, v, v, w, new Opts(2, 1, 2, explicit, gate), keep);
                List<Variable> y = g.callAll(constants(q, v, am), Arrays.asList(qm, vm, null),
                        CallContext.inference());
                // A masked query step's row is all masked: zeros on the explicit path, uniform on the fused.
                close("explicit=" + explicit + " gate=" + gate, y.get(0).value().toArray(), want[0], TOL);
                if (explicit) {
                    close("scores", y.get(1).value().toArray(), want[1], TOL);
                }
                assertThat(g.computeMasks(constants(q, v, am), Arrays.asList(qm, vm, null))).as("output masks")
                        .containsExactly(explicit ? new Tensor[] {qm, null} : new Tensor[] {qm});
            }
        }
    }

    @Test
    void inputAndWeightGradientsMatchFiniteDifferences() {
        Tensor q = uniform(r, -1, 1, 2, 3, 4);
        Tensor v = uniform(r, -1, 1, 2, 4, 4);
        Tensor k = uniform(r, -1, 1, 2, 4, 2);
        Tensor vm = mask(2, 1, 1, 0, 1, 1, 1, 1, 0);
        GroupQueryAttention g = (GroupQueryAttention) built(new GroupQueryAttention(2, 4, 2).useGate(true)
                .returnAttentionScores(true), q, v, k);
        randomWeights(g);
        gradients("explicit, gated, key and value masks", g, Arrays.asList(null, vm, vm), q, v, k);
        GroupQueryAttention f = (GroupQueryAttention) built(new GroupQueryAttention(2, 2, 1).useBias(false)
                .useCausalMask(true), q, v);
        randomWeights(f);
        gradients("fused, causal, no bias", f, null, q, v);
    }

    @Test
    void noneTimestepsTakeAnyLengths() {
        GroupQueryAttention g = new GroupQueryAttention(2, 2, 2).useCausalMask(true);
        g.build(List.of(Shape.withUnknown(Shape.UNKNOWN, 3), Shape.withUnknown(Shape.UNKNOWN, 3)),
                Devices.defaultDevice(), Seeds.of(2));
        Map<String, Tensor> w = randomWeights(g);
        for (int t : new int[] {1, 5}) {
            Tensor x = uniform(r, -1, 1, 2, t, 3);
            double[][] want = reference(x, x, x, w, new Opts(2, 2, 2, false, false),
                    keep(2, t, t, null, null, null, true, 0, null));
            close("T=" + t, g.callAll(constants(x, x), null, CallContext.inference()).get(0).value().toArray(),
                    want[0], TOL);
        }
    }

    @Test
    void badOptionsAndInputsAreRefusedNamingTheLayer() {
        assertThatThrownBy(() -> new GroupQueryAttention(4, 3, 2)).hasMessageContaining("GroupQueryAttention")
                .hasMessageContaining("num_query_heads must be divisible by num_key_value_heads, got 3 and 2");
        assertThatThrownBy(() -> new GroupQueryAttention(0, 2, 2)).hasMessageContaining("head_dim must be a positive");
        assertThatThrownBy(() -> new GroupQueryAttention(2, 2, 2).flashAttention(true).dropout(0.1))
                .hasMessageContaining("dropout is not supported when flash attention is enabled");
        assertThatThrownBy(() -> new GroupQueryAttention(2, 2, 2).flashAttention(true).returnAttentionScores(true))
                .hasMessageContaining("returning attention scores is not supported");
        assertThatThrownBy(() -> new GroupQueryAttention(2, 2, 2).build(List.of(Shape.of(4, 6), Shape.of(5, 3)),
                Devices.defaultDevice(), Seeds.of(1))).hasMessageContaining("the last dimension of the query and the "
                + "value must be equal").hasMessageContaining("(None, 5, 3)");
        assertThatThrownBy(() -> new GroupQueryAttention(2, 2, 2).build(List.of(Shape.of(4, 6), Shape.of(5, 6),
                Shape.of(4, 2)), Devices.defaultDevice(), Seeds.of(1))).hasMessageContaining("same steps");
        assertThatThrownBy(() -> new GroupQueryAttention(2, 2, 2).build(List.of(Shape.of(6), Shape.of(6)),
                Devices.defaultDevice(), Seeds.of(1))).hasMessageContaining("of rank 3");
        GroupQueryAttention g = new GroupQueryAttention(2, 2, 2);
        g.build(List.of(Shape.of(4, 6), Shape.of(5, 6)), Devices.defaultDevice(), Seeds.of(1));
        assertThatThrownBy(() -> g.callAll(constants(uniform(r, -1, 1, 2, 4, 6), uniform(r, -1, 1, 2, 5, 6)),
                Arrays.asList(null, mask(2, 1, 1, 1, 1)), CallContext.inference()))
                .hasMessageContaining("the value mask must be (batch, T) = (2, 5)");
    }
}
