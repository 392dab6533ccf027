package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Conv1DTranspose;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.DepthwiseConv1D;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.KerasConfig;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SeparableConv1D;
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
 * Conv1DTranspose, DepthwiseConv1D and SeparableConv1D in Keras files: a SeparableConv1D →
 * DepthwiseConv1D → Conv1DTranspose → Dense model trained here lowers its loss, and after a .keras
 * round trip predicts the same bits, None steps included, with its weights where Keras 3 keeps
 * them; every option comes back, written with the keys in the order Keras 3's get_config writes
 * them; hand-written Keras 3 entries and a tf.keras 2 config with its weights file load;
 * an unknown data_format, "causal", output_padding >= strides and groups are refused by name. Seed 53.
 */
class ConvVariantFilesTest {
    private static final long SEED = 53;

    @TempDir
    Path tmp;

    private static Layer read(String json) {
        return new LayerReader(false).read(ModelReader.parse("test", "layer", json)).layer();
    }

    @Test
    void aModelOfAllThreeTrainsAndRoundTripsBitForBit() throws IOException {
        System.out.println("ConvVariantFilesTest seed " + SEED);
        Seeds.set(SEED);
        Sequential m = Sequential.of(Input.shape(Input.NONE, 3),
                new SeparableConv1D(6, 3, "relu").padding("same").strides(2).depthMultiplier(2),
                new DepthwiseConv1D(3, "tanh").padding("same").depthMultiplier(2),
                new Conv1DTranspose(4, 3).padding("same").strides(2), new Dense(1));
        Tensor x = TestTensors.gaussian(SEED, 16, 10, 3);
        // A target the layers can see: each step's first channel plus half its second.
        float[] xv = x.toArray();
        float[] yv = new float[16 * 10];
        for (int i = 0; i < yv.length; i++) {
            yv[i] = xv[i * 3] + xv[i * 3 + 1] / 2;
        }
        Tensor y = Tensor.of(yv, 16, 10, 1);
        m.compile(Optimizers.adam(0.01), Losses.meanSquaredError());
        History h = m.fit(x, y, Fit.defaults().batchSize(8).epochs(12).verbose(0));
        List<Double> loss = h.get("loss");
        System.out.println("ConvVariantFilesTest loss by epoch " + loss);
        assertThat(loss.get(loss.size() - 1)).as("loss after 12 epochs, below 0.7 of the first: %s", loss)
                .isLessThan(0.7 * loss.get(0));

        Path out = tmp.resolve("variants.keras");
        Models.save(m, out);
        KerasModel back = Models.load(out);
        assertThat(back.layers()).extracting(Layer::className).containsExactly("SeparableConv1D", "DepthwiseConv1D",
                "Conv1DTranspose", "Dense");
        assertThat(back.predict(x).toArray()).as("predictions after save and load, bit for bit")
                .isEqualTo(m.predict(x).toArray());
        Tensor longer = TestTensors.gaussian(SEED + 1, 3, 17, 3);
        assertThat(back.predict(longer).toArray()).as("17 steps through the None-steps input")
                .isEqualTo(m.predict(longer).toArray());
        try (var h5 = HdfFile.fromBytes(Archives.bytes(out, "model.weights.h5"))) {
            assertThat(h5.getDatasetByPath("layers/separable_conv1d/vars/0").getDimensions()).containsExactly(3, 3, 2);
            assertThat(h5.getDatasetByPath("layers/separable_conv1d/vars/1").getDimensions()).containsExactly(1, 6, 6);
            assertThat(h5.getDatasetByPath("layers/separable_conv1d/vars/2").getDimensions()).containsExactly(6);
            assertThat(h5.getDatasetByPath("layers/depthwise_conv1d/vars/0").getDimensions()).containsExactly(3, 6, 2);
            assertThat(h5.getDatasetByPath("layers/depthwise_conv1d/vars/1").getDimensions()).containsExactly(12);
            assertThat(h5.getDatasetByPath("layers/conv1d_transpose/vars/0").getDimensions()).containsExactly(3, 4, 12);
            assertThat(h5.getDatasetByPath("layers/conv1d_transpose/vars/1").getDimensions()).containsExactly(4);
        }
    }

    @Test
    void everyOptionComesBackWithKeras3Keys() throws IOException {
        Seeds.set(SEED + 2);
        Sequential m = Sequential.of(Input.shape(12, 4),
                new Conv1DTranspose(5, 4, "tanh").padding("same").strides(3).outputPadding(2).named("t")
                        .kernelInitializer(Initializers.heUniform()).biasInitializer(Initializers.constant(0.1f))
                        .kernelRegularizer(Regularizers.l2(0.01f)).biasConstraint(Constraints.nonNeg()),
                new DepthwiseConv1D(3).strides(2).dilationRate(2).depthMultiplier(3).useBias(false).named("d")
                        .depthwiseInitializer(Initializers.heUniform()).depthwiseConstraint(Constraints.nonNeg()),
                new SeparableConv1D(2, 2, "relu").padding("same").depthMultiplier(2).named("s")
                        .pointwiseInitializer(Initializers.ones()).depthwiseRegularizer(Regularizers.l1(0.02f))
                        .pointwiseConstraint(Constraints.nonNeg()),
                new Conv1DTranspose(1, 2).named("plain"));
        Path out = tmp.resolve("options.keras");
        Models.save(m, out);
        String config = SaveTest.entry(out, "config.json");
        assertThat(config).contains("{\"module\": \"keras.layers\", \"class_name\": \"Conv1DTranspose\", \"config\": "
                + "{\"name\": \"t\", \"trainable\": true, \"dtype\": \"float32\", \"filters\": 5, \"kernel_size\": [4], "
                + "\"strides\": [3], \"padding\": \"same\", \"output_padding\": [2], \"data_format\": "
                + "\"channels_last\", \"dilation_rate\": [1], \"activation\": \"tanh\", \"use_bias\": true, "
                + "\"kernel_initializer\": {\"module\": \"keras.initializers\", \"class_name\": \"HeUniform\"")
                .contains("\"activity_regularizer\": null, \"kernel_constraint\": null, \"bias_constraint\": "
                        + "{\"module\": \"keras.constraints\", \"class_name\": \"NonNeg\"")
                .contains("\"class_name\": \"DepthwiseConv1D\", \"config\": {\"name\": \"d\", \"trainable\": true, "
                        + "\"dtype\": \"float32\", \"depth_multiplier\": 3, \"kernel_size\": [3], \"strides\": [2], "
                        + "\"padding\": \"valid\", \"data_format\": \"channels_last\", \"dilation_rate\": [2], "
                        + "\"activation\": \"linear\", \"use_bias\": false, \"depthwise_initializer\": {\"module\": "
                        + "\"keras.initializers\", \"class_name\": \"HeUniform\"")
                .contains("\"depthwise_regularizer\": null, \"bias_regularizer\": null, \"activity_regularizer\": "
                        + "null, \"depthwise_constraint\": {\"module\": \"keras.constraints\", \"class_name\": "
                        + "\"NonNeg\"")
                .contains("\"class_name\": \"SeparableConv1D\", \"config\": {\"name\": \"s\", \"trainable\": true, "
                        + "\"dtype\": \"float32\", \"depth_multiplier\": 2, \"filters\": 2, \"kernel_size\": [2], "
                        + "\"strides\": [1], \"padding\": \"same\", \"data_format\": \"channels_last\", "
                        + "\"dilation_rate\": [1], \"activation\": \"relu\", \"use_bias\": true, "
                        + "\"depthwise_initializer\": {\"module\": \"keras.initializers\", \"class_name\": "
                        + "\"GlorotUniform\"")
                .contains("\"pointwise_initializer\": {\"module\": \"keras.initializers\", \"class_name\": \"Ones\"")
                .contains("\"depthwise_regularizer\": {\"module\": \"keras.regularizers\", \"class_name\": \"L1\"")
                .contains("\"pointwise_regularizer\": null, \"bias_regularizer\": null, \"activity_regularizer\": "
                        + "null, \"depthwise_constraint\": null, \"pointwise_constraint\": {\"module\": "
                        + "\"keras.constraints\", \"class_name\": \"NonNeg\"")
                .contains("\"name\": \"plain\", \"trainable\": true, \"dtype\": \"float32\", \"filters\": 1, "
                        + "\"kernel_size\": [2], \"strides\": [1], \"padding\": \"valid\", \"output_padding\": null");
        KerasModel back = Models.load(out);
        Conv1DTranspose t = (Conv1DTranspose) back.layer("t");
        assertThat(List.of(t.filters(), t.kernelSize(), t.strides(), t.outputPadding(), t.dilationRate()))
                .containsExactly(5, 4, 3, 2, 1);
        assertThat(t.padding()).isEqualTo("same");
        assertThat(t.activation().kerasName()).isEqualTo("tanh");
        assertThat(t.kernelInitializer().kerasConfig()).contains(KerasConfig.of("HeUniform"));
        assertThat(t.biasInitializer().kerasConfig()).contains(KerasConfig.of("Constant", "value", 0.1));
        assertThat(t.kernelRegularizer().kerasConfig()).contains(KerasConfig.of("L2", "l2", 0.01));
        assertThat(t.biasConstraint().kerasConfig()).contains(KerasConfig.of("NonNeg"));
        assertThat(((Conv1DTranspose) back.layer("plain")).outputPadding()).isNull();
        DepthwiseConv1D d = (DepthwiseConv1D) back.layer("d");
        assertThat(List.of(d.kernelSize(), d.strides(), d.dilationRate(), d.depthMultiplier()))
                .containsExactly(3, 2, 2, 3);
        assertThat(d.useBias()).isFalse();
        assertThat(d.depthwiseInitializer().kerasConfig()).contains(KerasConfig.of("HeUniform"));
        assertThat(d.depthwiseConstraint().kerasConfig()).contains(KerasConfig.of("NonNeg"));
        SeparableConv1D s = (SeparableConv1D) back.layer("s");
        assertThat(List.of(s.filters(), s.kernelSize(), s.strides(), s.depthMultiplier())).containsExactly(2, 2, 1, 2);
        assertThat(s.padding()).isEqualTo("same");
        assertThat(s.pointwiseInitializer().kerasConfig()).contains(KerasConfig.of("Ones"));
        assertThat(s.depthwiseRegularizer().kerasConfig()).contains(KerasConfig.of("L1", "l1", 0.02));
        assertThat(s.pointwiseConstraint().kerasConfig()).contains(KerasConfig.of("NonNeg"));
        assertThat(Fixtures.layersOf(back.sequential().summary())).isEqualTo(Fixtures.layersOf(m.summary()));
        Tensor x = TestTensors.gaussian(SEED + 3, 4, 12, 4);
        assertThat(back.predict(x).toArray()).isEqualTo(m.predict(x).toArray());
    }

    @Test
    void handWrittenKeras3EntriesLoad() {
        String initializers = """
                "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config":
                 {"seed": null}, "registered_name": null}, "bias_initializer": {"module": "keras.initializers",
                 "class_name": "Zeros", "config": {}, "registered_name": null}, "kernel_regularizer": null,
                 "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null,
                 "bias_constraint": null""";
        String dtype = """
                "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"},
                 "registered_name": null}""";
        Conv1DTranspose t = (Conv1DTranspose) read("""
                {"module": "keras.layers", "class_name": "Conv1DTranspose", "config": {"name": "up", "trainable": false,
                 %s, "filters": 16, "kernel_size": [7], "strides": [2], "padding": "SAME", "output_padding": null,
                 "data_format": "channels_last", "dilation_rate": [1], "activation": "relu", "use_bias": true, %s},
                 "registered_name": null, "build_config": {"input_shape": [null, 72, 16]}}""".formatted(dtype,
                initializers));
        assertThat(t.name()).isEqualTo("up");
        assertThat(t.trainable()).isFalse();
        assertThat(List.of(t.filters(), t.kernelSize(), t.strides())).containsExactly(16, 7, 2);
        assertThat(t.padding()).isEqualTo("same");
        assertThat(t.outputPadding()).isNull();
        Conv1DTranspose plain = (Conv1DTranspose) read("""
                {"class_name": "Conv1DTranspose", "config": {"name": "p", "filters": 2, "kernel_size": 3,
                 "strides": 3, "output_padding": 1}}""");
        assertThat(List.of(plain.kernelSize(), plain.strides(), plain.outputPadding())).containsExactly(3, 3, 1);
        DepthwiseConv1D d = (DepthwiseConv1D) read("""
                {"module": "keras.layers", "class_name": "DepthwiseConv1D", "config": {"name": "dw", "trainable": true,
                 %s, "depth_multiplier": 2, "kernel_size": [5], "strides": [1], "padding": "same",
                 "data_format": "channels_last", "dilation_rate": [3], "activation": "linear", "use_bias": false,
                 "depthwise_initializer": {"module": "keras.initializers", "class_name": "Ones", "config": {},
                 "registered_name": null}, "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros",
                 "config": {}, "registered_name": null}, "depthwise_regularizer": null, "bias_regularizer": null,
                 "activity_regularizer": null, "depthwise_constraint": null, "bias_constraint": null},
                 "registered_name": null, "build_config": {"input_shape": [null, 20, 3]}}""".formatted(dtype));
        assertThat(List.of(d.kernelSize(), d.depthMultiplier(), d.dilationRate())).containsExactly(5, 2, 3);
        assertThat(d.useBias()).isFalse();
        assertThat(d.depthwiseInitializer().kerasConfig()).contains(KerasConfig.of("Ones"));
        SeparableConv1D s = (SeparableConv1D) read("""
                {"module": "keras.layers", "class_name": "SeparableConv1D", "config": {"name": "sep",
                 "trainable": true, %s, "depth_multiplier": 1, "filters": 8, "kernel_size": [3], "strides": [2],
                 "padding": "valid", "data_format": "channels_last", "dilation_rate": [1], "activation": "elu",
                 "use_bias": true, "depthwise_initializer": {"module": "keras.initializers", "class_name":
                 "GlorotUniform", "config": {"seed": null}, "registered_name": null}, "pointwise_initializer":
                 {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null},
                 "registered_name": null}, "bias_initializer": {"module": "keras.initializers", "class_name":
                 "Zeros", "config": {}, "registered_name": null}, "depthwise_regularizer": null,
                 "pointwise_regularizer": null, "bias_regularizer": null, "activity_regularizer": null,
                 "depthwise_constraint": null, "pointwise_constraint": null, "bias_constraint": null},
                 "registered_name": null, "build_config": {"input_shape": [null, 20, 3]}}""".formatted(dtype));
        assertThat(List.of(s.filters(), s.kernelSize(), s.strides(), s.depthMultiplier())).containsExactly(8, 3, 2, 1);
        assertThat(s.activation().kerasName()).isEqualTo("elu");
    }

    @Test
    void tfKeras2ConfigAndWeightsFileLoad() throws IOException {
        String init = """
                {"class_name": "GlorotUniform", "config": {"seed": null}}""";
        String zeros = """
                {"class_name": "Zeros", "config": {}}""";
        String json = """
                {"class_name": "Sequential", "config": {"name": "sequential", "layers": [
                 {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 9, 2], "dtype": "float32",
                  "sparse": false, "ragged": false, "name": "input_1"}},
                 {"class_name": "SeparableConv1D", "config": {"name": "separable_conv1d", "trainable": true,
                  "dtype": "float32", "filters": 4, "kernel_size": [3], "strides": [1], "padding": "same",
                  "data_format": "channels_last", "dilation_rate": [1], "groups": 1, "activation": "relu",
                  "use_bias": true, "kernel_initializer": %1$s, "bias_initializer": %2$s, "kernel_regularizer": null,
                  "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null,
                  "bias_constraint": null, "depth_multiplier": 2, "depthwise_initializer": %1$s,
                  "pointwise_initializer": %1$s, "depthwise_regularizer": null, "pointwise_regularizer": null,
                  "depthwise_constraint": null, "pointwise_constraint": null}},
                 {"class_name": "DepthwiseConv1D", "config": {"name": "depthwise_conv1d", "trainable": true,
                  "dtype": "float32", "kernel_size": [2], "strides": [2], "padding": "valid",
                  "data_format": "channels_last", "dilation_rate": [1], "groups": 1, "activation": "linear",
                  "use_bias": true, "bias_initializer": %2$s, "bias_regularizer": null, "activity_regularizer": null,
                  "bias_constraint": null, "depth_multiplier": 1, "depthwise_initializer": %1$s,
                  "depthwise_regularizer": null, "depthwise_constraint": null}},
                 {"class_name": "Conv1DTranspose", "config": {"name": "conv1d_transpose", "trainable": true,
                  "dtype": "float32", "filters": 1, "kernel_size": [3], "strides": [2], "padding": "same",
                  "data_format": "channels_last", "dilation_rate": [1], "groups": 1, "activation": "linear",
                  "use_bias": true, "kernel_initializer": %1$s, "bias_initializer": %2$s, "kernel_regularizer": null,
                  "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null,
                  "bias_constraint": null, "output_padding": null}}]},
                 "keras_version": "2.15.0", "backend": "tensorflow"}""".formatted(init, zeros);
        List<Tensor> values = List.of(TestTensors.gaussian(SEED + 4, 3, 2, 2), TestTensors.gaussian(SEED + 5, 1, 4, 4),
                TestTensors.gaussian(SEED + 6, 4), TestTensors.gaussian(SEED + 7, 2, 4, 1),
                TestTensors.gaussian(SEED + 8, 4), TestTensors.gaussian(SEED + 9, 3, 1, 4),
                TestTensors.gaussian(SEED + 10, 1));
        Path weights = tmp.resolve("weights.h5");
        try (WritableHdfFile h5 = HdfFile.write(weights)) {
            h5.putAttribute("layer_names", new String[] {"separable_conv1d", "depthwise_conv1d", "conv1d_transpose"});
            h5.putAttribute("keras_version", "2.15.0");
            layer(h5, "separable_conv1d", List.of("depthwise_kernel:0", "pointwise_kernel:0", "bias:0"),
                    values.subList(0, 3));
            layer(h5, "depthwise_conv1d", List.of("depthwise_kernel:0", "bias:0"), values.subList(3, 5));
            layer(h5, "conv1d_transpose", List.of("kernel:0", "bias:0"), values.subList(5, 7));
        }
        KerasModel km = Models.load(Files.writeString(tmp.resolve("model.json"), json), weights);
        Sequential java = Sequential.of(Input.shape(9, 2),
                new SeparableConv1D(4, 3, "relu").padding("same").depthMultiplier(2), new DepthwiseConv1D(2).strides(2),
                new Conv1DTranspose(1, 3).padding("same").strides(2));
        java.setWeights(values);
        Tensor x = TestTensors.gaussian(SEED + 11, 5, 9, 2);
        assertThat(km.predict(x).toArray()).isEqualTo(java.predict(x).toArray());
        assertThat(km.layer("conv1d_transpose").outputShape()).isEqualTo(Shape.of(8, 1));
    }

    /** A tf.keras 2 layer group: weight_names and the datasets under {@code <layer>/<layer>/}. */
    private static void layer(WritableHdfFile h5, String name, List<String> names, List<Tensor> values) {
        WritableGroup g = h5.putGroup(name);
        g.putAttribute("weight_names", names.stream().map(n -> name + "/" + n).toArray(String[]::new));
        WritableGroup inner = g.putGroup(name);
        for (int i = 0; i < names.size(); i++) {
            Tensor t = values.get(i);
            inner.putDataset(names.get(i), WeightWriter.nested(t.toArray(), t.shape().dims()));
        }
    }

    @Test
    void unsupportedSettingsAreRefusedByName() {
        String transpose = """
                {"class_name": "Conv1DTranspose", "config": {"name": "t", "filters": 2, "kernel_size": [3], %s}}""";
        assertThatThrownBy(() -> read(transpose.formatted("\"data_format\": \"NCW\"")))
                .isInstanceOf(KerasFileException.class)
                .hasMessageStartingWith("unsupported option data_format='NCW' in layer 't' (Conv1DTranspose)");
        assertThatThrownBy(() -> read(transpose.formatted("\"padding\": \"causal\"")))
                .isInstanceOf(KerasFileException.class)
                .hasMessage("Layer 't' (Conv1DTranspose): padding must be 'valid' or 'same', got 'causal'");
        assertThatThrownBy(() -> read(transpose.formatted("\"strides\": [2], \"output_padding\": [2]")))
                .isInstanceOf(KerasFileException.class)
                .hasMessage("layer 't' (Conv1DTranspose): output_padding must be strictly less than strides (as in "
                        + "Keras), got output_padding=2 and strides=2");
        assertThatThrownBy(() -> read(transpose.formatted("\"output_padding\": -1")))
                .isInstanceOf(KerasFileException.class)
                .hasMessage("layer 't' (Conv1DTranspose): option 'output_padding' must be null, an integer >= 0 or a "
                        + "list of one, found -1");
        assertThatThrownBy(() -> read(transpose.formatted("\"strides\": 2, \"dilation_rate\": 2")))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("strides > 1 is not supported together");
        assertThatThrownBy(() -> read(transpose.formatted("\"groups\": 2"))).isInstanceOf(KerasFileException.class)
                .hasMessage("unsupported option groups=2 in layer 't' (Conv1DTranspose)");
        assertThatThrownBy(() -> read("""
                {"class_name": "DepthwiseConv1D", "config": {"name": "d", "kernel_size": 3, "depth_multiplier": 0}}"""))
                .isInstanceOf(KerasFileException.class)
                .hasMessage("Layer 'd' (DepthwiseConv1D): depth_multiplier must be >= 1, got 0");
        assertThatThrownBy(() -> read("""
                {"class_name": "DepthwiseConv1D", "config": {"name": "d", "kernel_size": 3, "lora_rank": 2}}"""))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("'lora_rank'");
        assertThatThrownBy(() -> read("""
                {"class_name": "SeparableConv1D", "config": {"name": "s", "filters": 2, "kernel_size": [3, 3]}}"""))
                .isInstanceOf(KerasFileException.class)
                .hasMessage("layer 's' (SeparableConv1D): option 'kernel_size' must be an integer >= 1 (or a list of "
                        + "one), found [3.0, 3.0]");
        assertThatThrownBy(() -> read("""
                {"class_name": "SeparableConv1D", "config": {"name": "s", "filters": 2, "kernel_size": 3,
                 "data_format": "NWC"}}""")).isInstanceOf(KerasFileException.class)
                .hasMessageStartingWith("unsupported option data_format='NWC' in layer 's' "
                        + "(SeparableConv1D)");
    }
}
