package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;

import io.jhdf.HdfFile;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.SimpleRNN;
import io.rnn4j.layers.model.Sequential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keras 2 / tf.keras files from shared/keras-fixtures, loaded from the files Keras wrote: the dl4j
 * models reproduce Keras's {@code /predictions} to 1e-5, the Theano-era stacked LSTM its 283
 * predictions to 1e-4, frugally-deep's functional GRU (initial_state from a second input) its
 * outputs to 1e-5; the tf.keras files without outputs load with the structure their configs give.
 */
class Keras2FilesTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"simple_rnn", "simple_flatten_rnn", "simple_flatten_lstm"})
    void dl4jModelsReproduceKerasPredictions(String name) throws IOException {
        String dir = "dl4j-" + name.replace('_', '-') + "/";
        String prefix = dir + name + "_tf_keras_2_";
        Tensor x;
        Tensor expected;
        try (HdfFile io = new HdfFile(Fixtures.file(prefix + "inputs_and_outputs.h5"))) {
            var inputs = (io.jhdf.api.Group) io.getChild("inputs");
            x = H5.tensor("io", (io.jhdf.api.Dataset) inputs.getChildren().values().iterator().next());
            // /predictions holds model.predict; /outputs are the training targets.
            expected = H5.tensor("io", io.getDatasetByPath("predictions/dense_1"));
        }
        KerasModel full = Models.load(Fixtures.file(prefix + "model.h5"));
        assertClose(name + " model.h5", full.predict(x), expected, 1e-5);
        assertThat(full.kerasVersion()).contains("2.1.3");
        assertThat(full.trainingConfig()).hasValueSatisfying(t -> assertThat(t).contains("\"loss\": \"mse\""));
        KerasModel split = Models.load(Fixtures.file(prefix + "config.json"), Fixtures.file(prefix + "weights.h5"));
        assertClose(name + " config.json + weights.h5", split.predict(x), expected, 1e-5);
    }

    @Test
    void saveWeightsFileLoadsIntoAModelBuiltInJava() throws IOException {
        String prefix = "dl4j-simple-rnn/simple_rnn_tf_keras_2_";
        Sequential m = Sequential.of(Input.shape(1, 1), new SimpleRNN(50), new Dense(1));
        Models.loadWeights(m, Fixtures.file(prefix + "weights.h5"));
        try (HdfFile io = new HdfFile(Fixtures.file(prefix + "inputs_and_outputs.h5"))) {
            Tensor x = H5.tensor("io", io.getDatasetByPath("inputs/simple_rnn_1_input"));
            assertClose("save_weights into a Java model", m.predict(x),
                    H5.tensor("io", io.getDatasetByPath("predictions/dense_1")), 1e-5);
        }
    }

    @Test
    void theanoStackedLstmReproducesAll283Predictions() throws IOException {
        String dir = "dl4j-stacked-lstm-theano/";
        KerasModel m = Models.load(Fixtures.file(dir + "lstm_th_keras_2_config.json"),
                Fixtures.file(dir + "lstm_th_keras_2_weights.h5"));
        assertThat(m.layers()).extracting(Layer::className).containsExactly("LSTM", "LSTM", "Dense");
        int n = 283;
        float[] x = new float[n * 4 * 12];
        for (int i = 0; i < n; i++) {
            List<String> rows = Files.readAllLines(Fixtures.file(dir + "data/sequences/" + i + ".csv"));
            assertThat(rows).as("sequence %d", i).hasSize(4);
            for (int t = 0; t < 4; t++) {
                String[] cols = rows.get(t).split(";");
                for (int f = 0; f < 12; f++) { // the 13th column is not a feature
                    x[(i * 4 + t) * 12 + f] = Float.parseFloat(cols[f].trim());
                }
            }
        }
        Npy.Array want = Npy.read(Fixtures.file(dir + "predictions.npy"));
        assertThat(want.shape()).containsExactly(n);
        Tensor y = m.predict(Tensor.of(x, n, 4, 12));
        assertClose("stacked LSTM predictions", y, Tensor.of(want.tensor().toArray(), n, 1), 1e-4);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"temp_stateless.h5", "temp_stateful.h5"})
    void frugallyDeepGruWithInitialStateFromSecondInput(String file) throws IOException {
        KerasModel m = Models.load(Fixtures.file("frugally-deep-gru-toy/" + file));
        assertThat(m.isSequential()).isFalse();
        assertThat(m.inputCount()).isEqualTo(2);
        assertThat(m.layers()).extracting(Layer::className).containsExactly("InputLayer", "InputLayer", "GRU");
        assertThat(m.countParams()).isEqualTo(6);
        List<Tensor> y = m.predict(List.of(Tensor.of(new float[] {1, 0, 0}, 1, 3, 1), Tensor.of(new float[] {10}, 1, 1)));
        // temp_rnn_results.txt: both models, first call, TF 2.0 and 2.1.
        assertClose(file, y.get(0), Tensor.of(new float[] {-7.676248f, -7.5144324f, -7.3429837f}, 1, 3, 1), 1e-5);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "rnn_1, Bidirectional Activation, 132",
        "rnn_5, Bidirectional Activation, 528",
        "rnn_28, LSTM Activation LSTM Activation, 440",
        "rnn_29, Bidirectional Activation Bidirectional Activation, 1072"})
    void tfKerasFilesWithoutOutputsLoadWithTheirStructure(String name, String classes, long params)
            throws IOException {
        // Counts from the configs: SimpleRNN(6) on 4 features 4·6+6·6+6 = 66 per direction; LSTM(6) on 4:
        // 4·(4·6+6·6+6) = 264; LSTM(4) on 6: 176, on 12 (after a concat): 272.
        KerasModel m = Models.load(Fixtures.file("dl4j-tfkeras-rnn-nooutput/" + name + ".h5"));
        assertThat(m.isSequential()).as("a functional chain loads as a functional Model, as in Keras").isFalse();
        assertThat(m.layers()).extracting(Layer::className).containsExactly(("InputLayer " + classes).split(" "));
        assertThat(m.countParams()).isEqualTo(params);
        assertThat(m.inputShape(0).dims()).containsExactly(3, 4);
        Tensor y = m.predict(Tensor.zeros(2, 3, 4));
        assertThat(y.shape().dim(0)).isEqualTo(2);
        assertThat(sumOfDatasets(name)).as("every weight in the file is in the model").isEqualTo(params);
    }

    /** The number of weight values in the file's model_weights, counted straight from the HDF5. */
    private static long sumOfDatasets(String name) {
        try (HdfFile f = new HdfFile(Fixtures.file("dl4j-tfkeras-rnn-nooutput/" + name + ".h5"))) {
            List<Long> sizes = new ArrayList<>();
            walk((io.jhdf.api.Group) f.getChild("model_weights"), sizes);
            return sizes.stream().mapToLong(Long::longValue).sum();
        }
    }

    private static void walk(io.jhdf.api.Group g, List<Long> sizes) {
        for (io.jhdf.api.Node n : g.getChildren().values()) {
            if (n instanceof io.jhdf.api.Group c) {
                walk(c, sizes);
            } else {
                sizes.add(((io.jhdf.api.Dataset) n).getSize());
            }
        }
    }

    static void assertClose(String what, Tensor got, Tensor want, double tolerance) {
        assertThat(got.shape()).as("%s shape", what).isEqualTo(want.shape());
        float[] g = got.toArray();
        float[] w = want.toArray();
        double worst = 0;
        int at = 0;
        for (int i = 0; i < g.length; i++) {
            double d = Math.abs((double) g[i] - w[i]);
            if (!(d <= worst)) {
                worst = d;
                at = i;
            }
        }
        assertThat(worst).as("%s: worst |rnn4j - Keras| = %s at element %d (got %s, Keras %s), bar %s", what, worst,
                at, g[at], w[at], tolerance).isLessThanOrEqualTo(tolerance);
    }
}
