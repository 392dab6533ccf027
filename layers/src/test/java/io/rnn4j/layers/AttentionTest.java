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
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Attention and AdditiveAttention: forward against a float64 evaluation of Keras 3's formulas
 * (scores, −1e9 on masked or future value positions, softmax, weighted values, zero at masked
 * queries) to 1e-5, every gradient (query, value, key, weights) against float64 central
 * differences ({@link GradCheck}), output masks, weights and defaults, refusals. Seed 47.
 */
class AttentionTest {
    private static final double TOL = 1e-5;
    private final Random r = new Random(47);

    /** Keras's score function, in double. */
    private interface Score {
        double of(float[] q, int qi, float[] k, int kj, int dim);
    }

    /** Keras's attention in float64: q (B, Tq, dim), v (B, Tv, dv), k (B, Tv, dim). */
    private static double[][] reference(Tensor q, Tensor v, Tensor k, float[] qMask, float[] vMask, boolean causal,
            Score score) {
        int b = q.dim(0);
        int tq = q.dim(1);
        int dim = q.dim(2);
        int tv = v.dim(1);
        int dv = v.dim(2);
        float[] qs = q.toArray();
        float[] vs = v.toArray();
        float[] ks = k.toArray();
        double[] out = new double[b * tq * dv];
        double[] weights = new double[b * tq * tv];
        for (int n = 0; n < b; n++) {
            for (int i = 0; i < tq; i++) {
                double[] s = new double[tv];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < tv; j++) {
                    s[j] = score.of(qs, (n * tq + i) * dim, ks, (n * tv + j) * dim, dim);
                    if ((vMask != null && vMask[n * tv + j] == 0) || (causal && j > i)) {
                        s[j] -= 1e9;
                    }
                    max = Math.max(max, s[j]);
                }
                double z = 0;
                for (int j = 0; j < tv; j++) {
                    s[j] = Math.exp(s[j] - max);
                    z += s[j];
                }
                for (int j = 0; j < tv; j++) {
                    double w = s[j] / z;
                    weights[(n * tq + i) * tv + j] = w;
                    for (int c = 0; c < dv; c++) {
                        out[(n * tq + i) * dv + c] += w * vs[(n * tv + j) * dv + c];
                    }
                }
                if (qMask != null && qMask[n * tq + i] == 0) {
                    Arrays.fill(out, (n * tq + i) * dv, (n * tq + i + 1) * dv, 0);
                }
            }
        }
        return new double[][] {out, weights};
    }

    private static Score dot(double scale) {
        return (q, qi, k, kj, dim) -> {
            double s = 0;
            for (int d = 0; d < dim; d++) {
                s += (double) q[qi + d] * k[kj + d];
            }
            return s * scale;
        };
    }

    private static Score additive(float[] scale) {
        return (q, qi, k, kj, dim) -> {
            double s = 0;
            for (int d = 0; d < dim; d++) {
                s += (scale == null ? 1 : scale[d]) * Math.tanh((double) q[qi + d] + k[kj + d]);
            }
            return s;
        };
    }

    private static Tensor mask(float... values) {
        return Devices.defaultDevice().tensor(values, 2, values.length / 2);
    }

    @Test
    void dotAttentionIsKerassLuongAttention() {
        Tensor q = uniform(r, -1, 1, 2, 3, 4);
        Tensor v = uniform(r, -1, 1, 2, 5, 4);
        Attention plain = (Attention) built(new Attention(), q, v);
        assertThat(plain.weights()).isEmpty();
        assertThat(plain.outputShape()).isEqualTo(Shape.of(3, 4));
        close("dot attention", plain.callAll(constants(q, v), null, CallContext.inference()).get(0).value().toArray(),
                reference(q, v, v, null, null, false, dot(1))[0], TOL);

        Tensor qMask = mask(1, 1, 0, 1, 0, 1);
        Tensor vMask = mask(1, 0, 1, 1, 0, 0, 1, 1, 1, 1);
        Attention scaled = (Attention) built(new Attention().useScale(true).returnAttentionScores(true), q, v);
        assertThat(scaled.weights()).extracting(Weight::name).containsExactly("scale");
        assertThat(scaled.weights().get(0).value().toArray()).as("scale starts at 1").containsExactly(1f);
        scaled.setWeights(List.of(Devices.defaultDevice().tensor(new float[] {0.7f})));
        List<Variable> out = scaled.callAll(constants(q, v), Arrays.asList(qMask, vMask), CallContext.inference());
        double[][] expected = reference(q, v, v, qMask.toArray(), vMask.toArray(), false, dot(0.7f));
        close("scaled, masked attention output", out.get(0).value().toArray(), expected[0], TOL);
        close("scaled, masked attention weights", out.get(1).value().toArray(), expected[1], TOL);
        assertThat(scaled.computeMasks(constants(q, v), Arrays.asList(qMask, vMask)).get(0))
                .as("the output carries the query mask").isSameAs(qMask);
        gradients("Attention dot, scaled, masked", scaled, Arrays.asList(qMask, vMask), q, v);
    }

    @Test
    void keyInputCausalMaskAndConcatScores() {
        Tensor q = uniform(r, -1, 1, 2, 4, 3);
        Tensor v = uniform(r, -1, 1, 2, 4, 2);
        Tensor k = uniform(r, -1, 1, 2, 4, 3);
        Attention causal = (Attention) built(new Attention().useCausalMask(true), q, v, k);
        assertThat(causal.outputShape()).isEqualTo(Shape.of(4, 2));
        close("causal attention with a key", causal.callAll(constants(q, v, k), null, CallContext.inference()).get(0)
                .value().toArray(), reference(q, v, k, null, null, true, dot(1))[0], TOL);
        gradients("Attention causal with key", causal, null, q, v, k);

        Attention concat = (Attention) built(new Attention().scoreMode(Attention.ScoreMode.CONCAT).useScale(true), q,
                v, k);
        assertThat(concat.weights()).extracting(Weight::name).containsExactly("scale", "concat_score_weight");
        concat.setWeights(List.of(Devices.defaultDevice().tensor(new float[] {0.8f}),
                Devices.defaultDevice().tensor(new float[] {1.3f})));
        Score s = (qs, qi, ks, kj, dim) -> {
            double sum = 0;
            for (int d = 0; d < dim; d++) {
                sum += Math.tanh(0.8f * ((double) qs[qi + d] + ks[kj + d]));
            }
            return 1.3f * sum;
        };
        Tensor vMask = mask(1, 1, 0, 1, 1, 0, 1, 1);
        close("concat attention", concat.callAll(constants(q, v, k), Arrays.asList(null, vMask, null),
                CallContext.inference()).get(0).value().toArray(), reference(q, v, k, null, vMask.toArray(), false, s)[0],
                TOL);
        gradients("Attention concat, scaled, value mask", concat, Arrays.asList(null, vMask, null), q, v, k);
    }

    @Test
    void additiveAttentionIsKerassBahdanauAttention() {
        Tensor q = uniform(r, -1, 1, 2, 3, 4);
        Tensor v = uniform(r, -1, 1, 2, 5, 3);
        Tensor k = uniform(r, -1, 1, 2, 5, 4);
        AdditiveAttention add = (AdditiveAttention) built(new AdditiveAttention(), q, v, k);
        assertThat(add.useScale()).as("use_scale defaults to true").isTrue();
        assertThat(add.weights()).extracting(Weight::name).containsExactly("scale");
        assertThat(add.weights().get(0).shape()).isEqualTo(Shape.of(4));
        float[] scale = add.weights().get(0).value().toArray();
        double limit = Math.sqrt(6.0 / (4 + 4));
        for (float f : scale) {
            assertThat((double) Math.abs(f)).as("glorot_uniform of (dim,): fans dim and dim").isLessThanOrEqualTo(limit);
        }
        Tensor qMask = mask(0, 1, 1, 1, 1, 0);
        Tensor vMask = mask(1, 1, 1, 0, 0, 1, 0, 1, 1, 1);
        close("additive attention", add.callAll(constants(q, v, k), Arrays.asList(qMask, vMask, null),
                CallContext.inference()).get(0).value().toArray(),
                reference(q, v, k, qMask.toArray(), vMask.toArray(), false, additive(scale))[0], TOL);
        gradients("AdditiveAttention masked", add, Arrays.asList(qMask, vMask, null), q, v, k);
        AdditiveAttention plain = (AdditiveAttention) built(new AdditiveAttention().useScale(false), q, k);
        assertThat(plain.weights()).isEmpty();
        close("additive attention without scale, value as key", plain.callAll(constants(q, k), null,
                CallContext.inference()).get(0).value().toArray(), reference(q, k, k, null, null, false,
                additive(null))[0], TOL);
    }

    @Test
    void dropoutDropsAttentionWeightsInTrainingOnly() {
        Tensor q = uniform(r, -1, 1, 2, 3, 4);
        Tensor v = uniform(r, -1, 1, 2, 5, 4);
        Attention a = (Attention) built(new Attention().dropout(0.5f).returnAttentionScores(true), q, v);
        List<Variable> inference = a.callAll(constants(q, v), null, CallContext.inference());
        close("no dropout at inference", inference.get(1).value().toArray(), reference(q, v, v, null, null, false,
                dot(1))[1], TOL);
        float[] trained = a.callAll(constants(q, v), null, CallContext.training(Seeds.of(9))).get(1).value().toArray();
        float[] plain = inference.get(1).value().toArray();
        int zeros = 0;
        for (int i = 0; i < trained.length; i++) {
            if (trained[i] == 0f) {
                zeros++;
            } else {
                assertThat((double) trained[i]).as("kept weights scaled by 1/(1-rate)")
                        .isCloseTo(2.0 * plain[i], org.assertj.core.data.Offset.offset(1e-6));
            }
        }
        assertThat(zeros).as("about half of 30 weights dropped").isBetween(5, 25);
        List<Variable> in = constants(q, v).stream().map(x -> Variable.parameter(x.value())).toList();
        GradCheck.checkParameters("Attention dropout (fixed mask)", () -> a.callAll(in, null,
                CallContext.training(Seeds.of(9))).get(0), in);
    }

    @Test
    void badInputsAreRefusedNamingTheLayer() {
        Input q = Input.shape(3, 4);
        Input v = Input.shape(5, 6);
        assertThatThrownBy(() -> new Attention().named("att").apply(q))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'att' (Attention) takes 2 to 3 "
                        + "inputs, got 1");
        assertThatThrownBy(() -> new Attention().named("att2").apply(q, v))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'att2' (Attention) expects [query")
                .hasMessageContaining("(None, 3, 4), (None, 5, 6)");
        Tensor qt = uniform(r, -1, 1, 2, 3, 4);
        Layer built = built(new Attention().named("att3"), qt, qt);
        assertThatThrownBy(() -> built.callAll(constants(qt, qt), Arrays.asList(null, Tensor.zeros(2, 4)),
                CallContext.inference())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("att3: the value mask must be (batch, T) = (2, 3), got (2, 4)");
    }
}
