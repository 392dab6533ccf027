package io.rnn4j.layers.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Activation;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.optimizers.Optimizers;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Keras 3 makes a model from a tensor inside a graph (clone_graph_nodes): a new Input in its place,
 * the layers after it applied again with their weights. The bar: the cut-out model computes
 * exactly (bit for bit) what the whole model computes from that tensor, and shares its weights.
 */
class IntermediateInputsTest {
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path tmp;

    /** Values uniform in [-1, 1): the models compared see the same arbitrary data. */
    private static Tensor random(Random r, int... dims) {
        return io.rnn4j.layers.GradCheck.uniform(r, -1, 1, dims);
    }

    @Test
    void aDecoderCutOutOfAnAutoencoderComputesWhatTheAutoencoderDoesAndSharesItsWeights() throws java.io.IOException {
        Seeds.set(90);
        var in = Input.shape(6).named("features");
        SymbolicTensor code = new Dense(2, Activation.TANH).named("encode").apply(in);
        SymbolicTensor back = new Dense(6).named("decode").apply(new Dense(4, Activation.RELU).named("widen")
                .apply(code));
        Model autoencoder = Model.of(in, back);
        Model encoder = Model.of(in, code);
        Model decoder = Model.of(code, back);
        assertThat(decoder.inputs()).hasSize(1);
        assertThat(decoder.inputs().get(0).sampleShape()).isEqualTo(Shape.of(2));
        assertThat(decoder.layers()).extracting(l -> l.name()).contains("widen", "decode");

        Random r = new Random(90);
        Tensor x = random(r, 5, 6);
        assertThat(decoder.predict(encoder.predict(x)).toArray()).as("seed 90").isEqualTo(autoencoder.predict(x).toArray());

        java.nio.file.Path file = tmp.resolve("decoder.keras");
        io.rnn4j.layers.keras.Models.save(decoder, file);
        Tensor z = random(r, 4, 2);
        assertThat(io.rnn4j.layers.keras.Models.load(file).predict(z).toArray()).as("saved and loaded")
                .isEqualTo(decoder.predict(z).toArray());
        assertThat(decoder.summary()).contains("widen").contains("decode");

        autoencoder.compile(Optimizers.adam(0.05), Losses.meanSquaredError());
        autoencoder.fit(x, x, Fit.defaults().batchSize(5).epochs(3).verbose(0));
        assertThat(decoder.predict(encoder.predict(x)).toArray()).as("after training the autoencoder")
                .isEqualTo(autoencoder.predict(x).toArray());
    }

    @Test
    void aStackCutAtItsMiddleSequenceRunsTheUpperLayersAlone() {
        Seeds.set(91);
        var in = Input.shape(Input.NONE, 3);
        SymbolicTensor middle = new LSTM(4).returnSequences(true).apply(in);
        SymbolicTensor top = new Dense(1).apply(new GRU(5).apply(middle));
        Model whole = Model.of(in, top);
        Model lower = Model.of(in, middle);
        Model upper = Model.of(List.of(middle), List.of(top));
        assertThat(upper.inputs().get(0).sampleShape()).hasToString("(None, 4)");
        Tensor x = random(new Random(91), 3, 7, 3);
        assertThat(upper.predict(lower.predict(x)).toArray()).as("seed 91").isEqualTo(whole.predict(x).toArray());
    }

    @Test
    void anInputsOwnTensorIsThatInput() {
        var in = Input.shape(3);
        var out = new Dense(2).apply(in);
        Model m = Model.of(List.of(in.symbolic()), List.of(out));
        assertThat(m.inputs()).containsExactly(in);
    }

    /** Keras's tutorials build inference models from trained layers' {@code layer.output}. */
    @Test
    void aLayersOutputIsItsFirstApplicationsAsKerasLayerOutput() {
        var in = Input.shape(Input.NONE, 3);
        LSTM lstm = new LSTM(4).returnState(true);
        List<SymbolicTensor> applied = lstm.applyAll(in);
        lstm.applyAll(Input.shape(5, 3));
        assertThat(lstm.outputs()).isEqualTo(applied);
        assertThat(in.output()).isSameAs(in.symbolic());
        Model states = Model.of(in, lstm.outputs().subList(1, 3));
        assertThat(states.outputs()).hasSize(2);
        org.assertj.core.api.Assertions.assertThatThrownBy(lstm::output).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("gives 3 outputs; use outputs()");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Dense(2).output())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("has never been applied");
        Dense head = new Dense(1);
        SymbolicTensor y = head.apply(applied.get(0));
        assertThat(head.output()).isSameAs(y);
        assertThat(Model.of(List.of(in), y).outputs()).containsExactly(y);
    }

    /**
     * Keras's feature extraction from a Sequential, {@code Model(seq.inputs, seq.get_layer(n).output)}:
     * as in Keras 3, a built Sequential's layers are applied to its Input, so each has its output.
     */
    @Test
    void aSequentialsLayersGiveTheirOutputsForAFeatureModel() {
        Seeds.set(92);
        Sequential s = Sequential.of(Input.shape(4, 3), new LSTM(5).returnSequences(true).named("l1"),
                new GRU(2).named("g1"), new Dense(1).named("d1"));
        Model features = Model.of(s.inputs(), s.layer("l1").output());
        Sequential lower = Sequential.of(Input.shape(4, 3), s.layer("l1"));
        Tensor x = random(new Random(92), 3, 4, 3);
        assertThat(features.predict(x).toArray()).isEqualTo(lower.predict(x).toArray());
        assertThat(s.outputs()).containsExactly(s.layer("d1").output());
        assertThat(Model.of(s.inputs(), s.outputs()).predict(x).toArray()).isEqualTo(s.predict(x).toArray());
        Sequential lazy = Sequential.of(new Dense(2).named("lazy_dense"));
        org.assertj.core.api.Assertions.assertThatThrownBy(lazy::outputs).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not built yet");
        lazy.predict(Tensor.zeros(1, 3));
        assertThat(lazy.inputs()).hasSize(1);
        assertThat(lazy.outputs().get(0).shape()).isEqualTo(Shape.of(2));
    }

    /** A layer of a Sequential (which applied it once) reused in a functional model saves and loads. */
    @Test
    void aSequentialsLayerReusedInAFunctionalModelSavesAndLoads() throws java.io.IOException {
        Seeds.set(93);
        Dense shared = new Dense(2).named("shared_dense");
        Sequential s = Sequential.of(Input.shape(3), shared);
        var in = Input.shape(3);
        Model m = Model.of(in, new Dense(1).apply(shared.apply(in)));
        java.nio.file.Path file = tmp.resolve("reused.keras");
        io.rnn4j.layers.keras.Models.save(m, file);
        Tensor x = random(new Random(93), 2, 3);
        assertThat(io.rnn4j.layers.keras.Models.load(file).predict(x).toArray()).isEqualTo(m.predict(x).toArray());
        assertThat(s.predict(x).shape()).isEqualTo(Shape.of(2, 2));
    }
}
