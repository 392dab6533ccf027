package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.Keras3151.allWeights;
import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.assertSameOutputs;
import static io.rnn4j.layers.keras.Keras3151.assertWeightsAsKeras;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static io.rnn4j.layers.keras.Keras3151.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jhdf.HdfFile;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Activation;
import io.rnn4j.layers.ConvLSTM2D;
import io.rnn4j.layers.ConvLSTM3D;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Reshape;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.constraints.Constraints;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.regularizers.Regularizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ConvLSTM2D and ConvLSTM3D in Keras files. Files Keras 3.15.1 wrote (keras3151/make_convlstm2d.py,
 * JAX on the CPU): "valid" with strides, "same" with dilation, go_backwards and return_state (three
 * outputs), return_sequences into a second ConvLSTM2D, a ConvLSTM3D; rnn4j predicts Keras's outputs
 * within {@code 1e-5 + 1e-5·|y|} (float32 rounding: XLA's fused operations and summation order
 * differ from rnn4j's in the last places), saves them back with Keras 3's config keys and weight
 * paths and reads its own file to the same bits; and one epoch of SGD (two steps) on a Keras-written
 * compiled model gives Keras's weights within {@code 1e-5 + 1e-5·|w|}. Every option round trips, and a
 * functional model with initial_state and return_state and a stateful one do too, to the same bits; a
 * hand-written Keras 3 entry with keys left out loads with Keras's defaults; a bad data_format, causal,
 * wrong sizes are refused by name.
 */
class ConvLstm2DFilesTest {
    @TempDir
    Path tmp;

    static Stream<String> fixtures() throws IOException {
        return Files.readAllLines(resource("manifest-convlstm2d.txt")).stream().filter(l -> !l.isBlank());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void aKerasWrittenModelPredictsAsKerasAndRoundTrips(String line) throws IOException {
        String[] f = line.trim().split(" ");
        String name = f[0];
        Tensor x = Npy.read(resource(name + ".x0.npy")).tensor();
        KerasModel m = Models.load(resource(name + ".keras"));
        List<Tensor> ys = m.predict(List.of(x));
        assertThat(ys).hasSize(Integer.parseInt(f[1]));
        for (int i = 0; i < ys.size(); i++) {
            assertClose(name + " output " + i, ys.get(i).toArray(), Npy.read(resource(name + ".y" + i + ".npy"))
                    .values());
        }
        // Saved by rnn4j: the layers' config entries are Keras's (less its shared_object_id bookkeeping).
        Path back = tmp.resolve(name + ".keras");
        Models.save(m, back);
        List<Map<String, Object>> theirs = convLstmEntries(resource(name + ".keras"));
        List<Map<String, Object>> ours = convLstmEntries(back);
        assertThat(ours).as("ConvLSTM entries as rnn4j writes them back").hasSameSizeAs(theirs).isNotEmpty();
        for (int i = 0; i < ours.size(); i++) {
            assertThat(ours.get(i).keySet()).as("get_config keys in Keras's order")
                    .containsExactlyElementsOf(theirs.get(i).keySet());
            for (String key : List.of("filters", "kernel_size", "strides", "padding", "dilation_rate", "activation",
                    "recurrent_activation", "use_bias", "return_sequences", "return_state", "go_backwards")) {
                assertThat(ours.get(i).get(key)).as(key).isEqualTo(theirs.get(i).get(key));
            }
        }
        List<Tensor> again = Models.load(back).predict(List.of(x));
        assertSameOutputs("", again, ys);
    }

    /** The config of each ConvLSTM2D/3D layer in a .keras file, in order. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> convLstmEntries(Path file) throws IOException {
        Map<String, Object> root = ModelReader.parse(file.toString(), "config.json", SaveTest.entry(file,
                "config.json"));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object l : (List<Object>) ((Map<String, Object>) root.get("config")).get("layers")) {
            Map<String, Object> layer = (Map<String, Object>) l;
            if (String.valueOf(layer.get("class_name")).startsWith("ConvLSTM")) {
                out.add((Map<String, Object>) layer.get("config"));
            }
        }
        return out;
    }

    @Test
    void oneEpochOfSgdOnAKerasWrittenModelGivesKerasWeights() throws IOException {
        KerasModel m = Models.load(resource("convlstm2d_train.keras"), true);
        List<Weight> weights = allWeights(m);
        List<float[]> before = values(weights);
        Tensor fx = Npy.read(resource("convlstm2d_train.fit_x.npy")).tensor();
        Tensor fy = Npy.read(resource("convlstm2d_train.fit_y.npy")).tensor();
        m.fit(fx, fy, Fit.defaults().batchSize(4).epochs(1).shuffle(false).verbose(0));
        assertThat(weights).hasSize(5);
        double moved = assertWeightsAsKeras("convlstm2d_train", "after two SGD steps", weights, before);
        // The steps move the weights far beyond that bar, so the comparison says that rnn4j trained as Keras.
        assertThat(moved).as("the largest change of a weight in the two steps").isGreaterThan(1e-2);
    }

    @Test
    void everyOptionComesBackAndWeightsSitAtKerasPaths() throws IOException {
        ConvLSTM2D two = new ConvLSTM2D(3, 2, 3).strides(2, 1).padding("same").activation("relu")
                .recurrentActivation("hard_sigmoid").unitForgetBias(false).kernelInitializer(Initializers.heUniform())
                .recurrentInitializer(Initializers.glorotNormal()).biasInitializer(Initializers.constant(0.1f))
                .kernelRegularizer(Regularizers.l2(0.01f)).recurrentConstraint(Constraints.nonNeg()).dropout(0.25f)
                .recurrentDropout(0.1f).returnSequences(true).goBackwards(true).zeroOutputForMask(true).named("c");
        ConvLSTM3D three = new ConvLSTM3D(2, 1, 2, 2).dilationRate(1, 2, 1).useBias(false).named("c3");
        Sequential m = Sequential.of(Input.shape(4, 6, 5, 3), two, new Reshape(4, 3, 5, 3, 1),
                three);
        Path out = tmp.resolve("options.keras");
        Models.save(m, out);
        KerasModel back = Models.load(out);
        ConvLSTM2D c = (ConvLSTM2D) back.layer("c");
        assertThat(c.filters()).isEqualTo(3);
        assertThat(c.kernelSize()).containsExactly(2, 3);
        assertThat(c.strides()).containsExactly(2, 1);
        assertThat(c.dilationRate()).containsExactly(1, 1);
        assertThat(c.padding()).isEqualTo("same");
        assertThat(c.activation()).isEqualTo(Activation.RELU);
        assertThat(c.recurrentActivation()).isEqualTo(Activation.HARD_SIGMOID);
        assertThat(c.unitForgetBias()).isFalse();
        assertThat(c.kernelRegularizer()).isNotNull();
        assertThat(c.recurrentConstraint()).isNotNull();
        assertThat(List.of(c.dropout(), c.recurrentDropout())).containsExactly(0.25f, 0.1f);
        assertThat(List.of(c.returnSequences(), c.goBackwards(), c.zeroOutputForMask(), c.stateful()))
                .containsExactly(true, true, true, false);
        ConvLSTM3D c3 = (ConvLSTM3D) back.layer("c3");
        assertThat(c3.kernelSize()).containsExactly(1, 2, 2);
        assertThat(c3.dilationRate()).containsExactly(1, 2, 1);
        assertThat(c3.useBias()).isFalse();
        Tensor x = TestTensors.gaussian(5, 2, 4, 6, 5, 3);
        assertThat(back.predict(x).toArray()).as("the same numbers after the round trip")
                .isEqualTo(m.predict(x).toArray());
        try (var h5 = HdfFile.fromBytes(Archives.bytes(out, "model.weights.h5"))) {
            assertThat(h5.getDatasetByPath("layers/conv_lstm2d/cell/vars/0").getDimensions())
                    .containsExactly(2, 3, 3, 12);
            assertThat(h5.getDatasetByPath("layers/conv_lstm2d/cell/vars/1").getDimensions())
                    .containsExactly(2, 3, 3, 12);
            assertThat(h5.getDatasetByPath("layers/conv_lstm2d/cell/vars/2").getDimensions()).containsExactly(12);
            assertThat(h5.getDatasetByPath("layers/conv_lstm3d/cell/vars/0").getDimensions())
                    .containsExactly(1, 2, 2, 1, 8);
        }
    }

    @Test
    void functionalInitialStateReturnStateAndStatefulRoundTrip() throws IOException {
        Input x = Input.shape(Input.NONE, 5, 4, 2);
        Input h = Input.shape(5, 4, 3);
        Input c = Input.shape(5, 4, 3);
        List<SymbolicTensor> outs = new ConvLSTM2D(3, 3, 2).padding("same").returnState(true).applyAll(x,
                List.of(h, c));
        Model m = Model.of(List.of(x, h, c), outs);
        Path out = tmp.resolve("functional.keras");
        Models.save(m, out);
        KerasModel back = Models.load(out);
        List<Tensor> in = List.of(TestTensors.gaussian(11, 2, 3, 5, 4, 2), TestTensors.gaussian(12, 2, 5, 4, 3),
                TestTensors.gaussian(13, 2, 5, 4, 3));
        List<Tensor> expected = m.predict(in);
        List<Tensor> got = back.predict(in);
        assertThat(got).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(got.get(i).toArray()).as("output %d after save and load", i)
                    .isEqualTo(expected.get(i).toArray());
        }
        assertThat(SaveTest.entry(out, "config.json")).contains("\"initial_state\"");

        Sequential stateful = Sequential.of(Input.batchShape(2, 3, 4, 4, 2), new ConvLSTM2D(2, 3).stateful(true));
        Path sf = tmp.resolve("stateful.keras");
        Models.save(stateful, sf);
        KerasModel loaded = Models.load(sf);
        assertThat(((ConvLSTM2D) loaded.layers().get(0)).stateful()).isTrue();
        Tensor a = TestTensors.gaussian(14, 2, 3, 4, 4, 2);
        Tensor b = TestTensors.gaussian(15, 2, 3, 4, 4, 2);
        stateful.predict(a);
        loaded.predict(a);
        assertThat(loaded.predict(b).toArray()).as("second call from the first call's states")
                .isEqualTo(stateful.predict(b).toArray());
        loaded.resetStates();
        stateful.resetStates();
        assertThat(loaded.predict(b).toArray()).as("after reset_states").isEqualTo(stateful.predict(b).toArray());
    }

    private static Layer read(String json) {
        return new LayerReader(false).read(ModelReader.parse("test", "layer", json)).layer();
    }

    @Test
    void handWrittenKeras3EntriesLoadWithKerasDefaults() {
        ConvLSTM2D bare = (ConvLSTM2D) read("""
                {"class_name": "ConvLSTM2D", "config": {"name": "k", "filters": 2, "kernel_size": 3,
                 "padding": "SAME"}}""");
        assertThat(bare.kernelSize()).as("an int: every axis").containsExactly(3, 3);
        assertThat(bare.strides()).containsExactly(1, 1);
        assertThat(bare.dilationRate()).containsExactly(1, 1);
        assertThat(bare.padding()).isEqualTo("same");
        assertThat(bare.activation()).isEqualTo(Activation.TANH);
        assertThat(bare.recurrentActivation()).isEqualTo(Activation.SIGMOID);
        assertThat(List.of(bare.useBias(), bare.unitForgetBias(), bare.returnSequences(), bare.stateful()))
                .containsExactly(true, true, false, false);
        ConvLSTM3D three = (ConvLSTM3D) read("""
                {"class_name": "ConvLSTM3D", "config": {"name": "k", "filters": 2, "kernel_size": [1, 2, 3],
                 "strides": 2, "return_state": true, "activation": null}}""");
        assertThat(three.kernelSize()).containsExactly(1, 2, 3);
        assertThat(three.strides()).containsExactly(2, 2, 2);
        assertThat(three.returnState()).isTrue();
        assertThat(three.activation()).as("null: Keras's activations.get(None)").isEqualTo(Activation.LINEAR);
    }

    @Test
    void unsupportedSettingsAreRefusedByName() {
        String entry = """
                {"class_name": "ConvLSTM2D", "config": {"name": "k", "filters": 2, "kernel_size": [3, 3], %s}}""";
        assertThatThrownBy(() -> read(entry.formatted("\"data_format\": \"channels_middle\"")))
                .isInstanceOf(KerasFileException.class)
                .hasMessage("Layer 'k' (ConvLSTM2D): data_format must be 'channels_last' or 'channels_first', got "
                        + "'channels_middle'");
        assertThatThrownBy(() -> read(entry.formatted("\"padding\": \"causal\"")))
                .isInstanceOf(KerasFileException.class)
                .hasMessage("Layer 'k' (ConvLSTM2D): padding must be 'valid' or 'same', got 'causal'");
        assertThatThrownBy(() -> read(entry.formatted("\"strides\": [1, 2], \"dilation_rate\": [2, 1]")))
                .isInstanceOf(KerasFileException.class)
                .hasMessage("Layer 'k' (ConvLSTM2D): strides > 1 is not supported together with dilation_rate > 1 "
                        + "(as in Keras), got strides=(1, 2) and dilation_rate=(2, 1)");
        assertThatThrownBy(() -> read("""
                {"class_name": "ConvLSTM2D", "config": {"name": "k", "filters": 2, "kernel_size": [3, 3, 3]}}"""))
                .isInstanceOf(KerasFileException.class)
                .hasMessageContaining("option 'kernel_size' must be an integer >= 1 or a list of 2 of them");
        assertThatThrownBy(() -> read(entry.formatted("\"time_major\": true"))).isInstanceOf(KerasFileException.class)
                .hasMessageStartingWith("unsupported option time_major=true in layer 'k' (ConvLSTM2D)");
        assertThat(LayerReader.KNOWN_UNSUPPORTED).doesNotContain("ConvLSTM2D", "ConvLSTM3D");
    }
}
