package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static io.rnn4j.layers.MergeLayersTest.close;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Model;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * ReversibleEmbedding: Keras's defaults and weights, the forward call as Embedding's (rows of the
 * table, mask_zero's mask), the reverse call against a float64 {@code h · Eᵀ} (or
 * {@code h · reverse_embeddings}, soft-capped {@code tanh(l / c) · c}) to 1e-5 relative, its
 * gradients against finite differences, a functional model calling it both ways (None timesteps,
 * no mask after the reverse call, both calls' gradients summed in the table) and bad settings and
 * inputs refused by name. Seed 73.
 */
class ReversibleEmbeddingTest {
    private final Random r = new Random(73);

    /** Logits of hidden rows (n, d) against a table: tied (v, d) transposed, else (d, v); capped unless cap is 0. */
    static double[] reference(float[] h, int n, int d, float[] table, int v, boolean tied, double cap) {
        double[] out = new double[n * v];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < v; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    s += (double) h[i * d + k] * (tied ? table[j * d + k] : table[k * v + j]);
                }
                out[i * v + j] = cap == 0 ? s : Math.tanh(s / cap) * cap;
            }
        }
        return out;
    }

    private void setRandom(Layer layer) {
        layer.setWeights(layer.weights().stream().map(w -> uniform(r, -1, 1, w.shape().dims())).toList());
    }

    @Test
    void kerasDefaultsForwardAndTiedReverse() {
        ReversibleEmbedding e = new ReversibleEmbedding(7, 3);
        assertThat(List.of(e.tieWeights(), e.maskZero())).containsExactly(true, false);
        assertThat(e.logitSoftCap()).isNull();
        e.build(Shape.of(4));
        assertThat(e.weights()).extracting(Weight::name).containsExactly("embeddings");
        for (float w : e.weights().get(0).value().toArray()) {
            assertThat(Math.abs(w)).as("RandomUniform(-0.05, 0.05)").isLessThanOrEqualTo(0.05f);
        }
        assertThat(e.countParams()).isEqualTo(21);
        setRandom(e);
        float[] table = e.weights().get(0).value().toArray();
        Tensor ids = Tensor.of(new float[] {1, 0, 6, 3, 2, 2, 5, 0}, 2, 4);
        float[] rows = e.call(Variable.constant(ids), null, CallContext.inference()).value().toArray();
        for (int i = 0; i < 8; i++) {
            int id = (int) ids.toArray()[i];
            for (int k = 0; k < 3; k++) {
                assertThat(rows[i * 3 + k]).as("row of id %d", id).isEqualTo(table[id * 3 + k]);
            }
        }
        assertThat(e.computeMask(Variable.constant(ids), null)).as("no mask without mask_zero").isNull();
        Tensor h = uniform(r, -1, 1, 2, 4, 3);
        Variable logits = e.reverse(Variable.constant(h));
        assertThat(logits.shape()).isEqualTo(Shape.of(2, 4, 7));
        close("tied logits", logits.value().toArray(), reference(h.toArray(), 8, 3, table, 7, true, 0), 1e-5);
        Variable in = Variable.parameter(h);
        GradCheck.checkLayer("tied reverse", e, in, () -> e.reverse(in));
    }

    @Test
    void untiedSoftCappedReverse() {
        ReversibleEmbedding e = new ReversibleEmbedding(5, 4).tieWeights(false).logitSoftCap(0.5).maskZero(true);
        e.build(Shape.of(3));
        assertThat(e.weights()).extracting(Weight::name).containsExactly("embeddings", "reverse_embeddings");
        assertThat(e.weights().get(1).shape()).isEqualTo(Shape.of(4, 5));
        assertThat(e.countParams()).isEqualTo(40);
        setRandom(e);
        float[] reverse = e.weights().get(1).value().toArray();
        Tensor h = uniform(r, -1, 1, 3, 4);
        close("untied, capped at 0.5", e.reverse(Variable.constant(h)).value().toArray(),
                reference(h.toArray(), 3, 4, reverse, 5, false, 0.5), 1e-5);
        Variable in = Variable.parameter(h);
        // the reverse call reads reverse_embeddings only
        GradCheck.checkParameters("untied capped reverse", () -> e.reverse(in), List.of(in,
                e.weights().get(1).variable()));
        Tensor ids = Tensor.of(new float[] {3, 0, 1}, 1, 3);
        assertThat(e.computeMask(Variable.constant(ids), null).toArray()).as("mask_zero")
                .containsExactly(1f, 0f, 1f);
    }

    @Test
    void aFunctionalModelCallsItBothWays() {
        ReversibleEmbedding e = new ReversibleEmbedding(6, 3).maskZero(true).named("re");
        Input ids = Input.shape(Input.NONE);
        SymbolicTensor h = new LSTM(3).returnSequences(true).apply(e.apply(ids));
        SymbolicTensor logits = e.applyReverse(h);
        assertThat(logits.shape()).isEqualTo(Shape.withUnknown(Shape.UNKNOWN, 6));
        assertThat(e.isReverse(logits.node())).isTrue();
        assertThat(e.isReverse(e.inboundNodes().get(0))).isFalse();
        Model m = Model.of(ids, logits);
        assertThat(m.layers()).as("one layer, two calls").filteredOn(l -> l == e).hasSize(1);
        for (int t : new int[] {1, 4}) {
            Tensor x = Tensor.of(new float[2 * t], 2, t);
            assertThat(m.predict(x).shape()).isEqualTo(Shape.of(2, t, 6));
        }
        Tensor x = Tensor.of(new float[] {1, 2, 0, 5, 4, 3}, 2, 3);
        Outputs out = m.callWithMasks(List.of(Variable.constant(x)), null, CallContext.inference());
        assertThat(out.masks().get(0)).as("a reverse call passes no mask on").isNull();
        // the table's gradient sums the forward gather's and the reverse product's
        Weight table = e.weights().get(0);
        table.variable().zeroGrad();
        Ops.sumAll(m.call(List.of(Variable.constant(x)), CallContext.inference()).get(0)).backward();
        float[] both = table.variable().grad().toArray();
        GradCheck.checkParameters("embeddings through both calls", () -> Ops.reshape(
                m.call(List.of(Variable.constant(x)), CallContext.inference()).get(0), -1), List.of(table.variable()));
        assertThat(both).as("a gradient for the ids' rows and every row of the reverse product")
                .doesNotContain(0f);
    }

    @Test
    void badSettingsAndInputsAreRefusedNamingTheLayer() {
        assertThatThrownBy(() -> new ReversibleEmbedding(0, 3).named("x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(ReversibleEmbedding): input_dim and output_dim must be >= 1");
        assertThatThrownBy(() -> new ReversibleEmbedding(4, 3).named("cap").logitSoftCap(0.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'cap' (ReversibleEmbedding): logit_soft_cap must be a positive number");
        ReversibleEmbedding e = new ReversibleEmbedding(4, 3).named("rev");
        assertThatThrownBy(() -> e.applyReverse(Input.shape(5, 3))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'rev' (ReversibleEmbedding): apply it to ids");
        SymbolicTensor emb = e.apply(Input.shape(5));
        assertThatThrownBy(() -> e.applyReverse(new Dense(2).apply(emb))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'rev' (ReversibleEmbedding): a reverse call takes hidden states (..., 3), "
                        + "got (None, 5, 2)");
        assertThatThrownBy(() -> e.reverse(Variable.constant(Tensor.zeros(2, 4))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rev").hasMessageContaining("(2, 4)");
    }
}
