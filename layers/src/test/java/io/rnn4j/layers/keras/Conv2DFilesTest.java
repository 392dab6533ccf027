package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.Keras3151.allWeights;
import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.assertSameOutputs;
import static io.rnn4j.layers.keras.Keras3151.assertWeightsAsKeras;
import static io.rnn4j.layers.keras.Keras3151.inputs;
import static io.rnn4j.layers.keras.Keras3151.layerConfigs;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static io.rnn4j.layers.keras.Keras3151.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jhdf.HdfFile;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Activation;
import io.rnn4j.layers.AveragePooling2D;
import io.rnn4j.layers.AveragePooling3D;
import io.rnn4j.layers.Conv2D;
import io.rnn4j.layers.Conv3D;
import io.rnn4j.layers.GlobalAveragePooling3D;
import io.rnn4j.layers.GlobalMaxPooling2D;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.MaxPooling2D;
import io.rnn4j.layers.MaxPooling3D;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.constraints.Constraints;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.regularizers.Regularizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Conv2D, Conv3D and the 2D/3D poolings in Keras files. Files Keras 3.15.1 wrote on TensorFlow's
 * CPU backend (keras3151/make_conv2d.py): "valid" and "same" with strides, dilation, groups and a
 * 1×1 kernel, channels_first everywhere, None spatial axes run on two sizes, one model in Keras
 * 3's legacy .h5; rnn4j predicts Keras's outputs within {@code 1e-5 + 1e-5·|y|} (float32 rounding:
 * summation order differs in the last places), writes them back with Keras 3's config keys in its
 * order and reads its own file to the same bits. One epoch (two steps) of a TimeDistributed(Conv2D
 * → MaxPooling2D → Flatten) → LSTM model under SGD and of Keras's next-frame model (ConvLSTM2D →
 * BatchNormalization → ... → Conv3D) under Adam and binary cross-entropy, both Keras-written and
 * compiled, give Keras's weights within {@code 1e-5 + 1e-5·|w|}. Options round trip; hand-written
 * Keras 3 entries with keys left out load with Keras's defaults; bad options are refused by name.
 */
class Conv2DFilesTest {
    private static final Set<String> SPATIAL = Set.of("Conv2D", "Conv3D", "MaxPooling2D", "MaxPooling3D",
            "AveragePooling2D", "AveragePooling3D", "GlobalMaxPooling2D", "GlobalMaxPooling3D",
            "GlobalAveragePooling2D", "GlobalAveragePooling3D");

    @TempDir
    Path tmp;

    static Stream<String> fixtures() throws IOException {
        return Files.readAllLines(resource("manifest-conv2d.txt")).stream().filter(l -> !l.isBlank());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void aKerasWrittenModelPredictsAsKerasAndRoundTrips(String line) throws IOException {
        String[] f = line.trim().split(" ");
        String file = f[0];
        String name = file.substring(0, file.lastIndexOf('.'));
        List<Tensor> xs = inputs(name, Integer.parseInt(f[1]));
        KerasModel m = Models.load(resource(file));
        List<Tensor> ys = m.predict(xs);
        assertThat(ys).hasSize(Integer.parseInt(f[2]));
        for (int i = 0; i < ys.size(); i++) {
            assertClose(name + " output " + i, ys.get(i).toArray(), Npy.read(resource(name + ".y" + i + ".npy"))
                    .values());
        }
        boolean anySize = Files.exists(resource(name + ".x0.npy").resolveSibling(name + ".xb.npy"));
        if (anySize) {
            // None spatial axes: the same model on inputs of another size.
            assertClose(name + " on another size", m.predict(Npy.read(resource(name + ".xb.npy")).tensor())
                    .toArray(), Npy.read(resource(name + ".yb.npy")).values());
        }
        Path back = tmp.resolve(name + ".keras");
        Models.save(m, back);
        if (file.endsWith(".keras")) {
            List<Map<String, Object>> theirs = layerConfigs(resource(file), SPATIAL::contains);
            List<Map<String, Object>> ours = layerConfigs(back, SPATIAL::contains);
            assertThat(ours).as("2D/3D entries as rnn4j writes them back").hasSameSizeAs(theirs).isNotEmpty();
            for (int i = 0; i < ours.size(); i++) {
                assertThat(ours.get(i).keySet()).as("get_config keys in Keras's order")
                        .containsExactlyElementsOf(theirs.get(i).keySet());
                for (String key : List.of("filters", "kernel_size", "strides", "padding", "data_format",
                        "dilation_rate", "groups", "activation", "use_bias", "pool_size", "keepdims")) {
                    assertThat(ours.get(i).get(key)).as("%s of %s", key, ours.get(i).get("name"))
                            .isEqualTo(theirs.get(i).get(key));
                }
            }
        }
        List<Tensor> again = Models.load(back).predict(xs);
        assertSameOutputs("", again, ys);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("trainings")
    void oneEpochOnAKerasWrittenCompiledModelGivesKerasWeights(String name, int weightCount) throws IOException {
        KerasModel m = Models.load(resource(name + ".keras"), true);
        Tensor fx = Npy.read(resource(name + ".fit_x.npy")).tensor();
        Tensor fy = Npy.read(resource(name + ".fit_y.npy")).tensor();
        assertClose(name + " before training", m.predict(fx).toArray(), Npy.read(resource(name + ".y0.npy"))
                .values());
        List<Weight> weights = allWeights(m);
        List<float[]> before = values(weights);
        m.fit(fx, fy, Fit.defaults().batchSize(4).epochs(1).shuffle(false).verbose(0));
        assertThat(weights).as("Keras's model.weights").hasSize(weightCount);
        double moved = assertWeightsAsKeras(name, "after one epoch", weights, before);
        // The steps move the weights far beyond the bar, so the comparison says that rnn4j trained as Keras.
        assertThat(moved).as("the largest change of a weight in the two steps").isGreaterThan(1e-3);
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> trainings() {
        // cnn_lstm: conv kernel, bias, LSTM kernel, recurrent kernel, bias, dense kernel, bias. next_frame: three
        // ConvLSTM2D (3 each), two BatchNormalization (4 each, the moving statistics too), Conv3D (2).
        return Stream.of(org.junit.jupiter.params.provider.Arguments.of("cnn_lstm_train", 7),
                org.junit.jupiter.params.provider.Arguments.of("next_frame_train", 19));
    }

    @Test
    void everyOptionComesBackAndWeightsSitAtKerasPaths() throws IOException {
        Conv2D c2 = new Conv2D(4, new int[] {3, 2}, Activation.RELU).strides(2, 1).padding("same").groups(2)
                .useBias(true).kernelInitializer(Initializers.heUniform()).biasInitializer(Initializers.constant(0.1f))
                .kernelRegularizer(Regularizers.l2(0.01f)).biasConstraint(Constraints.nonNeg()).named("c2");
        MaxPooling2D p2 = new MaxPooling2D(new int[] {3, 2}, new int[] {2, 1}).padding("same").named("p2");
        AveragePooling2D a2 = new AveragePooling2D(2).dataFormat("channels_first").named("a2");
        GlobalMaxPooling2D g2 = new GlobalMaxPooling2D("channels_first", true);
        Sequential m = Sequential.of(Input.shape(9, 8, 4), c2, p2, a2, g2);
        Path out = tmp.resolve("options.keras");
        Models.save(m, out);
        KerasModel back = Models.load(out);
        Conv2D c = (Conv2D) back.layer("c2");
        assertThat(c.kernelSize()).containsExactly(3, 2);
        assertThat(c.strides()).containsExactly(2, 1);
        assertThat(List.of(c.padding(), c.dataFormat())).containsExactly("same", "channels_last");
        assertThat(c.groups()).isEqualTo(2);
        assertThat(c.activation()).isEqualTo(Activation.RELU);
        assertThat(c.kernelRegularizer()).isNotNull();
        assertThat(c.biasConstraint()).isNotNull();
        MaxPooling2D p = (MaxPooling2D) back.layer("p2");
        assertThat(p.poolSize()).containsExactly(3, 2);
        assertThat(p.strides()).containsExactly(2, 1);
        assertThat(p.padding()).isEqualTo("same");
        assertThat(((AveragePooling2D) back.layer("a2")).dataFormat()).isEqualTo("channels_first");
        GlobalMaxPooling2D g = (GlobalMaxPooling2D) back.layers().get(3);
        assertThat(List.of(g.dataFormat(), String.valueOf(g.keepdims()))).containsExactly("channels_first", "true");
        Tensor x = TestTensors.gaussian(5, 2, 9, 8, 4);
        assertThat(back.predict(x).toArray()).as("the same numbers after the round trip")
                .isEqualTo(m.predict(x).toArray());

        Sequential three = Sequential.of(Input.shape(5, 6, 4, 2), new Conv3D(3, 2, 1, 2).dilationRate(2, 1, 1)
                .useBias(false), new MaxPooling3D(), new AveragePooling3D(1, 2, 1), new GlobalAveragePooling3D());
        Path out3 = tmp.resolve("three.keras");
        Models.save(three, out3);
        Tensor x3 = TestTensors.gaussian(6, 2, 5, 6, 4, 2);
        assertThat(Models.load(out3).predict(x3).toArray()).isEqualTo(three.predict(x3).toArray());
        try (var h5 = HdfFile.fromBytes(Archives.bytes(out, "model.weights.h5"))) {
            assertThat(h5.getDatasetByPath("layers/conv2d/vars/0").getDimensions()).containsExactly(3, 2, 2, 4);
            assertThat(h5.getDatasetByPath("layers/conv2d/vars/1").getDimensions()).containsExactly(4);
        }
        try (var h5 = HdfFile.fromBytes(Archives.bytes(out3, "model.weights.h5"))) {
            assertThat(h5.getDatasetByPath("layers/conv3d/vars/0").getDimensions()).containsExactly(2, 1, 2, 2, 3);
        }
    }

    private static Layer read(String json) {
        return new LayerReader(false).read(ModelReader.parse("test", "layer", json)).layer();
    }

    @Test
    void handWrittenKeras3EntriesLoadWithKerasDefaults() {
        Conv2D bare = (Conv2D) read("""
                {"class_name": "Conv2D", "config": {"name": "k", "filters": 2, "kernel_size": 3,
                 "padding": "SAME"}}""");
        assertThat(bare.kernelSize()).as("an int: every axis").containsExactly(3, 3);
        assertThat(bare.strides()).containsExactly(1, 1);
        assertThat(bare.dilationRate()).containsExactly(1, 1);
        assertThat(List.of(bare.padding(), bare.dataFormat())).containsExactly("same", "channels_last");
        assertThat(bare.activation()).isEqualTo(Activation.LINEAR);
        assertThat(bare.groups()).isEqualTo(1);
        assertThat(bare.useBias()).isTrue();
        Conv3D three = (Conv3D) read("""
                {"class_name": "Conv3D", "config": {"name": "k", "filters": 2, "kernel_size": [1, 2, 3],
                 "strides": 2, "activation": null, "data_format": "channels_first"}}""");
        assertThat(three.kernelSize()).containsExactly(1, 2, 3);
        assertThat(three.strides()).containsExactly(2, 2, 2);
        assertThat(three.dataFormat()).isEqualTo("channels_first");
        MaxPooling2D max = (MaxPooling2D) read("""
                {"class_name": "MaxPooling2D", "config": {"name": "m"}}""");
        assertThat(max.poolSize()).as("Keras's default").containsExactly(2, 2);
        assertThat(max.strides()).as("None: pool_size").containsExactly(2, 2);
        AveragePooling3D avg = (AveragePooling3D) read("""
                {"class_name": "AveragePooling3D", "config": {"name": "a", "pool_size": [1, 2, 3], "strides": null,
                 "padding": "same"}}""");
        assertThat(avg.strides()).containsExactly(1, 2, 3);
        GlobalAveragePooling3D g = (GlobalAveragePooling3D) read("""
                {"class_name": "GlobalAveragePooling3D", "config": {"name": "g"}}""");
        assertThat(List.of(g.dataFormat(), String.valueOf(g.keepdims()))).containsExactly("channels_last", "false");
    }

    @Test
    void unsupportedSettingsAreRefusedByName() {
        String entry = """
                {"class_name": "Conv2D", "config": {"name": "k", "filters": 2, "kernel_size": [3, 3], %s}}""";
        assertThatThrownBy(() -> read(entry.formatted("\"padding\": \"causal\"")))
                .isInstanceOf(KerasFileException.class)
                .hasMessage("Layer 'k' (Conv2D): padding must be 'valid' or 'same', got 'causal'");
        assertThatThrownBy(() -> read(entry.formatted("\"strides\": [1, 2], \"dilation_rate\": [2, 1]")))
                .isInstanceOf(KerasFileException.class)
                .hasMessage("Layer 'k' (Conv2D): strides > 1 is not supported together with dilation_rate > 1 "
                        + "(as in Keras), got strides=(1, 2) and dilation_rate=(2, 1)");
        assertThatThrownBy(() -> read(entry.formatted("\"lora_rank\": 4")))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("lora_rank");
        assertThatThrownBy(() -> read(entry.formatted("\"groups\": 3")))
                .isInstanceOf(KerasFileException.class)
                .hasMessage("Layer 'k' (Conv2D): filters must be divisible by groups, got filters=2 and groups=3");
        assertThatThrownBy(() -> read(entry.formatted("\"data_format\": \"channels_middle\"")))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("data_format");
        assertThatThrownBy(() -> read("""
                {"class_name": "Conv3D", "config": {"name": "k", "filters": 2, "kernel_size": [3, 3]}}"""))
                .isInstanceOf(KerasFileException.class)
                .hasMessageContaining("option 'kernel_size' must be an integer >= 1 or a list of 3 of them");
        assertThatThrownBy(() -> read("""
                {"class_name": "AveragePooling2D", "config": {"name": "a"}}"""))
                .as("no default pool_size in Keras 3").isInstanceOf(KerasFileException.class)
                .hasMessageContaining("pool_size");
        assertThatThrownBy(() -> read("""
                {"class_name": "MaxPooling3D", "config": {"name": "m", "pool_size": 0}}"""))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("pool_size");
        assertThat(LayerReader.KNOWN_UNSUPPORTED).doesNotContainAnyElementsOf(SPATIAL);
    }
}
