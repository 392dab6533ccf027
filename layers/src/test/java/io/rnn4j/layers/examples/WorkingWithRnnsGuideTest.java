package io.rnn4j.layers.examples;

import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Bidirectional;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Concatenate;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.GetItem;
import io.rnn4j.layers.GlobalAveragePooling1D;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.LSTMCell;
import io.rnn4j.layers.MergeMode;
import io.rnn4j.layers.RNN;
import io.rnn4j.layers.Reshape;
import io.rnn4j.layers.SimpleRNN;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.keras.Keras3151;
import io.rnn4j.layers.keras.KerasModel;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * keras-io's guides/working_with_rnns.py ("Working with RNNs", last modified 2023/07/10), one test per
 * section, each against what Keras 3.15.1 (TensorFlow backend) computed on the guide's code at small
 * sizes: keras3151/make_rnn_guide.py writes {@code rnnguide_<section>.*}. Bar: {@code
 * Keras3151.assertClose}, 1e-5 + 1e-5·|y|.
 *
 * <p>The guide's last section (a NestedCell over {@code rnn((input_1, input_2))} with a state of shape
 * (unit_2, unit_3)) does not run on Keras 3.15.1 itself (make_rnn_guide.py records the three errors):
 * rnn4j refuses the nested call by name, and the same computation over flat inputs and states, the
 * form that runs on Keras 3, is ported as {@link FlatNestedCell}.
 */
class WorkingWithRnnsGuideTest {

    private static Tensor npy(String name) throws IOException {
        return Keras3151.npy("rnnguide_" + name + ".npy");
    }

    private static double[] want(String name) throws IOException {
        return Keras3151.npyValues("rnnguide_" + name + ".npy");
    }

    private static KerasModel load(String section) throws IOException {
        KerasModel m = Models.load(resource("rnnguide_" + section + ".keras"));
        assertThat(m.kerasVersion()).contains("3.15.1");
        return m;
    }

    private static void assertWeightsAfter(String section, List<Weight> weights) throws IOException {
        Keras3151.assertWeightsAsKeras("rnnguide_" + section, "after one epoch", weights);
    }

    // ---- Built-in RNN layers: a simple example

    @Test
    void simpleExampleEmbeddingLstmDenseLoadsAndPredictsAsKeras() throws IOException {
        KerasModel keras = load("simple");
        Tensor x = npy("simple.x0");
        assertClose("Embedding -> LSTM -> Dense, Keras's file", keras.predict(x).toArray(), want("simple.y"));
        // the guide's Sequential has no Input: it is built by its first call, as Keras's
        Sequential model = Sequential.of(new Embedding(50, 8), new LSTM(16), new Dense(10));
        model.predict(x);
        Examples.copyWeights(Keras3151.allWeights(keras), model.weights());
        assertClose("Embedding -> LSTM -> Dense built in Java", model.predict(x).toArray(), want("simple.y"));
        // the guide's sizes: Embedding 1000·64, LSTM 4·128·(64 + 128 + 1), Dense 128·10 + 10
        Sequential guide = Sequential.of(new Embedding(1000, 64), new LSTM(128), new Dense(10));
        guide.predict(Tensor.zeros(1, 3));
        assertThat(guide.countParams()).isEqualTo(64_000 + 98_816 + 1_290);
    }

    // ---- Outputs and states

    @Test
    void gruReturnSequencesIntoSimpleRnnPredictsAsKeras() throws IOException {
        KerasModel keras = load("outputs");
        Tensor x = npy("outputs.x0");
        assertClose("GRU(return_sequences) -> SimpleRNN, Keras's file", keras.predict(x).toArray(),
                want("outputs.y"));
        GRU gru = new GRU(12).returnSequences(true);
        Sequential model = Sequential.of(new Embedding(50, 8), gru, new SimpleRNN(8), new Dense(10));
        model.predict(x);
        Examples.copyWeights(Keras3151.allWeights(keras), model.weights());
        assertClose("GRU(return_sequences) -> SimpleRNN built in Java", model.predict(x).toArray(),
                want("outputs.y"));
        Variable seq = gru.call(Variable.constant(Tensor.zeros(4, 6, 8)), null, CallContext.inference());
        assertThat(seq.shape()).as("(batch_size, timesteps, 12)").isEqualTo(Shape.of(4, 6, 12));
    }

    /** The guide's encoder-decoder: the encoder's return_state [h, c] as the decoder's initial_state. */
    static Model encoderDecoder(List<SymbolicTensor> encoderOutputs) {
        Input encoderInput = Input.shape(Input.NONE);
        SymbolicTensor encoderEmbedded = new Embedding(30, 8).apply(encoderInput);
        List<SymbolicTensor> enc = new LSTM(16).returnState(true).named("encoder").applyAll(encoderEmbedded);
        encoderOutputs.addAll(enc);
        List<SymbolicTensor> encoderState = enc.subList(1, 3);
        Input decoderInput = Input.shape(Input.NONE);
        SymbolicTensor decoderEmbedded = new Embedding(40, 8).apply(decoderInput);
        SymbolicTensor decoderOutput = new LSTM(16).named("decoder").apply(decoderEmbedded, encoderState);
        SymbolicTensor output = new Dense(10).apply(decoderOutput);
        return Model.of(List.of(encoderInput, decoderInput), output);
    }

    @Test
    void encoderStatesAsDecoderInitialStatePredictAsKeras() throws IOException {
        KerasModel keras = load("encdec");
        List<Tensor> x = List.of(npy("encdec.x0"), npy("encdec.x1"));
        assertClose("encoder-decoder, Keras's file", keras.predict(x).get(0).toArray(), want("encdec.y"));
        List<SymbolicTensor> enc = new ArrayList<>();
        Model model = encoderDecoder(enc);
        // Keras's weights order: the functional model's layers in its topological order
        for (String name : List.of("encoder", "decoder")) {
            Examples.copyWeights(keras.layer(name).weights(), model.layer(name).weights());
        }
        List<Weight> rest = new ArrayList<>(Keras3151.allWeights(keras));
        rest.removeAll(keras.layer("encoder").weights());
        rest.removeAll(keras.layer("decoder").weights());
        List<Weight> mine = new ArrayList<>(model.weights());
        mine.removeAll(model.layer("encoder").weights());
        mine.removeAll(model.layer("decoder").weights());
        Examples.copyWeights(rest, mine);
        assertClose("encoder-decoder built in Java", model.predict(x).get(0).toArray(), want("encdec.y"));
        Model states = Model.of(List.of(model.inputs().get(0)), enc);
        List<Tensor> out = states.predict(List.of(x.get(0)));
        float[] joined = new float[4 * 48];
        for (int s = 0; s < 4; s++) {
            for (int k = 0; k < 3; k++) {
                System.arraycopy(out.get(k).toArray(), s * 16, joined, s * 48 + k * 16, 16);
            }
        }
        assertClose("the encoder's [output, state_h, state_c]", joined, want("encdec.states"));
    }

    // ---- RNN layers and RNN cells; the guide's build_model(allow_cudnn_kernel) and one epoch of SGD

    @Test
    void rnnOfLstmCellAndLstmTrainOneEpochAsKeras() throws IOException {
        Tensor x = npy("cells_lstm.x0");
        Tensor labels = npy("cells_lstm.labels");
        for (String section : List.of("cells_lstm", "cells_rnn")) {
            KerasModel keras = Models.load(resource("rnnguide_" + section + ".keras"), true);
            assertThat(keras.layers().get(0)).isInstanceOf(section.equals("cells_lstm") ? LSTM.class : RNN.class);
            assertClose(section + " predictions", keras.predict(x).toArray(), want(section + ".y"));
            History h = keras.fit(x, labels, Fit.defaults().batchSize(8).epochs(1).shuffle(false).verbose(0));
            assertClose(section + " the epoch's loss", new float[] {h.get("loss").get(0).floatValue()},
                    want(section + ".fit_loss"));
            assertWeightsAfter(section, Keras3151.allWeights(keras));
        }
        // Mathematically, RNN(LSTMCell(10)) produces the same result as LSTM(10): built in Java, same weights
        KerasModel keras = load("cells_lstm");
        for (boolean cudnn : new boolean[] {true, false}) {
            Sequential model = Sequential.of(Input.shape(Input.NONE, 7), cudnn ? new LSTM(16) : new RNN(
                    new LSTMCell(16)), new io.rnn4j.layers.BatchNormalization(), new Dense(10));
            Examples.copyWeights(Keras3151.allWeights(keras), model.weights());
            model.compile(Optimizers.sgd(), Losses.sparseCategoricalCrossentropy(true));
            assertClose("build_model(" + cudnn + ") predictions", model.predict(x).toArray(), want("cells_lstm.y"));
            model.fit(x, labels, Fit.defaults().batchSize(8).epochs(1).shuffle(false).verbose(0));
            assertWeightsAfter("cells_lstm", model.weights());
        }
    }

    // ---- Cross-batch statefulness

    private static LSTM statefulLayer(String weights) throws IOException {
        LSTM layer = new LSTM(16).stateful(true);
        layer.build(Shape.of(5, 6));
        layer.setWeights(List.of(npy(weights + ".w0"), npy(weights + ".w1"), npy(weights + ".w2")));
        return layer;
    }

    private static Variable call(LSTM layer, Tensor x, List<Tensor> initialState) {
        List<Variable> init = initialState == null ? null : initialState.stream().map(Variable::constant).toList();
        return layer.run(Variable.constant(x), null, init, CallContext.inference()).output();
    }

    @Test
    void statefulLstmCarriesStatesAcrossParagraphsUntilResetStates() throws IOException {
        LSTM lstm = statefulLayer("stateful");
        Tensor p1 = npy("stateful.p1");
        assertClose("paragraph1", call(lstm, p1, null).value().toArray(), want("stateful.y1"));
        assertClose("paragraph2, from paragraph1's states", call(lstm, npy("stateful.p2"), null).value().toArray(),
                want("stateful.y2"));
        assertClose("paragraph3", call(lstm, npy("stateful.p3"), null).value().toArray(), want("stateful.y3"));
        lstm.resetStates();
        assertClose("paragraph1 after reset_states()", call(lstm, p1, null).value().toArray(),
                want("stateful.y_reset"));
        assertThatThrownBy(() -> call(lstm, npy("stateful.p1").narrow(0, 2), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch size 4");
    }

    @Test
    void statesOfAStatefulLayerStartANewLayer() throws IOException {
        LSTM lstm = statefulLayer("stateful");
        call(lstm, npy("stateful.p1"), null);
        call(lstm, npy("stateful.p2"), null);
        List<Tensor> existingState = lstm.states();
        float[] both = new float[2 * 4 * 16];
        System.arraycopy(existingState.get(0).toArray(), 0, both, 0, 64);
        System.arraycopy(existingState.get(1).toArray(), 0, both, 64, 64);
        assertClose("lstm_layer.states [h, c]", both, want("reuse.states"));
        LSTM newLstm = new LSTM(16);
        newLstm.build(Shape.of(5, 6));
        newLstm.setWeights(List.of(npy("reuse.w0"), npy("reuse.w1"), npy("reuse.w2")));
        assertClose("new_lstm_layer(paragraph3, initial_state=existing_state)",
                call(newLstm, npy("stateful.p3"), existingState).value().toArray(), want("reuse.y"));
    }

    // ---- Bidirectional RNNs

    @Test
    void stackedBidirectionalLstmsPredictAndTrainOneEpochAsKeras() throws IOException {
        Tensor x = npy("bidi.x0");
        KerasModel keras = Models.load(resource("rnnguide_bidi.keras"), true);
        assertClose("Bidirectional stack, Keras's file", keras.predict(x).toArray(), want("bidi.y"));
        Sequential model = Sequential.of(Input.shape(5, 10), new Bidirectional(new LSTM(8).returnSequences(true)),
                new Bidirectional(new LSTM(4)), new Dense(10));
        Examples.copyWeights(Keras3151.allWeights(keras), model.weights());
        assertClose("Bidirectional stack built in Java", model.predict(x).toArray(), want("bidi.y"));
        History h = keras.fit(x, npy("bidi.t"), Fit.defaults().batchSize(4).epochs(1).shuffle(false).verbose(0));
        assertClose("the epoch's loss", new float[] {h.get("loss").get(0).floatValue()}, want("bidi.fit_loss"));
        assertWeightsAfter("bidi", Keras3151.allWeights(keras));
    }

    @Test
    void bidirectionalWithAGruBackwardLayerPredictsAsKeras() throws IOException {
        Tensor x = npy("bidi_backward.x0");
        KerasModel keras = load("bidi_backward");
        assertClose("backward_layer=GRU, Keras's file", keras.predict(x).toArray(), want("bidi_backward.y"));
        Bidirectional bidi = new Bidirectional(new LSTM(8).returnSequences(true), MergeMode.CONCAT,
                new GRU(8).returnSequences(true).goBackwards(true));
        Sequential model = Sequential.of(Input.shape(5, 10), bidi, new GlobalAveragePooling1D(), new Dense(3));
        Examples.copyWeights(Keras3151.allWeights(keras), model.weights());
        assertThat(bidi.backwardLayer()).isInstanceOf(GRU.class);
        assertClose("backward_layer=GRU built in Java", model.predict(x).toArray(), want("bidi_backward.y"));
    }

    // ---- RNNs with list/dict inputs, or nested inputs

    /** The guide's model, as it runs on Keras 3: the two inputs joined, the cell's flat output split after. */
    static Model flatNestedModel() {
        Input input1 = Input.shape(4, 5);
        Input input2 = Input.shape(4, 3, 2);
        SymbolicTensor joined = new Concatenate().apply(input1, new Reshape(4, 6).apply(input2));
        SymbolicTensor out = new RNN(new FlatNestedCell(3, 2, 4, 5, 3, 2)).apply(joined);
        SymbolicTensor output1 = new GetItem(":, :3").apply(out);
        SymbolicTensor output23 = new Reshape(2, 4).apply(new GetItem(":, 3:").apply(out));
        return Model.of(List.of(input1, input2), List.of(output1, output23));
    }

    @Test
    void nestedCellComputationPredictsAndTrainsOneEpochAsKeras() throws IOException {
        Model model = flatNestedModel();
        assertThat(model.weights()).hasSize(2);
        model.weights().get(0).set(npy("nested.w0"));
        model.weights().get(1).set(npy("nested.w1"));
        List<Tensor> x = List.of(npy("nested.x0"), npy("nested.x1"));
        List<Tensor> y = model.predict(x);
        assertClose("output_1 (batch, unit_1)", y.get(0).toArray(), want("nested.y0"));
        assertThat(y.get(1).shape()).isEqualTo(Shape.of(12, 2, 4));
        assertClose("output_2_3 (batch, unit_2, unit_3)", y.get(1).toArray(), want("nested.y1"));
        model.compile(Optimizers.adam(), List.of(Losses.meanSquaredError(), Losses.meanSquaredError()),
                List.of(List.of(), List.of()));
        History h = model.fit(x, List.of(npy("nested.t0"), npy("nested.t1")),
                Fit.defaults().batchSize(4).epochs(1).shuffle(false).verbose(0));
        assertClose("the epoch's loss (both outputs' mse summed)", new float[] {h.get("loss").get(0).floatValue()},
                want("nested.fit_loss"));
        assertWeightsAfter("nested", model.weights());
    }

    @Test
    void nestedSequenceInputsAreRefusedByName() {
        Input input1 = Input.shape(Input.NONE, 5);
        Input input2 = Input.shape(Input.NONE, 3, 2);
        RNN rnn = new RNN(new FlatNestedCell(3, 2, 4, 5, 3, 2)).named("rnn");
        assertThatThrownBy(() -> rnn.apply(input1, input2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rnn").hasMessageContaining("nested inputs")
                .hasMessageContaining("(None, None, 3, 2)").hasMessageContaining("Concatenate");
    }
}
