package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Activation;
import io.rnn4j.layers.ConvLSTM1D;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Flatten;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.KerasConfig;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.constraints.Constraints;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizers;
import io.rnn4j.layers.regularizers.Regularizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ConvLSTM1D in Keras files: a ConvLSTM1D → Flatten → Dense model trained here halves its loss in
 * 6 epochs and predicts the same bits after a .keras round trip, its weights at Keras 3's
 * {@code layers/conv_lstm1d/cell/vars/<i>} and its config with the keys and order Keras 3's
 * get_config writes; every option comes back; a functional model with initial_state and
 * return_state, and a stateful one, round trip; a Keras 3 config entry written by hand (and one
 * leaving keys out) loads with Keras's defaults; Keras 3 and tf.keras 2 files written by hand load
 * to the numbers of the same model built here; a bad data_format, causal, time_major are refused by
 * name. Seed 59.
 */
class ConvLstm1DFilesTest {
    private static final long SEED = 59;

    @TempDir
    Path tmp;

    @Test
    void convLstmFlattenDenseTrainsAndRoundTripsBitForBit() throws IOException {
        System.out.println("ConvLstm1DFilesTest seed " + SEED);
        Seeds.set(SEED);
        Sequential m = Sequential.of(Input.shape(Input.NONE, 8, 2),
                new ConvLSTM1D(4, 3).padding("same").named("conv_lstm1d"), new Flatten(), new Dense(1));
        Tensor x = TestTensors.gaussian(SEED, 32, 5, 8, 2);
        // A target the layer can see: the mean of the first channel at the last time step.
        float[] xv = x.toArray();
        float[] yv = new float[32];
        for (int b = 0; b < 32; b++) {
            for (int s = 0; s < 8; s++) {
                yv[b] += xv[((b * 5 + 4) * 8 + s) * 2] / 8;
            }
        }
        Tensor y = Tensor.of(yv, 32, 1);
        m.compile(Optimizers.adam(0.01), Losses.meanSquaredError());
        History h = m.fit(x, y, Fit.defaults().batchSize(8).epochs(6).verbose(0));
        List<Double> loss = h.get("loss");
        System.out.println("ConvLstm1DFilesTest loss by epoch " + loss);
        assertThat(loss.get(loss.size() - 1)).as("loss after 6 epochs, at most half the first: %s", loss)
                .isLessThan(loss.get(0) / 2);
        Path out = tmp.resolve("conv_lstm.keras");
        Models.save(m, out);
        KerasModel back = Models.load(out);
        assertThat(back.layers()).extracting(Layer::className).containsExactly("ConvLSTM1D", "Flatten", "Dense");
        assertThat(back.predict(x).toArray()).as("predictions after save and load, bit for bit")
                .isEqualTo(m.predict(x).toArray());
        Tensor longer = TestTensors.gaussian(SEED + 1, 3, 9, 8, 2);
        assertThat(back.predict(longer).toArray()).as("9 time steps through the None-time input")
                .isEqualTo(m.predict(longer).toArray());
        try (var h5 = HdfFile.fromBytes(Archives.bytes(out, "model.weights.h5"))) {
            assertThat(h5.getDatasetByPath("layers/conv_lstm1d/cell/vars/0").getDimensions()).containsExactly(3, 2, 16);
            assertThat(h5.getDatasetByPath("layers/conv_lstm1d/cell/vars/1").getDimensions()).containsExactly(3, 4, 16);
            assertThat(h5.getDatasetByPath("layers/conv_lstm1d/cell/vars/2").getDimensions()).containsExactly(16);
        }
        String config = SaveTest.entry(out, "config.json");
        assertThat(config).contains("{\"module\": \"keras.layers\", \"class_name\": \"ConvLSTM1D\", \"config\": "
                + "{\"name\": \"conv_lstm1d\", \"trainable\": true, \"dtype\": \"float32\", \"return_sequences\": "
                + "false, \"return_state\": false, \"go_backwards\": false, \"stateful\": false, \"unroll\": false, "
                + "\"zero_output_for_mask\": false, \"filters\": 4, \"kernel_size\": [3], \"strides\": [1], "
                + "\"padding\": \"same\", \"data_format\": \"channels_last\", \"dilation_rate\": [1], "
                + "\"activation\": \"tanh\", \"recurrent_activation\": \"sigmoid\", \"use_bias\": true, "
                + "\"kernel_initializer\": {\"module\": \"keras.initializers\", \"class_name\": \"GlorotUniform\"")
                .contains("\"unit_forget_bias\": true, \"kernel_regularizer\": null, \"recurrent_regularizer\": null, "
                        + "\"bias_regularizer\": null, \"activity_regularizer\": null, \"kernel_constraint\": null, "
                        + "\"recurrent_constraint\": null, \"bias_constraint\": null, \"dropout\": 0.0, "
                        + "\"recurrent_dropout\": 0.0, \"seed\": null}, \"registered_name\": null, \"build_config\": "
                        + "{\"input_shape\": [null, null, 8, 2]}}");
    }

    @Test
    void everyOptionComesBack() throws IOException {
        Seeds.set(SEED + 2);
        Sequential m = Sequential.of(Input.shape(4, 9, 3),
                new ConvLSTM1D(3, 2).strides(2).padding("same").activation("relu").recurrentActivation("hard_sigmoid")
                        .unitForgetBias(false).kernelInitializer(Initializers.heUniform())
                        .recurrentInitializer(Initializers.glorotNormal()).biasInitializer(Initializers.constant(0.1f))
                        .kernelRegularizer(Regularizers.l2(0.01f)).recurrentConstraint(Constraints.nonNeg())
                        .dropout(0.25f).recurrentDropout(0.1f).returnSequences(true).goBackwards(true)
                        .zeroOutputForMask(true).named("c"),
                new ConvLSTM1D(2, 3).dilationRate(2).useBias(false).named("c2"), new Flatten(), new Dense(1));
        Path out = tmp.resolve("options.keras");
        Models.save(m, out);
        KerasModel back = Models.load(out);
        ConvLSTM1D c = (ConvLSTM1D) back.layer("c");
        assertThat(List.of(c.filters(), c.kernelSize(), c.strides(), c.dilationRate())).containsExactly(3, 2, 2, 1);
        assertThat(c.padding()).isEqualTo("same");
        assertThat(c.activation()).isEqualTo(Activation.RELU);
        assertThat(c.recurrentActivation()).isEqualTo(Activation.HARD_SIGMOID);
        assertThat(c.unitForgetBias()).isFalse();
        assertThat(c.kernelInitializer().kerasConfig()).contains(KerasConfig.of("HeUniform"));
        assertThat(c.recurrentInitializer().kerasConfig()).contains(KerasConfig.of("GlorotNormal"));
        assertThat(c.biasInitializer().kerasConfig()).contains(KerasConfig.of("Constant", "value", 0.1));
        assertThat(c.kernelRegularizer().kerasConfig()).contains(KerasConfig.of("L2", "l2", 0.01));
        assertThat(c.recurrentConstraint().kerasConfig()).contains(KerasConfig.of("NonNeg"));
        assertThat(List.of(c.dropout(), c.recurrentDropout())).containsExactly(0.25f, 0.1f);
        assertThat(List.of(c.returnSequences(), c.goBackwards(), c.zeroOutputForMask(), c.returnState(),
                c.stateful())).containsExactly(true, true, true, false, false);
        ConvLSTM1D c2 = (ConvLSTM1D) back.layer("c2");
        assertThat(c2.dilationRate()).isEqualTo(2);
        assertThat(c2.useBias()).isFalse();
        assertThat(Fixtures.layersOf(back.sequential().summary())).isEqualTo(Fixtures.layersOf(m.summary()));
        Tensor x = TestTensors.gaussian(SEED + 3, 2, 4, 9, 3);
        assertThat(back.predict(x).toArray()).isEqualTo(m.predict(x).toArray());
    }

    @Test
    void functionalInitialStateReturnStateAndStatefulRoundTrip() throws IOException {
        Seeds.set(SEED + 4);
        Input x = Input.shape(Input.NONE, 6, 2);
        Input h = Input.shape(4, 3);
        Input c = Input.shape(4, 3);
        List<SymbolicTensor> outs = new ConvLSTM1D(3, 3).returnState(true).applyAll(x, List.of(h, c));
        Model m = Model.of(List.of(x, h, c), outs);
        Path out = tmp.resolve("functional.keras");
        Models.save(m, out);
        KerasModel back = Models.load(out);
        List<Tensor> in = List.of(TestTensors.gaussian(SEED + 5, 2, 3, 6, 2), TestTensors.gaussian(SEED + 6, 2, 4, 3),
                TestTensors.gaussian(SEED + 7, 2, 4, 3));
        List<Tensor> expected = m.predict(in);
        List<Tensor> got = back.predict(in);
        assertThat(got).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(got.get(i).toArray()).as("output %d after save and load", i)
                    .isEqualTo(expected.get(i).toArray());
        }
        assertThat(SaveTest.entry(out, "config.json")).contains("\"initial_state\"");

        Sequential stateful = Sequential.of(Input.batchShape(2, 3, 5, 2), new ConvLSTM1D(2, 3).stateful(true));
        Path sf = tmp.resolve("stateful.keras");
        Models.save(stateful, sf);
        KerasModel loaded = Models.load(sf);
        assertThat(((ConvLSTM1D) loaded.layers().get(0)).stateful()).isTrue();
        Tensor a = TestTensors.gaussian(SEED + 8, 2, 3, 5, 2);
        Tensor b = TestTensors.gaussian(SEED + 9, 2, 3, 5, 2);
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

    /** ConvLSTM1D.get_config as Keras 3 writes it (keys of RNN without the cell, then ConvLSTM's). */
    static final String KERAS3_ENTRY = """
            {"module": "keras.layers", "class_name": "ConvLSTM1D", "config": {"name": "conv_lstm1d",
             "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config":
             {"name": "float32"}, "registered_name": null}, "return_sequences": true, "return_state": false,
             "go_backwards": false, "stateful": false, "unroll": false, "zero_output_for_mask": false,
             "filters": 3, "kernel_size": [3], "strides": [1], "padding": "same", "data_format": "channels_last",
             "dilation_rate": [1], "activation": "tanh", "recurrent_activation": "sigmoid", "use_bias": true,
             "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config":
             {"seed": null}, "registered_name": null}, "recurrent_initializer": {"module": "keras.initializers",
             "class_name": "Orthogonal", "config": {"gain": 1.0, "seed": null}, "registered_name": null},
             "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {},
             "registered_name": null}, "unit_forget_bias": true, "kernel_regularizer": null,
             "recurrent_regularizer": null, "bias_regularizer": null, "activity_regularizer": null,
             "kernel_constraint": null, "recurrent_constraint": null, "bias_constraint": null, "dropout": 0.0,
             "recurrent_dropout": 0.5, "seed": null}, "registered_name": null,
             "build_config": {"input_shape": [null, 4, 7, 2]}}""";

    @Test
    void handWrittenKeras3EntriesLoadWithKerasDefaults() {
        ConvLSTM1D c = (ConvLSTM1D) read(KERAS3_ENTRY);
        assertThat(c.name()).isEqualTo("conv_lstm1d");
        assertThat(List.of(c.filters(), c.kernelSize(), c.strides(), c.dilationRate())).containsExactly(3, 3, 1, 1);
        assertThat(c.padding()).isEqualTo("same");
        assertThat(c.returnSequences()).isTrue();
        assertThat(c.recurrentDropout()).isEqualTo(0.5f);
        assertThat(c.unitForgetBias()).isTrue();
        ConvLSTM1D bare = (ConvLSTM1D) read("""
                {"class_name": "ConvLSTM1D", "config": {"name": "k", "filters": 2, "kernel_size": 3,
                 "padding": "VALID", "dropout": 1.5}}""");
        assertThat(bare.activation()).as("absent: Keras's default").isEqualTo(Activation.TANH);
        assertThat(bare.recurrentActivation()).isEqualTo(Activation.SIGMOID);
        assertThat(List.of(bare.kernelSize(), bare.strides())).containsExactly(3, 1);
        assertThat(bare.padding()).isEqualTo("valid");
        assertThat(bare.dropout()).as("clamped to 1 as Keras does").isEqualTo(1f);
        ConvLSTM1D linear = (ConvLSTM1D) read("""
                {"class_name": "ConvLSTM1D", "config": {"name": "k", "filters": 2, "kernel_size": [2],
                 "activation": null}}""");
        assertThat(linear.activation()).as("null: Keras's activations.get(None)").isEqualTo(Activation.LINEAR);
    }

    /** Keras 3's config.json of Input (4, 7, 2) → ConvLSTM1D (the entry above) → Flatten → Dense(1). */
    private static String keras3Model() {
        return """
                {"module": "keras", "class_name": "Sequential", "config": {"name": "sequential", "trainable": true,
                 "dtype": "float32", "layers": [
                  {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 4, 7, 2],
                   "dtype": "float32", "sparse": false, "ragged": false, "name": "input_layer"},
                   "registered_name": null},
                  """ + KERAS3_ENTRY.replace("\"return_sequences\": true", "\"return_sequences\": false") + """
                  ,
                  {"module": "keras.layers", "class_name": "Flatten", "config": {"name": "flatten",
                   "trainable": true, "dtype": "float32", "data_format": "channels_last"}, "registered_name": null},
                  {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense", "trainable": true,
                   "dtype": "float32", "units": 1, "activation": "linear", "use_bias": true, "kernel_initializer":
                   null, "bias_initializer": null, "kernel_regularizer": null, "bias_regularizer": null,
                   "kernel_constraint": null, "bias_constraint": null}, "registered_name": null}]},
                 "registered_name": null}""";
    }

    @Test
    void keras3AndTfKeras2FilesWrittenByHandGiveTheNumbersOfTheSameModel() throws IOException {
        Tensor kernel = TestTensors.gaussian(SEED + 10, 3, 2, 12);
        Tensor recurrent = TestTensors.gaussian(SEED + 11, 3, 3, 12);
        Tensor bias = TestTensors.gaussian(SEED + 12, 12);
        Tensor dense = TestTensors.gaussian(SEED + 13, 21, 1);
        Tensor denseBias = TestTensors.gaussian(SEED + 14, 1);
        Tensor x = TestTensors.gaussian(SEED + 15, 3, 4, 7, 2);
        Sequential java = Sequential.of(Input.shape(4, 7, 2), new ConvLSTM1D(3, 3).padding("same"), new Flatten(),
                new Dense(1));
        java.setWeights(List.of(kernel, recurrent, bias, dense, denseBias));
        Path weights3 = tmp.resolve("model.weights.h5");
        try (WritableHdfFile h5 = HdfFile.write(weights3)) {
            WritableGroup layers = h5.putGroup("layers");
            WritableGroup cell = layers.putGroup("conv_lstm1d").putGroup("cell").putGroup("vars");
            cell.putDataset("0", WeightWriter.nested(kernel.toArray(), new int[] {3, 2, 12}));
            cell.putDataset("1", WeightWriter.nested(recurrent.toArray(), new int[] {3, 3, 12}));
            cell.putDataset("2", bias.toArray());
            WritableGroup d = layers.putGroup("dense").putGroup("vars");
            d.putDataset("0", WeightWriter.nested(dense.toArray(), new int[] {21, 1}));
            d.putDataset("1", denseBias.toArray());
        }
        KerasModel k3 = Models.load(Files.writeString(tmp.resolve("k3.json"), keras3Model()), weights3);
        assertThat(k3.predict(x).toArray()).as("Keras 3 layout").isEqualTo(java.predict(x).toArray());

        // tf.keras 2.15: its ConvLSTM1D config (time_major, recurrent_activation hard_sigmoid = 0.2x + 0.5)
        // and a weights file whose layer groups list their datasets in weight_names.
        String json = """
                {"class_name": "Sequential", "config": {"name": "sequential", "layers": [
                 {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 4, 7, 2], "dtype": "float32",
                  "sparse": false, "ragged": false, "name": "conv_lstm1d_input"}},
                 {"class_name": "ConvLSTM1D", "config": {"name": "conv_lstm1d", "trainable": true, "dtype":
                  "float32", "batch_input_shape": [null, 4, 7, 2], "return_sequences": false, "return_state": false,
                  "go_backwards": false, "stateful": false, "unroll": false, "time_major": false, "filters": 3,
                  "kernel_size": [3], "strides": [1], "padding": "same", "data_format": "channels_last",
                  "dilation_rate": [1], "activation": "tanh", "recurrent_activation": "hard_sigmoid", "use_bias":
                  true, "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}},
                  "recurrent_initializer": {"class_name": "Orthogonal", "config": {"gain": 1.0, "seed": null}},
                  "bias_initializer": {"class_name": "Zeros", "config": {}}, "unit_forget_bias": true,
                  "kernel_regularizer": null, "recurrent_regularizer": null, "bias_regularizer": null,
                  "activity_regularizer": null, "kernel_constraint": null, "recurrent_constraint": null,
                  "bias_constraint": null, "dropout": 0.0, "recurrent_dropout": 0.0}},
                 {"class_name": "Flatten", "config": {"name": "flatten", "trainable": true, "dtype": "float32",
                  "data_format": "channels_last"}},
                 {"class_name": "Dense", "config": {"name": "dense", "trainable": true, "dtype": "float32",
                  "units": 1, "activation": "linear", "use_bias": true, "kernel_initializer": {"class_name":
                  "GlorotUniform", "config": {"seed": null}}, "bias_initializer": {"class_name": "Zeros",
                  "config": {}}, "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null,
                  "kernel_constraint": null, "bias_constraint": null}}]},
                 "keras_version": "2.15.0", "backend": "tensorflow"}""";
        Path weights2 = tmp.resolve("weights.h5");
        try (WritableHdfFile h5 = HdfFile.write(weights2)) {
            h5.putAttribute("layer_names", new String[] {"conv_lstm1d", "flatten", "dense"});
            h5.putAttribute("keras_version", "2.15.0");
            WritableGroup c = h5.putGroup("conv_lstm1d");
            c.putAttribute("weight_names", new String[] {"conv_lstm1d/kernel:0", "conv_lstm1d/recurrent_kernel:0",
                "conv_lstm1d/bias:0"});
            WritableGroup cc = c.putGroup("conv_lstm1d");
            cc.putDataset("kernel:0", WeightWriter.nested(kernel.toArray(), new int[] {3, 2, 12}));
            cc.putDataset("recurrent_kernel:0", WeightWriter.nested(recurrent.toArray(), new int[] {3, 3, 12}));
            cc.putDataset("bias:0", bias.toArray());
            h5.putGroup("flatten");
            WritableGroup d = h5.putGroup("dense");
            d.putAttribute("weight_names", new String[] {"dense/kernel:0", "dense/bias:0"});
            WritableGroup dd = d.putGroup("dense");
            dd.putDataset("kernel:0", WeightWriter.nested(dense.toArray(), new int[] {21, 1}));
            dd.putDataset("bias:0", denseBias.toArray());
        }
        KerasModel k2 = Models.load(Files.writeString(tmp.resolve("k2.json"), json), weights2);
        assertThat(((ConvLSTM1D) k2.layer("conv_lstm1d")).recurrentActivation()).as("Keras 2's hard_sigmoid")
                .isEqualTo(Activation.HARD_SIGMOID_KERAS2);
        Sequential java2 = Sequential.of(Input.shape(4, 7, 2), new ConvLSTM1D(3, 3).padding("same")
                .recurrentActivation(Activation.HARD_SIGMOID_KERAS2), new Flatten(), new Dense(1));
        java2.setWeights(List.of(kernel, recurrent, bias, dense, denseBias));
        assertThat(k2.predict(x).toArray()).as("tf.keras 2 weight_names").isEqualTo(java2.predict(x).toArray());
    }

    @Test
    void unsupportedSettingsAreRefusedByName() {
        String entry = """
                {"class_name": "ConvLSTM1D", "config": {"name": "k", "filters": 2, "kernel_size": [3], %s}}""";
        assertThatThrownBy(() -> read(entry.formatted("\"data_format\": \"channels_middle\"")))
                .isInstanceOf(KerasFileException.class)
                .hasMessage("Layer 'k' (ConvLSTM1D): data_format must be 'channels_last' or 'channels_first', got "
                        + "'channels_middle'");
        assertThatThrownBy(() -> read(entry.formatted("\"padding\": \"causal\"")))
                .isInstanceOf(KerasFileException.class)
                .hasMessage("Layer 'k' (ConvLSTM1D): padding must be 'valid' or 'same', got 'causal'");
        assertThatThrownBy(() -> read(entry.formatted("\"time_major\": true"))).isInstanceOf(KerasFileException.class)
                .hasMessageStartingWith("unsupported option time_major=true in layer 'k' (ConvLSTM1D)");
        assertThatThrownBy(() -> read(entry.formatted("\"strides\": [2], \"dilation_rate\": [2]")))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("strides > 1 is not supported together");
        assertThatThrownBy(() -> read("""
                {"class_name": "ConvLSTM1D", "config": {"name": "k", "filters": 2, "kernel_size": [3, 3]}}"""))
                .isInstanceOf(KerasFileException.class)
                .hasMessageContaining("option 'kernel_size' must be an integer >= 1 (or a list of one)");
        assertThatThrownBy(() -> read(entry.formatted("\"filterz\": 2"))).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("filterz");
        assertThat(LayerReader.KNOWN_UNSUPPORTED).doesNotContain("ConvLSTM1D");
    }
}
