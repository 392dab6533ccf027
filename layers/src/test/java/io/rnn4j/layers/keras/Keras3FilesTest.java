package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Activation;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.model.Sequential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.io.TempDir;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Keras 3 {@code .keras} fixtures: each loads with the layers and parameter count its config
 * gives (counted by hand from the README's dataset shapes), and reproduces its {@code y_ref.npy}
 * — a float64 reference of Keras's formulas, not Keras itself — to atol 1e-4 + rtol 1e-4, as the
 * README asks (the BatchNormalization one in its inference form, from the moving statistics).
 */
class Keras3FilesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "keras3-emg-gru-stacked/gru_model.keras, 3.9.2, GRU GRU Dense, 5811",
        "keras3-emg-reshape-lstm/model.keras, 3.9.2, Reshape LSTM Dense Dense, 2020",
        "keras3-sqli-lstm-v3.1/rnn_model.keras, 3.1.1, LSTM Dense, 16961",
        "keras3-har-lstm-stacked-renamed/lstm_model.keras, 3.10.0, LSTM Dropout LSTM Dense Dense, 209350",
        "keras3-har-gru-stacked/GRU_model.keras, 3.8.0, GRU Dropout GRU Dropout Dense Dense, 104774",
        "keras3-fakenews-embedding-simplernn/simple_rnn_model.keras, 3.3.3, Embedding SimpleRNN Dense, 322113",
        "keras3-har-bilstm-batchnorm/bidirectional_model.keras, 3.8.0, "
                + "Bidirectional BatchNormalization Bidirectional BatchNormalization Dense Dropout Dense, 337126",
        "keras3-format-tfkeras2.15-bigru-winpaths/bidir_gru_model.keras, 2.15.0, "
                + "Embedding Dropout Bidirectional Dropout Dense, 203270"})
    void loadsAndMatchesTheReference(String file, String version, String classes, long params) throws IOException {
        KerasModel m = Models.load(Fixtures.file(file));
        assertThat(m.kerasVersion()).contains(version);
        assertThat(m.layers()).extracting(Layer::className).containsExactly(classes.split(" "));
        assertThat(m.countParams()).isEqualTo(params);
        String dir = file.substring(0, file.indexOf('/') + 1);
        Tensor x = Npy.read(Fixtures.file(dir + "x.npy")).tensor();
        Npy.Array ref = Npy.read(Fixtures.file(dir + "y_ref.npy"));
        float[] y = m.predict(x).toArray();
        assertThat(y).hasSize(ref.values().length);
        for (int i = 0; i < y.length; i++) {
            double want = ref.values()[i];
            assertThat(Math.abs(y[i] - want)).as("%s output %d: rnn4j %s, reference %s (bar 1e-4 + 1e-4·|ref|)", file,
                    i, y[i], want).isLessThanOrEqualTo(1e-4 + 1e-4 * Math.abs(want));
        }
    }

    @Test
    void renamedLayersAreFoundByKeras3StorePaths() throws IOException {
        // config names lstm_2 / lstm_3 / dense_2 / dense_3 are stored as layers/lstm, lstm_1, dense, dense_1.
        KerasModel m = Models.load(Fixtures.file("keras3-har-lstm-stacked-renamed/lstm_model.keras"));
        assertThat(m.layers()).extracting(Layer::name).containsExactly("lstm_2", "dropout_1", "lstm_3", "dense_2",
                "dense_3");
    }

    @Test
    void jsonPlusWeightsH5AndWeightsIntoAJavaModelGiveTheSameBits(@TempDir Path tmp) throws IOException {
        Path keras = Fixtures.file("keras3-emg-gru-stacked/gru_model.keras");
        Path json = tmp.resolve("config.json");
        Path weights = tmp.resolve("model.weights.h5");
        try (ZipFile z = new ZipFile(keras.toFile())) {
            Files.write(json, z.getInputStream(z.getEntry("config.json")).readAllBytes());
            Files.write(weights, z.getInputStream(z.getEntry("model.weights.h5")).readAllBytes());
        }
        Tensor x = Npy.read(Fixtures.file("keras3-emg-gru-stacked/x.npy")).tensor();
        float[] want = Models.load(keras).predict(x).toArray();
        assertThat(Models.load(json, weights).predict(x).toArray()).isEqualTo(want);
        Sequential java = Sequential.of(Input.shape(4, 1), new GRU(32).returnSequences(true), new GRU(16),
                new Dense(3, "softmax"));
        Models.loadWeights(java, weights);
        assertThat(java.predict(x).toArray()).as("a .weights.h5 into a model built in Java").isEqualTo(want);
        Sequential java2 = Sequential.of(Input.shape(4, 1), new GRU(32).returnSequences(true), new GRU(16),
                new Dense(3, "softmax"));
        Models.loadWeights(java2, keras);
        assertThat(java2.predict(x).toArray()).as("the weights of a .keras into a model built in Java").isEqualTo(want);
    }

    @Test
    void hardSigmoidIsToldApartByTheKerasVersion(@TempDir Path tmp) throws IOException {
        Path src = Fixtures.file("keras3-emg-gru-stacked/gru_model.keras");
        java.util.function.UnaryOperator<String> hard = s -> s.replace("\"recurrent_activation\": \"sigmoid\"",
                "\"recurrent_activation\": \"hard_sigmoid\"");
        KerasModel k3 = Models.load(Archives.copy(src, tmp.resolve("k3.keras"), java.util.Map.of("config.json", hard)));
        assertThat(((GRU) k3.layer("gru")).recurrentActivation()).isEqualTo(Activation.HARD_SIGMOID);
        KerasModel k2 = Models.load(Archives.copy(src, tmp.resolve("k2.keras"), java.util.Map.of("config.json", hard,
                "metadata.json", s -> s.replace("3.9.2", "2.15.0"))));
        assertThat(((GRU) k2.layer("gru")).recurrentActivation()).isEqualTo(Activation.HARD_SIGMOID_KERAS2);
        KerasModel h5 = Models.load(Fixtures.file("dl4j-simple-flatten-lstm/simple_flatten_lstm_tf_keras_2_model.h5"));
        assertThat(((io.rnn4j.layers.LSTM) h5.layer("lstm_1")).recurrentActivation())
                .isEqualTo(Activation.HARD_SIGMOID_KERAS2);
    }

    @Test
    void batchNormalizationLoadsItsFourVariablesInKerasOrder() throws IOException {
        KerasModel m = Models.load(Fixtures.file("keras3-har-bilstm-batchnorm/bidirectional_model.keras"));
        io.rnn4j.layers.BatchNormalization bn = (io.rnn4j.layers.BatchNormalization) m.layer("batch_normalization");
        assertThat(bn.weights()).extracting(w -> w.name()).containsExactly("gamma", "beta", "moving_mean",
                "moving_variance");
        assertThat(bn.weights()).extracting(w -> w.trainable()).containsExactly(true, true, false, false);
        assertThat(bn.momentum()).isEqualTo(0.99);
        assertThat(bn.epsilon()).isEqualTo(0.001);
        // moving_variance is a variance: the file's values are positive (a swapped order would show means here).
        for (float v : bn.weights().get(3).value().toArray()) {
            assertThat(v).isPositive();
        }
        assertThat(m.sequential().summary()).contains("Trainable params: 336,358").contains(
                "Non-trainable params: 768");
    }
}
