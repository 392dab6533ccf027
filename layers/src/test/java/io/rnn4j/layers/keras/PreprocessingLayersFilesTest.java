package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.GradCheck;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Normalization;
import io.rnn4j.layers.Rescaling;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.model.Sequential;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Normalization and Rescaling entries as Keras 3's get_config writes them (axis a list, mean and
 * variance null or NumPy's tolist(), scale a number or a serialized array) and as tf.keras 2 wrote
 * them (no invert); an adapted layer saved to .keras keeps its statistics in
 * {@code layers/normalization/vars/0..2} with count as Keras's int64 scalar, and loads back with the
 * same predictions bit for bit; bad entries are refused naming the layer and key. Seed 37, fixed.
 */
class PreprocessingLayersFilesTest {
    @TempDir
    Path tmp;

    private static Layer read(boolean keras2, String json) {
        return new LayerReader(keras2).read(ModelReader.parse("test", "layer", json)).layer();
    }

    @Test
    void keras3AndTfKeras2EntriesLoad() {
        Normalization adapted = (Normalization) read(false, """
                {"module": "keras.layers", "class_name": "Normalization", "config": {"name": "normalization",
                 "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config":
                 {"name": "float32"}, "registered_name": null}, "axis": [-1], "invert": false, "mean": null,
                 "variance": null}, "registered_name": null, "build_config": {"input_shape": [null, 5, 3]}}""");
        assertThat(adapted.axis()).containsExactly(-1);
        assertThat(adapted.givenMean()).isNull();
        Normalization given = (Normalization) read(false, """
                {"module": "keras.layers", "class_name": "Normalization", "config": {"name": "n", "trainable": true,
                 "dtype": "float32", "axis": [], "invert": true, "mean": 3.0, "variance": 2.0},
                 "registered_name": null}""");
        assertThat(given.axis()).as("Keras 3 writes axis=None as ()").isEmpty();
        assertThat(given.invert()).isTrue();
        assertThat(given.givenMean().toArray()).containsExactly(3f);
        Normalization lists = (Normalization) read(false, """
                {"class_name": "Normalization", "config": {"name": "n2", "axis": [1, 2], "mean": [[1.0, 2.0]],
                 "variance": [[0.5, 4.0]]}}""");
        assertThat(lists.givenVariance().shape().dims()).containsExactly(1, 2);
        Normalization tf2 = (Normalization) read(true, """
                {"class_name": "Normalization", "config": {"name": "normalization", "trainable": true,
                 "batch_input_shape": [null, 4, 2], "dtype": "float32", "axis": [-1], "mean": null,
                 "variance": null}}""");
        assertThat(tf2.invert()).as("tf.keras 2 before invert existed").isFalse();
        Normalization intAxis = (Normalization) read(true, """
                {"class_name": "Normalization", "config": {"name": "n3", "axis": -1, "mean": null, "variance": null}}""");
        assertThat(intAxis.axis()).containsExactly(-1);
        Rescaling scale = (Rescaling) read(false, """
                {"module": "keras.layers", "class_name": "Rescaling", "config": {"name": "rescaling",
                 "trainable": true, "dtype": "float32", "scale": 0.00392156862745098, "offset": 0.0},
                 "registered_name": null}""");
        assertThat(scale.scale()).containsExactly((float) 0.00392156862745098);
        Rescaling array = (Rescaling) read(false, """
                {"class_name": "Rescaling", "config": {"name": "r", "scale": {"class_name": "__numpy__", "config":
                 {"value": [1.0, 2.0], "dtype": "float64"}}, "offset": [0.5, 0.25]}}""");
        assertThat(array.scale()).containsExactly(1f, 2f);
        assertThat(array.offset()).containsExactly(0.5f, 0.25f);
    }

    @Test
    void badEntriesAreRefusedNamingTheLayerAndKey() {
        assertThatThrownBy(() -> read(false, """
                {"class_name": "Normalization", "config": {"name": "n", "axis": [-1], "mean": 1.0, "variance": null}}"""))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("'n'")
                .hasMessageContaining("both be given or both be null");
        assertThatThrownBy(() -> read(false, """
                {"class_name": "Normalization", "config": {"name": "n", "axis": ["x"]}}"""))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("axis");
        assertThatThrownBy(() -> read(false, """
                {"class_name": "Normalization", "config": {"name": "n", "mean": [[1.0], [2.0, 3.0]],
                 "variance": [[1.0], [1.0]]}}""")).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("mean").hasMessageContaining("nested lists of numbers of one shape");
        assertThatThrownBy(() -> read(false, """
                {"class_name": "Rescaling", "config": {"name": "r", "scale": "big"}}"""))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("scale");
        assertThatThrownBy(() -> read(false, """
                {"class_name": "Normalization", "config": {"name": "n", "axis": [-1], "mean": null, "variance": null,
                 "sparse": true}}""")).isInstanceOf(KerasFileException.class).hasMessageContaining("sparse");
    }

    @Test
    void adaptedStatisticsSaveAsKerasVariablesAndLoadBackBitForBit() throws IOException {
        Seeds.set(37);
        Random r = new Random(37);
        Normalization norm = new Normalization().adapt(GradCheck.uniform(r, -2, 8, 9, 5, 3));
        Sequential m = Sequential.of(Input.shape(5, 3), new Rescaling(0.5, 0.25), norm,
                new Normalization().axisNone().invert(true).meanAndVariance(1, 4), new LSTM(4), new Dense(2));
        Path out = tmp.resolve("pre.keras");
        Models.save(m, out);
        String config = new String(Archives.bytes(out, "config.json"), StandardCharsets.UTF_8);
        assertThat(config).contains("\"axis\": [-1], \"invert\": false, \"mean\": null, \"variance\": null")
                .contains("\"axis\": [], \"invert\": true, \"mean\": 1.0, \"variance\": 4.0")
                .contains("\"scale\": 0.5, \"offset\": 0.25");
        Path weights = tmp.resolve("model.weights.h5");
        Files.write(weights, Archives.bytes(out, "model.weights.h5"));
        try (HdfFile h5 = new HdfFile(weights)) {
            Dataset count = h5.getDatasetByPath("layers/normalization/vars/2");
            assertThat(count.isScalar()).isTrue();
            assertThat(count.getJavaType()).as("count is Keras's int64 variable").isIn(long.class, Long.class);
            assertThat(h5.getDatasetByPath("layers/normalization/vars/0").getDimensions()).containsExactly(3);
        }
        KerasModel back = Models.load(out);
        Tensor x = GradCheck.uniform(r, -2, 8, 2, 5, 3);
        assertThat(back.predict(x).toArray()).as("predictions after save and load, bit for bit")
                .isEqualTo(m.predict(x).toArray());
        Normalization loaded = (Normalization) back.sequential().layers().get(1);
        assertThat(loaded.mean().toArray()).isEqualTo(norm.mean().toArray());
        assertThat(loaded.variance().toArray()).isEqualTo(norm.variance().toArray());
    }
}
