package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.AlphaDropout;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.Flatten;
import io.rnn4j.layers.GaussianDropout;
import io.rnn4j.layers.GaussianNoise;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Permute;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SpatialDropout1D;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SpatialDropout1D, GaussianNoise, GaussianDropout, AlphaDropout and Permute in Keras files: a
 * model trained here with all five saves and loads back predicting the same bits, with each
 * layer's options; the saved config has exactly the keys Keras 3's get_config writes; entries as
 * Keras 3 (and tf.keras, for SpatialDropout1D) write them load; values Keras refuses, and options
 * without a counterpart here, are refused naming the layer. Seed 43.
 */
class RegularizationLayersFilesTest {
    private static final long SEED = 43;

    @TempDir
    Path tmp;

    private static Layer read(String json) {
        return new LayerReader(false).read(ModelReader.parse("test", "layer", json)).layer();
    }

    @Test
    @SuppressWarnings("unchecked")
    void trainedModelRoundTripsWithKeras3ConfigKeys() throws IOException {
        System.out.println("RegularizationLayersFilesTest seed " + SEED);
        Seeds.set(SEED);
        Sequential m = Sequential.of(Input.shape(6), new Embedding(20, 4).maskZero(true), new SpatialDropout1D(0.25f),
                new GaussianNoise(0.1f), new LSTM(5).returnSequences(true), new GaussianDropout(0.3f),
                new AlphaDropout(0.15f), new Permute(2, 1), new Flatten(), new Dense(2));
        float[] ids = {1, 2, 0, 0, 5, 19, 3, 3, 3, 0, 0, 0, 7, 8, 9, 10, 11, 12, 4, 4, 0, 0, 0, 0};
        Tensor x = Tensor.of(ids, 4, 6);
        m.compile(Optimizers.adam(0.01), Losses.meanSquaredError());
        m.fit(x, TestTensors.gaussian(SEED, 4, 2), Fit.defaults().batchSize(2).epochs(2).verbose(0));
        Path out = tmp.resolve("regularization.keras");
        Models.save(m, out);

        KerasModel back = Models.load(out);
        assertThat(back.layers()).extracting(Layer::className).containsExactly("Embedding", "SpatialDropout1D",
                "GaussianNoise", "LSTM", "GaussianDropout", "AlphaDropout", "Permute", "Flatten", "Dense");
        assertThat(back.layers()).extracting(Layer::name)
                .containsExactlyElementsOf(m.layers().stream().map(Layer::name).toList());
        assertThat(back.predict(x).toArray()).as("predictions after save and load, bit for bit")
                .isEqualTo(m.predict(x).toArray());
        List<Layer> l = back.layers();
        assertThat(((SpatialDropout1D) l.get(1)).rate()).isEqualTo(0.25f);
        assertThat(((GaussianNoise) l.get(2)).stddev()).isEqualTo(0.1f);
        assertThat(((GaussianDropout) l.get(4)).rate()).isEqualTo(0.3f);
        assertThat(((AlphaDropout) l.get(5)).rate()).isEqualTo(0.15f);
        assertThat(((Permute) l.get(6)).dims()).containsExactly(2, 1);

        Map<String, Object> model = (Map<String, Object>) Json.parse(SaveTest.entry(out, "config.json"));
        List<Object> layers = (List<Object>) ((Map<String, Object>) model.get("config")).get("layers");
        Map<String, Map<String, Object>> configs = new java.util.HashMap<>();
        for (Object e : layers) {
            Map<String, Object> entry = (Map<String, Object>) e;
            configs.put((String) entry.get("class_name"), (Map<String, Object>) entry.get("config"));
        }
        // Keras 3's SpatialDropout1D.get_config has no trainable, and its __init__ would refuse one.
        assertThat(configs.get("SpatialDropout1D")).containsOnlyKeys("name", "dtype", "rate", "seed")
                .containsEntry("rate", 0.25).containsEntry("seed", null);
        assertThat(configs.get("GaussianNoise")).containsOnlyKeys("name", "trainable", "dtype", "stddev", "seed")
                .containsEntry("stddev", 0.1);
        assertThat(configs.get("GaussianDropout")).containsOnlyKeys("name", "trainable", "dtype", "rate", "seed")
                .containsEntry("rate", 0.3);
        assertThat(configs.get("AlphaDropout")).containsOnlyKeys("name", "trainable", "dtype", "rate", "seed",
                "noise_shape").containsEntry("rate", 0.15).containsEntry("noise_shape", null);
        assertThat(configs.get("Permute")).containsOnlyKeys("name", "trainable", "dtype", "dims")
                .containsEntry("dims", List.of(2.0, 1.0));
    }

    @Test
    void keras3AndTfKerasEntriesLoad() {
        String policy = """
                {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}""";
        SpatialDropout1D s = (SpatialDropout1D) read("""
                {"module": "keras.layers", "class_name": "SpatialDropout1D", "config": {"rate": 0.2, "seed": 7,
                 "name": "sd", "dtype": %s}, "registered_name": null, "build_config": {"input_shape": [null, 10, 8]}}"""
                .formatted(policy));
        assertThat(s.name()).isEqualTo("sd");
        assertThat(s.rate()).isEqualTo(0.2f);
        SpatialDropout1D tf = (SpatialDropout1D) new LayerReader(true).read(ModelReader.parse("test", "layer", """
                {"class_name": "SpatialDropout1D", "config": {"name": "sd2", "trainable": true, "dtype": "float32",
                 "rate": 0.5, "noise_shape": null, "seed": null}}""")).layer();
        assertThat(tf.rate()).isEqualTo(0.5f);
        GaussianNoise g = (GaussianNoise) read("""
                {"module": "keras.layers", "class_name": "GaussianNoise", "config": {"name": "gn", "trainable": false,
                 "dtype": %s, "stddev": 1.0, "seed": null}, "registered_name": null}""".formatted(policy));
        assertThat(g.stddev()).isEqualTo(1f);
        assertThat(g.trainable()).isFalse();
        GaussianDropout gd = (GaussianDropout) read("""
                {"module": "keras.layers", "class_name": "GaussianDropout", "config": {"name": "gd", "trainable": true,
                 "dtype": %s, "rate": 0.3, "seed": null}, "registered_name": null}""".formatted(policy));
        assertThat(gd.rate()).isEqualTo(0.3f);
        AlphaDropout ad = (AlphaDropout) read("""
                {"module": "keras.layers", "class_name": "AlphaDropout", "config": {"name": "ad", "trainable": true,
                 "dtype": %s, "rate": 0.1, "seed": null, "noise_shape": null}, "registered_name": null}"""
                .formatted(policy));
        assertThat(ad.rate()).isEqualTo(0.1f);
        Permute p = (Permute) read("""
                {"module": "keras.layers", "class_name": "Permute", "config": {"name": "pm", "trainable": true,
                 "dtype": %s, "dims": [3, 1, 2]}, "registered_name": null}""".formatted(policy));
        assertThat(p.dims()).containsExactly(3, 1, 2);
    }

    @Test
    void refusedValuesNameTheLayer() {
        assertThatThrownBy(() -> read("""
                {"class_name": "GaussianDropout", "config": {"name": "gd", "rate": 1.5}}"""))
                .isInstanceOf(KerasFileException.class)
                .hasMessageStartingWith("layer 'gd' (GaussianDropout): ").hasMessageEndingWith(": rate must be in [0, 1], got 1.5");
        assertThatThrownBy(() -> read("""
                {"class_name": "GaussianNoise", "config": {"name": "gn", "stddev": 1.5}}"""))
                .isInstanceOf(KerasFileException.class)
                .hasMessageStartingWith("layer 'gn' (GaussianNoise): ")
                .hasMessageEndingWith(": stddev must be in [0, 1], got 1.5");
        assertThatThrownBy(() -> read("""
                {"class_name": "SpatialDropout1D", "config": {"name": "sd"}}"""))
                .isInstanceOf(KerasFileException.class)
                .hasMessage("layer 'sd' (SpatialDropout1D): option 'rate' must be a number, found null");
        assertThatThrownBy(() -> read("""
                {"class_name": "SpatialDropout1D", "config": {"name": "sd", "rate": 0.1, "data_format": "x"}}"""))
                .isInstanceOf(KerasFileException.class)
                .hasMessage("unsupported option 'data_format' = 'x' in layer 'sd' (SpatialDropout1D): this loader "
                        + "does not know it");
        assertThatThrownBy(() -> read("""
                {"class_name": "AlphaDropout", "config": {"name": "ad", "rate": 0.1, "noise_shape": [null, 1, 4]}}"""))
                .isInstanceOf(KerasFileException.class)
                .hasMessage("unsupported option noise_shape=[null, 1.0, 4.0] in layer 'ad' (AlphaDropout)");
        assertThatThrownBy(() -> read("""
                {"class_name": "Permute", "config": {"name": "pm", "dims": [1, 1]}}"""))
                .isInstanceOf(KerasFileException.class)
                .hasMessageStartingWith("layer 'pm' (Permute): ")
                .hasMessageEndingWith(": dims must be a permutation of the sample's axes 1..2 (1-based, no batch axis), "
                        + "got [1, 1]");
        assertThatThrownBy(() -> read("""
                {"class_name": "Permute", "config": {"name": "pm", "dims": [1.5, 2]}}"""))
                .isInstanceOf(KerasFileException.class)
                .hasMessage("layer 'pm' (Permute): option 'dims' must be a list of axes, found [1.5, 2.0]");
    }
}
