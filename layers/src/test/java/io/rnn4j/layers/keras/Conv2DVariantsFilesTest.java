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
import io.rnn4j.layers.AdaptiveAveragePooling3D;
import io.rnn4j.layers.AdaptiveMaxPooling2D;
import io.rnn4j.layers.Conv2DTranspose;
import io.rnn4j.layers.Conv3DTranspose;
import io.rnn4j.layers.DepthwiseConv2D;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Reshape;
import io.rnn4j.layers.SeparableConv2D;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.constraints.Constraints;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.regularizers.Regularizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Conv2DTranspose, Conv3DTranspose, DepthwiseConv2D, SeparableConv2D and AdaptiveAverage/MaxPooling2D/3D in Keras
 * files. Files Keras 3.15.1 wrote (keras3151/make_conv2d_variants.py): on TensorFlow's CPU backend the transposes
 * with strides, "same", output_padding and no bias, depthwise with depth_multiplier, strides with dilation and
 * channels_first, separable with both kernels' options and channels_first, the adaptive poolings shrinking and
 * growing, channels_first; on JAX (TensorFlow's CPU kernels refuse them) the transposes with dilation and
 * channels_first and a fully convolutional model with None spatial axes run on two sizes. rnn4j predicts Keras's
 * outputs within {@code 1e-5 + 1e-5·|y|} (float32 rounding: summation order differs in the last places), writes
 * them back with Keras 3's config keys in its order and reads its own file to the same bits. One epoch (two
 * steps) of SGD on a Keras-written compiled TimeDistributed(SeparableConv2D) → TimeDistributed(
 * GlobalAveragePooling2D) → LSTM → Dense model gives Keras's weights within {@code 1e-5 + 1e-5·|w|}. Options
 * round trip; hand-written Keras 3 entries with keys left out load with Keras's defaults; bad options are
 * refused by name.
 */
class Conv2DVariantsFilesTest {
    private static final Set<String> VARIANTS = Set.of("Conv2DTranspose", "Conv3DTranspose", "DepthwiseConv2D",
            "SeparableConv2D", "AdaptiveAveragePooling2D", "AdaptiveAveragePooling3D", "AdaptiveMaxPooling2D",
            "AdaptiveMaxPooling3D");

    @TempDir
    Path tmp;

    static Stream<String> fixtures() throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(resource("manifest-conv2d-variants-tensorflow.txt")));
        lines.addAll(Files.readAllLines(resource("manifest-conv2d-variants-jax.txt")));
        return lines.stream().filter(l -> !l.isBlank());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void aKerasWrittenModelPredictsAsKerasAndRoundTrips(String line) throws IOException {
        String[] f = line.trim().split(" ");
        String name = f[0];
        List<Tensor> xs = inputs(name, Integer.parseInt(f[1]));
        KerasModel m = Models.load(resource(name + ".keras"));
        List<Tensor> ys = m.predict(xs);
        assertThat(ys).hasSize(Integer.parseInt(f[2]));
        for (int i = 0; i < ys.size(); i++) {
            assertClose(name + " output " + i, ys.get(i).toArray(), Npy.read(resource(name + ".y" + i + ".npy"))
                    .values());
        }
        if (Files.exists(resource(name + ".x0.npy").resolveSibling(name + ".xb.npy"))) {
            // None spatial axes: the same model on inputs of another size.
            assertClose(name + " on another size", m.predict(Npy.read(resource(name + ".xb.npy")).tensor())
                    .toArray(), Npy.read(resource(name + ".yb.npy")).values());
        }
        Path back = tmp.resolve(name + ".keras");
        Models.save(m, back);
        List<Map<String, Object>> theirs = layerConfigs(resource(name + ".keras"), VARIANTS::contains);
        List<Map<String, Object>> ours = layerConfigs(back, VARIANTS::contains);
        assertThat(ours).as("entries as rnn4j writes them back").hasSameSizeAs(theirs).isNotEmpty();
        for (int i = 0; i < ours.size(); i++) {
            assertThat(ours.get(i).keySet()).as("get_config keys in Keras's order")
                    .containsExactlyElementsOf(theirs.get(i).keySet());
            for (String key : List.of("filters", "kernel_size", "strides", "padding", "output_padding", "data_format",
                    "dilation_rate", "depth_multiplier", "activation", "use_bias", "output_size")) {
                assertThat(ours.get(i).get(key)).as("%s of %s", key, ours.get(i).get("name"))
                        .isEqualTo(theirs.get(i).get(key));
            }
        }
        List<Tensor> again = Models.load(back).predict(xs);
        assertSameOutputs("", again, ys);
    }

    @Test
    void oneEpochOfSgdOnAKerasWrittenSeparableConvLstmGivesKerasWeights() throws IOException {
        KerasModel m = Models.load(resource("sep_lstm_train.keras"), true);
        Tensor fx = Npy.read(resource("sep_lstm_train.fit_x.npy")).tensor();
        Tensor fy = Npy.read(resource("sep_lstm_train.fit_y.npy")).tensor();
        List<Weight> weights = allWeights(m);
        List<float[]> before = values(weights);
        m.fit(fx, fy, Fit.defaults().batchSize(4).epochs(1).shuffle(false).verbose(0));
        // depthwise_kernel, pointwise_kernel, bias; LSTM kernel, recurrent kernel, bias; Dense kernel, bias.
        assertThat(weights).as("Keras's model.weights").hasSize(8);
        double moved = assertWeightsAsKeras("sep_lstm_train", "after one epoch", weights, before);
        // The steps move the weights far beyond the bar, so the comparison says that rnn4j trained as Keras.
        assertThat(moved).as("the largest change of a weight in the two steps").isGreaterThan(1e-3);
    }

    @Test
    void everyOptionComesBackAndWeightsSitAtKerasPaths() throws IOException {
        Conv2DTranspose t = new Conv2DTranspose(3, new int[] {3, 3}, Activation.RELU).strides(2, 1).padding("same")
                .outputPadding(1, 0).kernelInitializer(Initializers.heUniform())
                .biasInitializer(Initializers.constant(0.1f)).kernelRegularizer(Regularizers.l2(0.01f))
                .biasConstraint(Constraints.nonNeg()).named("t");
        DepthwiseConv2D d = new DepthwiseConv2D(new int[] {2, 3}, Activation.TANH).depthMultiplier(2)
                .strides(1, 2).dilationRate(2, 1).padding("same").dataFormat("channels_first")
                .depthwiseRegularizer(Regularizers.l1(0.01f)).depthwiseConstraint(Constraints.nonNeg()).named("d");
        SeparableConv2D s = new SeparableConv2D(2, 2).depthMultiplier(3).useBias(false)
                .pointwiseInitializer(Initializers.glorotNormal()).pointwiseRegularizer(Regularizers.l2(0.1f))
                .pointwiseConstraint(Constraints.nonNeg()).named("s");
        AdaptiveMaxPooling2D a = new AdaptiveMaxPooling2D(2, 3).dataFormat("channels_first").named("a");
        Sequential m = Sequential.of(Input.shape(5, 4, 2), t, d, s, a);
        Path out = tmp.resolve("options.keras");
        Models.save(m, out);
        KerasModel back = Models.load(out);
        Conv2DTranspose bt = (Conv2DTranspose) back.layer("t");
        assertThat(bt.kernelSize()).containsExactly(3, 3);
        assertThat(bt.strides()).containsExactly(2, 1);
        assertThat(bt.outputPadding()).containsExactly(1, 0);
        assertThat(List.of(bt.padding(), bt.dataFormat())).containsExactly("same", "channels_last");
        assertThat(bt.activation()).isEqualTo(Activation.RELU);
        assertThat(bt.kernelRegularizer()).isNotNull();
        assertThat(bt.biasConstraint()).isNotNull();
        DepthwiseConv2D bd = (DepthwiseConv2D) back.layer("d");
        assertThat(bd.depthMultiplier()).isEqualTo(2);
        assertThat(bd.strides()).containsExactly(1, 2);
        assertThat(bd.dilationRate()).containsExactly(2, 1);
        assertThat(bd.dataFormat()).isEqualTo("channels_first");
        assertThat(bd.depthwiseRegularizer()).isNotNull();
        assertThat(bd.depthwiseConstraint()).isNotNull();
        SeparableConv2D bs = (SeparableConv2D) back.layer("s");
        assertThat(bs.depthMultiplier()).isEqualTo(3);
        assertThat(bs.useBias()).isFalse();
        assertThat(bs.pointwiseRegularizer()).isNotNull();
        assertThat(bs.pointwiseConstraint()).isNotNull();
        AdaptiveMaxPooling2D ba = (AdaptiveMaxPooling2D) back.layer("a");
        assertThat(ba.outputSize()).containsExactly(2, 3);
        assertThat(ba.dataFormat()).isEqualTo("channels_first");
        Tensor x = TestTensors.gaussian(5, 2, 5, 4, 2);
        assertThat(back.predict(x).toArray()).as("the same numbers after the round trip")
                .isEqualTo(m.predict(x).toArray());

        Sequential three = Sequential.of(Input.shape(2, 3, 2, 2), new Conv3DTranspose(2, 2, 1, 2).strides(1, 2, 2)
                .outputPadding(0, 1, 0).useBias(false), new AdaptiveAveragePooling3D(1, 2, 3), new Reshape(12));
        Path out3 = tmp.resolve("three.keras");
        Models.save(three, out3);
        Tensor x3 = TestTensors.gaussian(6, 2, 2, 3, 2, 2);
        assertThat(Models.load(out3).predict(x3).toArray()).isEqualTo(three.predict(x3).toArray());
        try (var h5 = HdfFile.fromBytes(Archives.bytes(out, "model.weights.h5"))) {
            assertThat(h5.getDatasetByPath("layers/conv2d_transpose/vars/0").getDimensions())
                    .as("kernel (kernel_size..., filters, channels)").containsExactly(3, 3, 3, 2);
            assertThat(h5.getDatasetByPath("layers/depthwise_conv2d/vars/0").getDimensions())
                    .as("kernel (kernel_size..., channels, depth_multiplier)").containsExactly(2, 3, 10, 2);
            assertThat(h5.getDatasetByPath("layers/separable_conv2d/vars/0").getDimensions())
                    .as("depthwise_kernel").containsExactly(2, 2, 2, 3);
            assertThat(h5.getDatasetByPath("layers/separable_conv2d/vars/1").getDimensions())
                    .as("pointwise_kernel").containsExactly(1, 1, 6, 2);
        }
    }

    private static Layer read(String json) {
        return new LayerReader(false).read(ModelReader.parse("test", "layer", json)).layer();
    }

    @Test
    void handWrittenKeras3EntriesLoadWithKerasDefaults() {
        Conv2DTranspose t = (Conv2DTranspose) read("""
                {"class_name": "Conv2DTranspose", "config": {"name": "k", "filters": 2, "kernel_size": 3}}""");
        assertThat(t.kernelSize()).as("an int: every axis").containsExactly(3, 3);
        assertThat(t.strides()).containsExactly(1, 1);
        assertThat(t.outputPadding()).isNull();
        assertThat(List.of(t.padding(), t.dataFormat())).containsExactly("valid", "channels_last");
        assertThat(t.activation()).isEqualTo(Activation.LINEAR);
        assertThat(t.useBias()).isTrue();
        Conv3DTranspose t3 = (Conv3DTranspose) read("""
                {"class_name": "Conv3DTranspose", "config": {"name": "k", "filters": 2, "kernel_size": [1, 2, 3],
                 "strides": 2, "output_padding": 1, "padding": "same"}}""");
        assertThat(t3.strides()).containsExactly(2, 2, 2);
        assertThat(t3.outputPadding()).containsExactly(1, 1, 1);
        DepthwiseConv2D d = (DepthwiseConv2D) read("""
                {"class_name": "DepthwiseConv2D", "config": {"name": "k", "kernel_size": [2, 3]}}""");
        assertThat(d.depthMultiplier()).isEqualTo(1);
        assertThat(d.dilationRate()).containsExactly(1, 1);
        SeparableConv2D s = (SeparableConv2D) read("""
                {"class_name": "SeparableConv2D", "config": {"name": "k", "filters": 4, "kernel_size": 3,
                 "strides": [2, 2], "dilation_rate": 2, "groups": 1, "kernel_initializer": null}}""");
        assertThat(s.filters()).isEqualTo(4);
        assertThat(s.strides()).as("strides with dilation, as Keras 3's TF backend").containsExactly(2, 2);
        assertThat(s.dilationRate()).containsExactly(2, 2);
        AdaptiveMaxPooling2D a = (AdaptiveMaxPooling2D) read("""
                {"class_name": "AdaptiveMaxPooling2D", "config": {"name": "k", "output_size": 4}}""");
        assertThat(a.outputSize()).containsExactly(4, 4);
        assertThat(a.dataFormat()).isEqualTo("channels_last");
        assertThat(read("""
                {"class_name": "AdaptiveAveragePooling3D", "config": {"name": "k", "output_size": [1, 2, 3],
                 "data_format": "channels_first"}}""")).isInstanceOf(AdaptiveAveragePooling3D.class);
    }

    @Test
    void badOptionsAreRefusedByName() {
        assertThatThrownBy(() -> read("""
                {"class_name": "Conv2DTranspose", "config": {"name": "k", "filters": 2, "kernel_size": 3,
                 "strides": [2, 1], "output_padding": [1, 1]}}"""))
                .isInstanceOf(KerasFileException.class)
                .hasMessageContaining("output_padding must be strictly less than strides");
        assertThatThrownBy(() -> read("""
                {"class_name": "Conv2DTranspose", "config": {"name": "k", "filters": 2, "kernel_size": 3,
                 "strides": 2, "dilation_rate": 2}}"""))
                .isInstanceOf(KerasFileException.class)
                .hasMessage("Layer 'k' (Conv2DTranspose): strides > 1 is not supported together with "
                        + "dilation_rate > 1 (as in Keras), got strides=(2, 2) and dilation_rate=(2, 2)");
        assertThatThrownBy(() -> read("""
                {"class_name": "Conv3DTranspose", "config": {"name": "k", "filters": 2, "kernel_size": 3,
                 "output_padding": [1, 0]}}"""))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("output_padding");
        assertThatThrownBy(() -> read("""
                {"class_name": "DepthwiseConv2D", "config": {"name": "k", "kernel_size": 3, "padding": "causal"}}"""))
                .isInstanceOf(KerasFileException.class)
                .hasMessage("Layer 'k' (DepthwiseConv2D): padding must be 'valid' or 'same', got 'causal'");
        assertThatThrownBy(() -> read("""
                {"class_name": "SeparableConv2D", "config": {"name": "k", "filters": 2, "kernel_size": 3,
                 "depth_multiplier": 0}}"""))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("depth_multiplier");
        assertThatThrownBy(() -> read("""
                {"class_name": "AdaptiveAveragePooling2D", "config": {"name": "k", "output_size": [2, 2, 2]}}"""))
                .isInstanceOf(KerasFileException.class)
                .hasMessageContaining("option 'output_size' must be an integer >= 1 or a list of 2 of them");
        assertThatThrownBy(() -> read("""
                {"class_name": "AdaptiveMaxPooling3D", "config": {"name": "k", "output_size": 2,
                 "data_format": "channels_middle"}}"""))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("data_format");
        assertThat(LayerReader.KNOWN_UNSUPPORTED).doesNotContainAnyElementsOf(VARIANTS);
    }
}
