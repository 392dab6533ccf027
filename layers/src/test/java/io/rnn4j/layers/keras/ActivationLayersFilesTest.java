package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.ELU;
import io.rnn4j.layers.GradCheck;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.LeakyReLU;
import io.rnn4j.layers.PReLU;
import io.rnn4j.layers.ReLU;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.Softmax;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.KerasConfig;
import io.rnn4j.layers.model.Sequential;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The activation layers' Keras entries: hand-written Keras 3 and tf.keras 2 configs load with
 * every option (tf.keras 2's LeakyReLU alpha, ReLU max_value null, Keras 3's ELU without alpha), bad
 * values are refused naming the layer, and a .keras file saved here holds Keras 3's keys and loads
 * back with the same predictions bit for bit and PReLU's alpha. Seed 23, fixed.
 */
class ActivationLayersFilesTest {
    @TempDir
    Path tmp;

    private static Layer read(boolean keras2, String json) {
        return new LayerReader(keras2).read(ModelReader.parse("test", "layer", json)).layer();
    }

    @Test
    void keras3EntriesLoad() {
        ReLU relu = (ReLU) read(false, """
                {"module": "keras.layers", "class_name": "ReLU", "config": {"name": "re_lu", "trainable": true,
                 "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"},
                 "registered_name": null}, "max_value": 6.0, "negative_slope": 0.1, "threshold": 0.5},
                 "registered_name": null, "build_config": {"input_shape": [null, 3, 4]}}""");
        assertThat(relu.maxValue()).isEqualTo(6f);
        assertThat(relu.negativeSlope()).isEqualTo(0.1f);
        assertThat(relu.threshold()).isEqualTo(0.5f);
        assertThat(relu.name()).isEqualTo("re_lu");
        LeakyReLU leaky = (LeakyReLU) read(false, """
                {"module": "keras.layers", "class_name": "LeakyReLU", "config": {"name": "lr", "trainable": true,
                 "dtype": "float32", "negative_slope": 0.1}, "registered_name": null}""");
        assertThat(leaky.negativeSlope()).isEqualTo(0.1f);
        ELU elu = (ELU) read(false, """
                {"module": "keras.layers", "class_name": "ELU", "config": {"name": "elu", "trainable": true,
                 "dtype": "float32"}, "registered_name": null}""");
        assertThat(elu.alpha()).as("Keras 3's ELU config has no alpha: 1").isEqualTo(1f);
        Softmax soft = (Softmax) read(false, """
                {"module": "keras.layers", "class_name": "Softmax", "config": {"name": "s", "trainable": true,
                 "dtype": "float32", "axis": [1, 2]}, "registered_name": null}""");
        assertThat(soft.axes()).containsExactly(1, 2);
        PReLU p = (PReLU) read(false, """
                {"module": "keras.layers", "class_name": "PReLU", "config": {"name": "p", "trainable": true,
                 "dtype": "float32", "alpha_initializer": {"module": "keras.initializers", "class_name": "Constant",
                 "config": {"value": 0.25}, "registered_name": null}, "alpha_regularizer": {"module":
                 "keras.regularizers", "class_name": "L2", "config": {"l2": 0.01}, "registered_name": null},
                 "alpha_constraint": {"module": "keras.constraints", "class_name": "NonNeg", "config": {},
                 "registered_name": null}, "shared_axes": [1]}, "registered_name": null}""");
        assertThat(p.sharedAxes()).containsExactly(1);
        assertThat(p.alphaInitializer().kerasConfig()).contains(KerasConfig.of("Constant", "value", 0.25));
        assertThat(p.alphaRegularizer().kerasConfig()).contains(KerasConfig.of("L2", "l2", 0.01));
        assertThat(p.alphaConstraint().kerasConfig()).contains(KerasConfig.of("NonNeg"));
    }

    @Test
    void tfKeras2EntriesLoad() {
        LeakyReLU leaky = (LeakyReLU) read(true, """
                {"class_name": "LeakyReLU", "config": {"name": "leaky_re_lu", "trainable": true, "dtype": "float32",
                 "alpha": 0.2}}""");
        assertThat(leaky.negativeSlope()).as("tf.keras 2's alpha").isEqualTo(0.2f);
        ReLU relu = (ReLU) read(true, """
                {"class_name": "ReLU", "config": {"name": "re_lu", "trainable": true, "dtype": "float32",
                 "max_value": null, "negative_slope": 0.0, "threshold": 0.0}}""");
        assertThat(relu.maxValue()).as("max_value null: none").isNull();
        ELU elu = (ELU) read(true, """
                {"class_name": "ELU", "config": {"name": "elu", "trainable": true, "dtype": "float32", "alpha": 0.5}}""");
        assertThat(elu.alpha()).isEqualTo(0.5f);
        PReLU p = (PReLU) read(true, """
                {"class_name": "PReLU", "config": {"name": "p_re_lu", "trainable": true, "dtype": "float32",
                 "alpha_initializer": {"class_name": "Zeros", "config": {}}, "alpha_regularizer": null,
                 "alpha_constraint": null, "shared_axes": null}}""");
        assertThat(p.sharedAxes()).isNull();
        Softmax s = (Softmax) read(true, """
                {"class_name": "Softmax", "config": {"name": "softmax", "trainable": true, "dtype": "float32",
                 "axis": -2}}""");
        assertThat(s.axes()).containsExactly(-2);
    }

    @Test
    void badEntriesAreRefusedNamingTheLayer() {
        assertThatThrownBy(() -> read(false, """
                {"class_name": "ReLU", "config": {"name": "r", "max_value": -1.0}}"""))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("'r'").hasMessageContaining("max_value");
        assertThatThrownBy(() -> read(false, """
                {"class_name": "LeakyReLU", "config": {"name": "l", "negative_slope": -0.5}}"""))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("negative_slope");
        assertThatThrownBy(() -> read(false, """
                {"class_name": "Softmax", "config": {"name": "s", "axis": "last"}}"""))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("axis");
        assertThatThrownBy(() -> read(false, """
                {"class_name": "PReLU", "config": {"name": "p", "shared_axes": ["x"]}}"""))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("shared_axes");
    }

    @Test
    void savedWithKeras3KeysAndLoadedBackBitForBit() throws IOException {
        Seeds.set(23);
        Sequential m = Sequential.of(Input.shape(5, 3), new ReLU(6.0, 0.1f, 0f), new LeakyReLU(0.2f),
                new PReLU().sharedAxes(1).alphaInitializer(Initializers.randomUniform(0f, 0.5f)), new ELU(0.5f),
                new LSTM(4).returnSequences(true), new ReLU(null, 0.05f, 0.5f), new Softmax(1));
        Path out = tmp.resolve("act.keras");
        Models.save(m, out);
        String config;
        try (ZipFile z = new ZipFile(out.toFile())) {
            config = new String(z.getInputStream(z.getEntry("config.json")).readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(config).contains("\"class_name\": \"ReLU\"").contains("\"max_value\": 6.0, \"negative_slope\": "
                + "0.1, \"threshold\": 0.0").contains("\"max_value\": null, \"negative_slope\": 0.05, \"threshold\": 0.5")
                .contains("\"negative_slope\": 0.2").contains("\"shared_axes\": [1]").contains("\"alpha\": 0.5")
                .contains("\"axis\": 1").contains("\"alpha_initializer\": {\"module\": \"keras.initializers\", "
                        + "\"class_name\": \"RandomUniform\"");
        KerasModel back = Models.load(out);
        Tensor x = GradCheck.uniform(new Random(23), -3, 3, 2, 5, 3);
        assertThat(back.predict(x).toArray()).as("predictions after save and load, bit for bit")
                .isEqualTo(m.predict(x).toArray());
        PReLU p = (PReLU) back.sequential().layers().get(2);
        assertThat(p.alpha().value().toArray()).isEqualTo(m.layers().get(2).weights().get(0).value().toArray());
    }
}
