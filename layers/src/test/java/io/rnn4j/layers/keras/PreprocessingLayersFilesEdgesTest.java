package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.WritableGroup;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Normalization;
import io.rnn4j.layers.Rescaling;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Sequential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Normalization and Rescaling entries and files at the edges of Keras 3 (keras-team/keras
 * 3422977a: keras/src/layers/preprocessing/normalization.py, rescaling.py,
 * keras/src/saving/serialization_lib.py) and tf.keras 2 (keras-team/tf-keras 6add81a9:
 * tf_keras/layers/preprocessing/normalization.py), each test naming Keras's source: a missing axis
 * is -1, Rescaling's {@code __tensor__} form, messages naming the entry's layer, a tf.keras 2
 * weights file's statistics and int64 count, integer numbers, None steps in build_config. No
 * random numbers. Not reproduced: a tf.keras 2 count past 2^24 saves back rounded (it is held as a
 * float and enters no computation), and tf.keras 2 entries whose mean and variance broadcast apart
 * (a scalar mean with a per-feature variance) are refused, as Keras 3 refuses them.
 */
class PreprocessingLayersFilesEdgesTest {
    @TempDir
    Path tmp;

    private static Layer read(boolean keras2, String json) {
        return new LayerReader(keras2).read(ModelReader.parse("test", "layer", json)).layer();
    }

    private static float[] run(Layer l, Tensor x) {
        if (!l.isBuilt()) {
            l.build(x.shape().tail());
        }
        return l.call(Variable.constant(x), null, CallContext.inference()).value().toArray();
    }

    /**
     * Keras builds a layer with {@code cls(**config)} (normalization.py:111-112, axis=-1
     * by default): an entry without "axis" keeps one mean per feature, which is not Keras's
     * axis=None (one mean for everything) that a null axis gives.
     */
    @Test
    void anEntryWithoutAxisTakesKerasDefaultMinusOne() {
        Normalization n = (Normalization) read(false, """
                {"class_name": "Normalization", "config": {"name": "n", "mean": null, "variance": null}}""");
        assertThat(n.axis()).as("Normalization.__init__(axis=-1) when the config has no axis (normalization.py:112)")
                .containsExactly(-1);
        assertThatCode(() -> read(false, """
                {"class_name": "Normalization", "config": {"name": "n", "mean": [1.0, 2.0], "variance": [4.0, 0.25]}}"""))
                .as("a per-feature mean without axis is valid for Keras's default axis -1").doesNotThrowAnyException();
    }

    /** The tf.keras 2 model of {@link #tfKeras2WeightsFile}: Input (None, 3, 2), an adapted Normalization. */
    private static final String TF2_MODEL = """
            {"class_name": "Sequential", "config": {"name": "sequential", "layers": [
             {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 3, 2], "dtype": "float32",
              "sparse": false, "ragged": false, "name": "input_1"}},
             {"class_name": "Normalization", "config": {"name": "normalization", "trainable": true,
              "dtype": "float32", "axis": [-1], "invert": false, "mean": null, "variance": null}}]},
             "keras_version": "2.15.0", "backend": "tensorflow"}""";

    /**
     * tf.keras 2's save_weights of that model: layer_names at the root, the layer's weight_names
     * normalization/mean:0, variance:0, count:0 (tf_keras normalization.py build: add_weight "mean",
     * "variance", and "count" of dtype int64, which update_state sets to the rows seen).
     */
    private Path tfKeras2WeightsFile(long count) {
        Path weights = tmp.resolve("weights.h5");
        try (WritableHdfFile h5 = HdfFile.write(weights)) {
            h5.putAttribute("layer_names", new String[] {"normalization"});
            h5.putAttribute("keras_version", "2.15.0");
            h5.putAttribute("backend", "tensorflow");
            WritableGroup g = h5.putGroup("normalization");
            g.putAttribute("weight_names", new String[] {"normalization/mean:0", "normalization/variance:0",
                "normalization/count:0"});
            WritableGroup in = g.putGroup("normalization");
            in.putDataset("mean:0", new float[] {1f, 2f});
            in.putDataset("variance:0", new float[] {4f, 0.25f});
            in.putDataset("count:0", count);
        }
        return weights;
    }

    /**
     * Keras 3's get_config serializes a backend tensor scale or offset as
     * {"class_name": "__tensor__", "config": {"value", "dtype"}} (serialization_lib.py:219-226) and
     * Rescaling.from_config deserializes it (rescaling.py:69-78, serialization_lib.py:651), as it
     * does the "__numpy__" form.
     */
    @Test
    void aRescalingScaleSerializedAsATensorLoads() {
        assertThatCode(() -> {
            Rescaling r = (Rescaling) read(false, """
                    {"module": "keras.layers", "class_name": "Rescaling", "config": {"name": "r", "trainable": true,
                     "dtype": "float32", "scale": {"class_name": "__tensor__", "config": {"value": [0.5, 2.0],
                     "dtype": "float32"}}, "offset": {"class_name": "__tensor__", "config": {"value": 1.0,
                     "dtype": "float32"}}}, "registered_name": null}""");
            assertThat(r.scale()).containsExactly(0.5f, 2f);
            assertThat(r.offset()).containsExactly(1f);
        }).as("Rescaling(scale=<tensor [0.5, 2.0]>, offset=<tensor 1.0>) as Keras 3 saves it").doesNotThrowAnyException();
    }

    /**
     * A refused mean or variance is reported under the entry's name only, never under a name drawn
     * for a layer the file does not have ("normalization_11") (Keras: "When setting values
     * directly, `mean` and `variance` must have the same shape", normalization.py:139-145).
     */
    @Test
    void aRefusedMeanNamesTheEntrysLayerOnly() {
        assertThatThrownBy(() -> read(false, """
                {"class_name": "Normalization", "config": {"name": "n", "axis": [-1], "mean": [1.0, 2.0],
                 "variance": [1.0, 2.0, 3.0]}}""")).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("Layer 'n' (Normalization)").hasMessageContaining("same shape")
                .hasMessageNotContaining("normalization_");
    }

    /**
     * tf.keras 2's weights file for an adapted Normalization: its three datasets by weight_names,
     * count an int64 scalar, and the model normalizes with the file's mean and variance.
     */
    @Test
    void aTfKeras2WeightsFileLoadsItsStatistics() throws IOException {
        KerasModel k = Models.load(Files.writeString(tmp.resolve("model.json"), TF2_MODEL),
                tfKeras2WeightsFile(6));
        Normalization n = (Normalization) k.layer("normalization");
        assertThat(n.mean().toArray()).containsExactly(1f, 2f);
        assertThat(n.weights().get(2).value().toArray()).as("count").containsExactly(6f);
        float[] y = k.predict(Tensor.of(new float[] {3, 3, 1, 1, -1, 2.5f}, 1, 3, 2)).toArray();
        assertThat(y).containsExactly(1f, 2f, 0f, -2f, -1f, 1f);
    }

    /** Keras writes numbers as Python gives them: Rescaling(scale=2, offset=-1) and Normalization(mean=3, variance=2) are ints. */
    @Test
    void integerNumbersInEntriesLoad() {
        Rescaling r = (Rescaling) read(false, """
                {"class_name": "Rescaling", "config": {"name": "r", "scale": 2, "offset": -1}}""");
        assertThat(r.scale()).containsExactly(2f);
        assertThat(r.offset()).containsExactly(-1f);
        Normalization n = (Normalization) read(false, """
                {"class_name": "Normalization", "config": {"name": "n", "axis": [], "mean": 3, "variance": 2}}""");
        assertThat(run(n, Tensor.of(new float[] {1, 2, 3}, 3, 1))).containsExactly(-1.4142135f, -0.70710677f, 0f);
    }

    /** Keras's build_config of an adapted layer in a model of None steps keeps the None; its vars are float32 (3,). */
    @Test
    void aSavedLayerOfNoneStepsHasKerasBuildConfig() throws IOException {
        Normalization n = new Normalization();
        Sequential m = Sequential.of(Input.shape(Input.NONE, 3), n);
        n.adapt(Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 2, 2, 3));
        Path out = tmp.resolve("none.keras");
        Models.save(m, out);
        assertThat(SaveTest.entry(out, "config.json")).contains("\"build_config\": {\"input_shape\": [null, null, 3]}");
        Path w = tmp.resolve("model.weights.h5");
        Files.write(w, Archives.bytes(out, "model.weights.h5"));
        try (HdfFile h5 = new HdfFile(w)) {
            Dataset mean = h5.getDatasetByPath("layers/normalization/vars/0");
            assertThat(mean.getJavaType()).isIn(float.class, Float.class);
            assertThat(mean.getDimensions()).containsExactly(3);
        }
        assertThat(Models.load(out).predict(Tensor.of(new float[] {4, 5, 6}, 1, 1, 3)).toArray())
                .as("mean 5.5, 6.5, 7.5 and variance 11.25 each: (x - m) / sqrt(11.25) in float32")
                .containsExactly(-1.5f / (float) Math.sqrt(11.25f), -1.5f / (float) Math.sqrt(11.25f),
                        -1.5f / (float) Math.sqrt(11.25f));
        assertThat(n.mean().shape()).isEqualTo(Shape.of(3));
    }
}
