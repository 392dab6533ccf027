package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.AveragePooling1D;
import io.rnn4j.layers.Conv1D;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Flatten;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.KerasConfig;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.MaxPooling1D;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.constraints.Constraints;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
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
 * Conv1D, MaxPooling1D and AveragePooling1D in Keras files: a Conv1D → MaxPooling1D → LSTM →
 * Dense model trained here halves its loss in 6 epochs, and after a .keras round trip predicts the
 * same bits, None steps included; every option comes back, with the config keys and weight paths
 * Keras 3 writes;
 * hand-written Keras 3 entries and a tf.keras 2 config with its weights file load; a data_format
 * Keras does not have, LoRA and bad sizes are refused by name. Seed 41.
 */
class ConvFilesTest {
    private static final long SEED = 41;

    @TempDir
    Path tmp;


    @Test
    void cnnLstmTrainsAndRoundTripsBitForBit() throws IOException {
        System.out.println("ConvFilesTest seed " + SEED);
        Seeds.set(SEED);
        Sequential m = Sequential.of(Input.shape(Input.NONE, 3), new Conv1D(8, 3, "relu").padding("causal"),
                new MaxPooling1D(2), new LSTM(6), new Dense(1));
        Tensor x = TestTensors.gaussian(SEED, 32, 12, 3);
        // A target the convolution can see: the sum of each sequence's first channel over its last 4 steps.
        float[] xv = x.toArray();
        float[] yv = new float[32];
        for (int b = 0; b < 32; b++) {
            for (int t = 8; t < 12; t++) {
                yv[b] += xv[(b * 12 + t) * 3] / 4;
            }
        }
        Tensor y = Tensor.of(yv, 32, 1);
        m.compile(Optimizers.adam(0.01), Losses.meanSquaredError());
        History h = m.fit(x, y, Fit.defaults().batchSize(8).epochs(6).verbose(0));
        List<Double> loss = h.get("loss");
        System.out.println("ConvFilesTest CNN-LSTM loss by epoch " + loss);
        assertThat(loss.get(loss.size() - 1)).as("loss after 6 epochs, at most half the first: %s", loss)
                .isLessThan(loss.get(0) / 2);

        Path out = tmp.resolve("cnn_lstm.keras");
        Models.save(m, out);
        KerasModel back = Models.load(out);
        assertThat(back.layers()).extracting(Layer::className).containsExactly("Conv1D", "MaxPooling1D", "LSTM",
                "Dense");
        assertThat(back.predict(x).toArray()).as("predictions after save and load, bit for bit")
                .isEqualTo(m.predict(x).toArray());
        Tensor longer = TestTensors.gaussian(SEED + 1, 3, 17, 3);
        assertThat(back.predict(longer).toArray()).as("17 steps through the None-steps input")
                .isEqualTo(m.predict(longer).toArray());
        try (var h5 = HdfFile.fromBytes(Archives.bytes(out, "model.weights.h5"))) {
            assertThat(h5.getDatasetByPath("layers/conv1d/vars/0").getDimensions()).containsExactly(3, 3, 8);
            assertThat(h5.getDatasetByPath("layers/conv1d/vars/1").getDimensions()).containsExactly(8);
        }
    }

    @Test
    void everyOptionComesBackWithKeras3Keys() throws IOException {
        Seeds.set(SEED + 2);
        Sequential m = Sequential.of(Input.shape(11, 4),
                new Conv1D(6, 3, "tanh").padding("same").dilationRate(2).groups(2).named("c")
                        .kernelInitializer(Initializers.heUniform()).biasInitializer(Initializers.constant(0.1f))
                        .kernelRegularizer(Regularizers.l2(0.01f)).biasConstraint(Constraints.nonNeg()),
                new AveragePooling1D(3, 1).padding("same").named("avg"),
                new Conv1D(2, 2).strides(2).useBias(false).named("c2"),
                new MaxPooling1D(2, 1).named("mp"), new Flatten(), new Dense(1));
        Path out = tmp.resolve("options.keras");
        Models.save(m, out);
        String config = SaveTest.entry(out, "config.json");
        assertThat(config).contains("{\"module\": \"keras.layers\", \"class_name\": \"Conv1D\", \"config\": {\"name\": "
                + "\"c\", \"trainable\": true, \"dtype\": \"float32\", \"filters\": 6, \"kernel_size\": [3], "
                + "\"strides\": [1], \"padding\": \"same\", \"data_format\": \"channels_last\", \"dilation_rate\": "
                + "[2], \"groups\": 2, \"activation\": \"tanh\", \"use_bias\": true, \"kernel_initializer\": "
                + "{\"module\": \"keras.initializers\", \"class_name\": \"HeUniform\"")
                .contains("\"activity_regularizer\": null, \"kernel_constraint\": null, \"bias_constraint\": "
                        + "{\"module\": \"keras.constraints\", \"class_name\": \"NonNeg\"")
                .contains("\"class_name\": \"AveragePooling1D\", \"config\": {\"name\": \"avg\", \"trainable\": true, "
                        + "\"dtype\": \"float32\", \"pool_size\": [3], \"padding\": \"same\", \"strides\": [1], "
                        + "\"data_format\": \"channels_last\"}")
                .contains("\"class_name\": \"MaxPooling1D\", \"config\": {\"name\": \"mp\", \"trainable\": true, "
                        + "\"dtype\": \"float32\", \"pool_size\": [2], \"padding\": \"valid\", \"strides\": [1], "
                        + "\"data_format\": \"channels_last\"}");
        KerasModel back = Models.load(out);
        Conv1D c = (Conv1D) back.layer("c");
        assertThat(List.of(c.filters(), c.kernelSize(), c.strides(), c.dilationRate(), c.groups()))
                .containsExactly(6, 3, 1, 2, 2);
        assertThat(c.padding()).isEqualTo("same");
        assertThat(c.activation().kerasName()).isEqualTo("tanh");
        assertThat(c.kernelInitializer().kerasConfig()).contains(KerasConfig.of("HeUniform"));
        assertThat(c.biasInitializer().kerasConfig()).contains(KerasConfig.of("Constant", "value", 0.1));
        assertThat(c.kernelRegularizer().kerasConfig()).contains(KerasConfig.of("L2", "l2", 0.01));
        assertThat(c.biasConstraint().kerasConfig()).contains(KerasConfig.of("NonNeg"));
        Conv1D c2 = (Conv1D) back.layer("c2");
        assertThat(c2.strides()).isEqualTo(2);
        assertThat(c2.useBias()).isFalse();
        AveragePooling1D avg = (AveragePooling1D) back.layer("avg");
        assertThat(List.of(avg.poolSize(), avg.strides())).containsExactly(3, 1);
        assertThat(avg.padding()).isEqualTo("same");
        MaxPooling1D mp = (MaxPooling1D) back.layer("mp");
        assertThat(List.of(mp.poolSize(), mp.strides())).containsExactly(2, 1);
        assertThat(Fixtures.layersOf(back.sequential().summary())).isEqualTo(Fixtures.layersOf(m.summary()));
        Tensor x = TestTensors.gaussian(SEED + 3, 4, 11, 4);
        assertThat(back.predict(x).toArray()).isEqualTo(m.predict(x).toArray());
    }


    private static Layer read(String json) {
        return new LayerReader(false).read(ModelReader.parse("test", "layer", json)).layer();
    }

    @Test
    void handWrittenKeras3EntriesLoad() {
        Conv1D c = (Conv1D) read("""
                {"module": "keras.layers", "class_name": "Conv1D", "config": {"name": "conv", "trainable": false,
                 "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"},
                 "registered_name": null}, "filters": 16, "kernel_size": [5], "strides": [2], "padding": "VALID",
                 "data_format": "channels_last", "dilation_rate": [1], "groups": 1, "activation": "relu",
                 "use_bias": false, "kernel_initializer": {"module": "keras.initializers", "class_name":
                 "GlorotUniform", "config": {"seed": null}, "registered_name": null}, "bias_initializer": {"module":
                 "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null},
                 "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null,
                 "kernel_constraint": null, "bias_constraint": null}, "registered_name": null,
                 "build_config": {"input_shape": [null, 20, 3]}}""");
        assertThat(c.name()).isEqualTo("conv");
        assertThat(c.trainable()).isFalse();
        assertThat(List.of(c.filters(), c.kernelSize(), c.strides())).containsExactly(16, 5, 2);
        assertThat(c.padding()).isEqualTo("valid");
        assertThat(c.useBias()).isFalse();
        // Sizes as plain ints, strides of a pooling layer defaulting to its pool size.
        Conv1D plain = (Conv1D) read("""
                {"class_name": "Conv1D", "config": {"name": "k", "filters": 2, "kernel_size": 4, "padding": "causal"}}""");
        assertThat(List.of(plain.kernelSize(), plain.strides(), plain.dilationRate())).containsExactly(4, 1, 1);
        MaxPooling1D mp = (MaxPooling1D) read("""
                {"class_name": "MaxPooling1D", "config": {"name": "m", "strides": null, "padding": "same"}}""");
        assertThat(List.of(mp.poolSize(), mp.strides())).containsExactly(2, 2);
        AveragePooling1D avg = (AveragePooling1D) read("""
                {"class_name": "AveragePooling1D", "config": {"name": "a", "pool_size": 3}}""");
        assertThat(List.of(avg.poolSize(), avg.strides())).containsExactly(3, 3);
    }

    @Test
    void tfKeras2ConfigAndWeightsFileLoad() throws IOException {
        String json = """
                {"class_name": "Sequential", "config": {"name": "sequential", "layers": [
                 {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 10, 3], "dtype": "float32",
                  "sparse": false, "ragged": false, "name": "conv1d_input"}},
                 {"class_name": "Conv1D", "config": {"name": "conv1d", "trainable": true, "dtype": "float32",
                  "batch_input_shape": [null, 10, 3], "filters": 4, "kernel_size": [3], "strides": [1],
                  "padding": "causal", "data_format": "channels_last", "dilation_rate": [2], "groups": 1,
                  "activation": "relu", "use_bias": true, "kernel_initializer": {"class_name": "GlorotUniform",
                  "config": {"seed": null}}, "bias_initializer": {"class_name": "Zeros", "config": {}},
                  "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null,
                  "kernel_constraint": null, "bias_constraint": null}},
                 {"class_name": "MaxPooling1D", "config": {"name": "max_pooling1d", "trainable": true,
                  "dtype": "float32", "strides": [2], "pool_size": [2], "padding": "valid",
                  "data_format": "channels_last"}},
                 {"class_name": "Flatten", "config": {"name": "flatten", "trainable": true, "dtype": "float32",
                  "data_format": "channels_last"}},
                 {"class_name": "Dense", "config": {"name": "dense", "trainable": true, "dtype": "float32",
                  "units": 1, "activation": "linear", "use_bias": true, "kernel_initializer": {"class_name":
                  "GlorotUniform", "config": {"seed": null}}, "bias_initializer": {"class_name": "Zeros",
                  "config": {}}, "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null,
                  "kernel_constraint": null, "bias_constraint": null}}]},
                 "keras_version": "2.15.0", "backend": "tensorflow"}""";
        Tensor kernel = TestTensors.gaussian(SEED + 4, 3, 3, 4);
        Tensor bias = TestTensors.gaussian(SEED + 5, 4);
        Tensor dense = TestTensors.gaussian(SEED + 6, 20, 1);
        Tensor denseBias = TestTensors.gaussian(SEED + 7, 1);
        Path weights = tmp.resolve("weights.h5");
        try (WritableHdfFile h5 = HdfFile.write(weights)) {
            h5.putAttribute("layer_names", new String[] {"conv1d", "max_pooling1d", "flatten", "dense"});
            h5.putAttribute("keras_version", "2.15.0");
            WritableGroup c = h5.putGroup("conv1d");
            c.putAttribute("weight_names", new String[] {"conv1d/kernel:0", "conv1d/bias:0"});
            WritableGroup cc = c.putGroup("conv1d");
            cc.putDataset("kernel:0", WeightWriter.nested(kernel.toArray(), new int[] {3, 3, 4}));
            cc.putDataset("bias:0", bias.toArray());
            h5.putGroup("max_pooling1d");
            h5.putGroup("flatten");
            WritableGroup d = h5.putGroup("dense");
            d.putAttribute("weight_names", new String[] {"dense/kernel:0", "dense/bias:0"});
            WritableGroup dd = d.putGroup("dense");
            dd.putDataset("kernel:0", WeightWriter.nested(dense.toArray(), new int[] {20, 1}));
            dd.putDataset("bias:0", denseBias.toArray());
        }
        KerasModel km = Models.load(Files.writeString(tmp.resolve("model.json"), json), weights);
        Sequential java = Sequential.of(Input.shape(10, 3), new Conv1D(4, 3, "relu").padding("causal").dilationRate(2),
                new MaxPooling1D(2), new Flatten(), new Dense(1));
        java.setWeights(List.of(kernel, bias, dense, denseBias));
        Tensor x = TestTensors.gaussian(SEED + 8, 5, 10, 3);
        assertThat(km.predict(x).toArray()).isEqualTo(java.predict(x).toArray());
        assertThat(km.layer("conv1d").outputShape()).isEqualTo(Shape.of(10, 4));
    }

    @Test
    void unsupportedSettingsAreRefusedByName() {
        String conv = """
                {"class_name": "Conv1D", "config": {"name": "k", "filters": 2, "kernel_size": [3], %s}}""";
        assertThatThrownBy(() -> read(conv.formatted("\"data_format\": \"NCW\"")))
                .isInstanceOf(KerasFileException.class)
                .hasMessageStartingWith("unsupported option data_format='NCW' in layer 'k' (Conv1D)");
        assertThatThrownBy(() -> read(conv.formatted("\"lora_rank\": 4"))).isInstanceOf(KerasFileException.class)
                .hasMessage("unsupported option lora_rank=4 in layer 'k' (Conv1D)");
        assertThatThrownBy(() -> read(conv.formatted("\"padding\": \"full\""))).isInstanceOf(KerasFileException.class)
                .hasMessage("Layer 'k' (Conv1D): padding must be 'valid', 'same' or 'causal', got 'full'");
        assertThatThrownBy(() -> read(conv.formatted("\"strides\": [2], \"dilation_rate\": [2]")))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("strides > 1 is not supported together");
        assertThatThrownBy(() -> read(conv.formatted("\"groups\": 3"))).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("filters must be divisible by groups");
        assertThatThrownBy(() -> read(conv.formatted("\"strides\": [1, 1]"))).isInstanceOf(KerasFileException.class)
                .hasMessage("layer 'k' (Conv1D): option 'strides' must be an integer >= 1 (or a list of one), found "
                        + "[1.0, 1.0]");
        assertThatThrownBy(() -> read("""
                {"class_name": "AveragePooling1D", "config": {"name": "a", "data_format": "channels_mid",
                 "pool_size": [2]}}""")).isInstanceOf(KerasFileException.class)
                .hasMessageStartingWith("unsupported option data_format='channels_mid' in layer 'a' "
                        + "(AveragePooling1D)");
        assertThatThrownBy(() -> read("""
                {"class_name": "AveragePooling1D", "config": {"name": "a"}}""")).isInstanceOf(KerasFileException.class)
                .hasMessage("layer 'a' (AveragePooling1D): option 'pool_size' must be an integer >= 1 (or a list of "
                        + "one), found null");
        assertThatThrownBy(() -> read("""
                {"class_name": "MaxPooling1D", "config": {"name": "m", "padding": "causal"}}""")).hasMessage(
                "Layer 'm' (MaxPooling1D): padding must be 'valid' or 'same', got 'causal'");
    }
}
