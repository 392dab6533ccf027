package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Activation;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.metrics.Metric;
import io.rnn4j.layers.metrics.Metrics;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Adam;
import io.rnn4j.layers.optimizers.Optimizers;
import io.rnn4j.layers.optimizers.RMSprop;
import io.rnn4j.layers.optimizers.schedules.ExponentialDecay;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras 3's compile_config: written for a compiled model as Keras's get_compile_config writes it,
 * and compiled back from (Keras's compile_from_config) — the bar: a model saved mid-training, loaded
 * and compiled from its file trains on to the same bits as the model never saved; Keras's own
 * files (shared/keras-fixtures) compile with their Adam, losses and metrics. Seed 61.
 */
class CompileConfigTest {
    @TempDir
    Path tmp;

    @Test
    void aSequentialSavedMidTrainingCompilesFromItsFileAndTrainsOnToTheSameBits() throws IOException {
        Seeds.set(61);
        Sequential m = Sequential.of(Input.shape(Input.NONE, 3), new LSTM(4), new Dense(2));
        m.compile(Optimizers.adam(0.02).amsgrad(true).clipnorm(1.0), Losses.huber(0.5), Metrics.meanAbsoluteError(),
                Metrics.topKCategoricalAccuracy(1));
        Tensor x = TestTensors.gaussian(1, 8, 5, 3);
        Tensor y = TestTensors.gaussian(2, 8, 2);
        m.fit(x, y, Fit.defaults().batchSize(4).epochs(2).shuffle(false).verbose(0));
        Path file = tmp.resolve("mid.keras");
        Models.save(m, file);
        String config = SaveTest.entry(file, "config.json");
        assertThat(config).contains("\"compile_config\": {\"optimizer\": {\"module\": \"keras.optimizers\", "
                + "\"class_name\": \"Adam\", \"config\": {\"name\": \"adam\", \"learning_rate\": 0.019999999552965164")
                .contains("\"amsgrad\": true").contains("\"clipnorm\": 1.0")
                .contains("\"loss\": {\"module\": \"keras.losses\", \"class_name\": \"Huber\"")
                .contains("\"delta\": 0.5").contains("\"metrics\": [\"mae\", {\"module\": \"keras.metrics\", "
                        + "\"class_name\": \"TopKCategoricalAccuracy\"");

        KerasModel back = Models.load(file);
        back.compileFromConfig();
        Sequential s = back.sequential();
        assertThat(s.optimizer()).isInstanceOf(Adam.class);
        assertThat(s.optimizer().iterations()).isEqualTo(4);
        assertThat(s.loss().name()).isEqualTo("huber_loss");
        assertThat(s.metrics()).extracting(Metric::name).containsExactly("mae", "top_k_categorical_accuracy");
        m.fit(x, y, Fit.defaults().batchSize(4).epochs(1).shuffle(false).verbose(0));
        s.fit(x, y, Fit.defaults().batchSize(4).epochs(1).shuffle(false).verbose(0));
        for (int i = 0; i < m.weights().size(); i++) {
            assertThat(s.getWeights().get(i).toArray()).as("weight %d after one more epoch, seed 61", i)
                    .isEqualTo(m.getWeights().get(i).toArray());
        }
    }

    @Test
    void aFunctionalModelKeepsEachOutputsLossWeightAndMetricsAndItsSchedule() throws IOException {
        Seeds.set(62);
        var in = Input.shape(4, 3);
        var h = new GRU(5).apply(in);
        var a = new Dense(3, Activation.SOFTMAX).named("kind").apply(h);
        var b = new Dense(1).named("size").apply(h);
        Model m = Model.of(List.of(in), List.of(a, b));
        m.compile(Optimizers.rmsprop(new ExponentialDecay(0.01, 10, 0.9, true)).momentum(0.5),
                List.of(Losses.sparseCategoricalCrossentropy(), Losses.meanSquaredError()), List.of(1.0, 0.25),
                List.of(List.of(Metrics.accuracy()), List.of(Metrics.meanAbsoluteError())));
        Path file = tmp.resolve("two.keras");
        Models.save(m, file);
        KerasModel back = Models.load(file);
        back.compileFromConfig();
        Model f = back.functional();
        assertThat(f.optimizer()).isInstanceOf(RMSprop.class);
        assertThat(f.optimizer().schedule()).hasToString(new ExponentialDecay(0.01, 10, 0.9, true).toString());
        assertThat(f.losses()).extracting(l -> l.name()).containsExactly("sparse_categorical_crossentropy",
                "mean_squared_error");
        assertThat(f.lossWeights()).containsExactly(1.0, 0.25);
        assertThat(f.metricsPerOutput()).extracting(l -> l.stream().map(Metric::name).toList())
                .containsExactly(List.of("accuracy"), List.of("mae"));
    }

    @Test
    void kerasFilesCompileWithTheirOwnSetup() throws IOException {
        KerasModel gru = Models.load(Fixtures.file("keras3-emg-gru-stacked/gru_model.keras"));
        gru.compileFromConfig();
        assertThat(gru.sequential().optimizer()).isInstanceOf(Adam.class);
        assertThat(gru.sequential().optimizer().learningRate()).isEqualTo(0.0010000000474974513, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(gru.sequential().loss().name()).isEqualTo("mean_squared_error");
        assertThat(gru.sequential().metrics()).extracting(Metric::name).containsExactly("accuracy");

        // no optimizer in the config: Keras's compile default, rmsprop
        KerasModel news = Models.load(Fixtures.file("keras3-fakenews-embedding-simplernn/simple_rnn_model.keras"));
        news.compileFromConfig();
        assertThat(news.sequential().optimizer()).isInstanceOf(RMSprop.class);
        assertThat(news.sequential().loss().name()).isEqualTo("binary_crossentropy");

        for (String h5 : List.of("dl4j-simple-rnn/simple_rnn_tf_keras_2_model.h5",
                "dl4j-simple-flatten-lstm/simple_flatten_lstm_tf_keras_2_model.h5")) {
            KerasModel k2 = Models.load(Fixtures.file(h5));
            k2.compileFromConfig();
            assertThat(k2.sequential().loss().name()).as(h5).isEqualTo("mean_squared_error");
        }

        KerasModel custom = Models.load(Fixtures.file("keras3-format-tfkeras2.15-bigru-winpaths/bidir_gru_model.keras"));
        assertThatThrownBy(custom::compileFromConfig).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("loss function 'weighted_binary_crossentropy' is not one rnn4j has");
        assertThat(custom.isSequential() ? custom.sequential().optimizer() : custom.functional().optimizer()).isNull();
    }

    @Test
    void aScheduleOfOnesOwnLeavesTheCompileConfigOutAndAFileWithoutOneSaysSo() throws IOException {
        Sequential m = Sequential.of(Input.shape(2), new Dense(1));
        m.compile(Optimizers.sgd(step -> 0.1 / (1 + step)), Losses.meanSquaredError());
        Path file = tmp.resolve("own.keras");
        Models.save(m, file);
        assertThat(SaveTest.entry(file, "config.json")).doesNotContain("compile_config");
        KerasModel back = Models.load(file);
        assertThat(back.trainingConfig()).isEmpty();
        assertThatThrownBy(back::compileFromConfig).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no training setup");
    }

    @Test
    void weightedMetricsRoundTrip() throws IOException {
        Sequential m = Sequential.of(Input.shape(2), new Dense(1));
        m.compile(Optimizers.adam(), Losses.meanSquaredError(), List.of(Metrics.meanAbsoluteError()),
                List.of(Metrics.meanAbsoluteError()));
        Path file = tmp.resolve("weighted.keras");
        Models.save(m, file);
        assertThat(SaveTest.entry(file, "config.json")).contains("\"weighted_metrics\": [\"mae\"]");
        KerasModel back = Models.load(file);
        back.compileFromConfig();
        assertThat(back.sequential().weightedMetrics()).extracting(Metric::name).containsExactly("mae");
        assertThat(back.sequential().metrics()).extracting(Metric::name).containsExactly("mae");
    }

    @Test
    void loadWithCompileIsKerasLoadModelCompiled() throws IOException {
        Seeds.set(67);
        Sequential m = Sequential.of(Input.shape(4, 3), new LSTM(3), new Dense(1));
        m.compile(Optimizers.rmsprop(0.01), Losses.meanSquaredError(), Metrics.meanAbsoluteError());
        Tensor x = TestTensors.gaussian(3, 6, 4, 3);
        Tensor y = TestTensors.gaussian(4, 6, 1);
        m.fit(x, y, Fit.defaults().batchSize(3).epochs(1).shuffle(false).verbose(0));
        Path file = tmp.resolve("compiled.keras");
        Models.save(m, file);
        Sequential s = Models.load(file, true).sequential();
        assertThat(s.optimizer()).as("compiled from the file, as load_model(compile=True)").isNotNull();
        assertThat(s.optimizer().iterations()).as("with its optimizer state").isEqualTo(2);
        assertThat(s.metrics()).extracting(Metric::name).containsExactly("mae");
        assertThat(Models.load(file, false).sequential().optimizer()).as("compile=False: uncompiled").isNull();
        KerasModel loaded = Models.load(file, true);
        assertThat(loaded.evaluate(x, y).asMap()).as("evaluate on the loaded model, as Keras's")
                .isEqualTo(s.evaluate(x, y).asMap());
        assertThat(loaded.fit(x, y, Fit.defaults().batchSize(3).epochs(1).shuffle(false).verbose(0)).history())
                .containsKeys("loss", "mae");

        Sequential plain = Sequential.of(Input.shape(4, 3), new Dense(1));
        Path bare = tmp.resolve("bare.keras");
        Models.save(plain, bare);
        assertThat(Models.load(bare, true).sequential().optimizer()).as("no training setup: loads uncompiled, "
                + "as Keras").isNull();
    }
}
