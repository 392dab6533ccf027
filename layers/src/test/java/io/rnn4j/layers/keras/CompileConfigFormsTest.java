package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Activation;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.metrics.Metric;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forms Keras writes that compileFromConfig must read (functions, class names, tf.keras 2's
 * nested MeanMetricWrapper metrics and flat per-model metric lists, metrics for some outputs), and
 * edges of the summary's optimizer count, intermediate inputs and loaded names; each test states
 * what Keras does.
 */
class CompileConfigFormsTest {
    @TempDir
    Path tmp;

    /** A copy of a .keras file whose compile_config is {@code json}. */
    private Path withCompileConfig(Path src, String json, String name) throws IOException {
        return Archives.copy(src, tmp.resolve(name), Map.of("config.json", c -> {
            int at = c.indexOf("\"compile_config\": ") + "\"compile_config\": ".length();
            int depth = 0;
            int end = at;
            for (; end < c.length(); end++) {
                char ch = c.charAt(end);
                if (ch == '{') {
                    depth++;
                } else if (ch == '}' && --depth == 0) {
                    break;
                }
            }
            return c.substring(0, at) + json + c.substring(end + 1);
        }));
    }

    /** A two-output model (outputs "kind" and "size") saved compiled with Adam. */
    private Path twoOutputs() throws IOException {
        var in = Input.shape(4, 3);
        var h = new GRU(5).apply(in);
        var a = new Dense(3, Activation.SOFTMAX).named("kind").apply(h);
        var b = new Dense(1).named("size").apply(h);
        Model m = Model.of(List.of(in), List.of(a, b));
        m.compile(Optimizers.adam(), List.of(Losses.sparseCategoricalCrossentropy(), Losses.meanSquaredError()), null,
                List.of(List.of(), List.of()));
        Path file = tmp.resolve("two.keras");
        Models.save(m, file);
        return file;
    }

    private static final String ADAM = "{\"module\": \"keras.optimizers\", \"class_name\": \"Adam\", \"config\": "
            + "{\"name\": \"adam\", \"learning_rate\": 0.0010000000474974513}, \"registered_name\": null}";

    @Test
    void aLossGivenAsAKerasFunctionCompiles() throws IOException {
        // Keras 3 writes compile(loss=keras.losses.mean_squared_error) this way
        Path file = withCompileConfig(Fixtures.file("keras3-emg-gru-stacked/gru_model.keras"), "{\"optimizer\": "
                + ADAM + ", \"loss\": {\"module\": \"keras.losses\", \"class_name\": \"function\", \"config\": "
                + "\"mean_squared_error\", \"registered_name\": \"function\"}, \"loss_weights\": null, \"metrics\": "
                + "[{\"module\": \"keras.metrics\", \"class_name\": \"function\", \"config\": \"mean_absolute_error\", "
                + "\"registered_name\": \"function\"}], \"weighted_metrics\": null}", "fn.keras");
        KerasModel k = Models.load(file);
        assertThatCode(k::compileFromConfig).doesNotThrowAnyException();
        assertThat(k.sequential().loss().name()).isEqualTo("mean_squared_error");
    }

    @Test
    void functionsAsKeras3151WritesThemCompile() throws IOException {
        // Keras 3.15.1's get_compile_config() of compile(loss=keras.losses.mean_squared_error,
        // metrics=[keras.metrics.binary_accuracy]): module "builtins", registered_name "function"; its
        // deserialize_keras_object finds the name among its built-in modules
        String fn = "{\"module\": \"builtins\", \"class_name\": \"function\", \"config\": \"%s\", "
                + "\"registered_name\": %s}";
        Path file = withCompileConfig(Fixtures.file("keras3-emg-gru-stacked/gru_model.keras"), "{\"optimizer\": "
                + ADAM + ", \"loss\": " + fn.formatted("mean_squared_error", "\"function\"") + ", \"loss_weights\": "
                + "null, \"metrics\": [" + fn.formatted("binary_accuracy", "\"function\"") + "], \"weighted_metrics\": "
                + "null}", "builtins.keras");
        KerasModel k = Models.load(file);
        assertThatCode(k::compileFromConfig).doesNotThrowAnyException();
        assertThat(k.sequential().loss().name()).isEqualTo("mean_squared_error");
        assertThat(k.sequential().metrics()).extracting(Metric::name).containsExactly("binary_accuracy");
        // Keras refuses a registered_name other than none, the name or "function" for a built-in (a custom one)
        Path custom = withCompileConfig(file, "{\"optimizer\": " + ADAM + ", \"loss\": " + fn.formatted(
                "mean_squared_error", "\"my_package>mean_squared_error\"") + "}", "custom.keras");
        assertThatThrownBy(Models.load(custom)::compileFromConfig).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("loss function 'mean_squared_error' is not one rnn4j has");
    }

    @Test
    void metricsForSomeOutputsOnlyCompile() throws IOException {
        // Keras 3: compile(metrics={"kind": ["accuracy"]}) on a two-output model; "size" has no metric
        Path two = twoOutputs();
        Path file = withCompileConfig(two, "{\"optimizer\": " + ADAM + ", \"loss\": [\"sparse_categorical_crossentropy\", "
                + "\"mse\"], \"loss_weights\": null, \"metrics\": {\"kind\": [\"accuracy\"]}, \"weighted_metrics\": null}",
                "dict.keras");
        KerasModel k = Models.load(file);
        assertThatCode(k::compileFromConfig).doesNotThrowAnyException();
        assertThat(k.functional().metricsPerOutput()).extracting(l -> l.stream().map(Metric::name).toList())
                .containsExactly(List.of("accuracy"), List.of());
        // the list form with a None entry: compile(metrics=[["accuracy"], None])
        Path list = withCompileConfig(two, "{\"optimizer\": " + ADAM + ", \"loss\": [\"sparse_categorical_crossentropy\", "
                + "\"mse\"], \"loss_weights\": null, \"metrics\": [[\"accuracy\"], null], \"weighted_metrics\": null}",
                "list.keras");
        assertThatCode(Models.load(list)::compileFromConfig).doesNotThrowAnyException();
    }

    @Test
    void aTfKeras2TrainingConfigWithMeanMetricWrapperCompiles() throws IOException {
        // tf.keras 2.4-2.15 write training_config metrics as [[{"class_name": "MeanMetricWrapper", ...}]]
        byte[] b = Files.readAllBytes(Fixtures.file("dl4j-simple-rnn/simple_rnn_tf_keras_2_model.h5"));
        String old = "{\"metrics\": null, \"loss\": \"mse\", \"optimizer_config\": {\"class_name\": \"RMSprop\", "
                + "\"config\": {\"epsilon\": 1e-07, \"lr\": 0.0010000000474974513, \"rho\": 0.8999999761581421, "
                + "\"decay\": 0.0}}, \"loss_weights\": null, \"sample_weight_mode\": null}";
        String neu = "{\"loss\":\"mse\",\"metrics\":[[{\"class_name\":\"MeanMetricWrapper\",\"config\":{\"name\":\"mae\","
                + "\"dtype\":\"float32\",\"fn\":\"mean_absolute_error\"}}]],\"optimizer_config\":{\"class_name\":"
                + "\"RMSprop\",\"config\":{\"lr\":0.001}},\"loss_weights\":null}";
        String s = new String(b, StandardCharsets.ISO_8859_1);
        assertThat(s).contains(old);
        s = s.replace(old, neu + " ".repeat(old.length() - neu.length()));
        Path file = tmp.resolve("tf2.h5");
        Files.write(file, s.getBytes(StandardCharsets.ISO_8859_1));
        KerasModel k = Models.load(file);
        assertThat(k.trainingConfig()).get().asString().contains("MeanMetricWrapper");
        assertThatCode(k::compileFromConfig).doesNotThrowAnyException();
        assertThat(k.sequential().metrics()).extracting(Metric::name).containsExactly("mae");
    }

    @Test
    void aKeras2FlatMetricsListAppliesToEveryOutput() throws IOException {
        // Keras 2 (training_config, optimizer_config): metrics=["mae"] on two outputs is mae for each output
        Path file = withCompileConfig(twoOutputs(), "{\"optimizer_config\": {\"class_name\": \"Adam\", \"config\": "
                + "{\"lr\": 0.001}}, \"loss\": \"mse\", \"loss_weights\": null, \"metrics\": [\"mae\"], "
                + "\"sample_weight_mode\": null}", "k2.keras");
        KerasModel k = Models.load(file);
        assertThatCode(k::compileFromConfig).doesNotThrowAnyException();
        assertThat(k.functional().metricsPerOutput()).extracting(l -> l.stream().map(Metric::name).toList())
                .containsExactly(List.of("mae"), List.of("mae"));
    }

    @Test
    void lossClassNamesAsStringsCompile() throws IOException {
        // losses.get("MeanSquaredError") is the class in Keras 2 and 3; tf.keras 2 files hold "loss": "SparseCategoricalCrossentropy"
        Path file = withCompileConfig(Fixtures.file("keras3-emg-gru-stacked/gru_model.keras"), "{\"optimizer\": "
                + ADAM + ", \"loss\": \"MeanSquaredError\", \"loss_weights\": null, \"metrics\": null, "
                + "\"weighted_metrics\": null}", "cls.keras");
        KerasModel k = Models.load(file);
        assertThatCode(k::compileFromConfig).doesNotThrowAnyException();
    }

    @Test
    void twoLoadsOfAnUnnamedKeras2SequentialGetDistinctNames() throws IOException {
        // Keras 2.1 writes a Sequential's config as a bare list (no name); Keras draws a fresh name per load
        KerasModel a = Models.load(Fixtures.file("dl4j-simple-rnn/simple_rnn_tf_keras_2_model.h5"));
        KerasModel b = Models.load(Fixtures.file("dl4j-simple-rnn/simple_rnn_tf_keras_2_model.h5"));
        Sequential fresh = Sequential.of(Input.shape(1, 1), new Dense(1));
        assertThat(List.of(a.sequential().name(), b.sequential().name(), fresh.name())).doesNotHaveDuplicates();
        var in = Input.shape(1, 1);
        assertThatCode(() -> Model.of(in, new io.rnn4j.layers.Add().apply(a.sequential().apply(in),
                b.sequential().apply(in)))).doesNotThrowAnyException();
    }

    @Test
    void anIntermediateInputKeepsTheFixedBatchSize() {
        // Keras 3 clone_graph_nodes: Input(batch_shape=kt_input.shape, ...): a stateful cut keeps its batch size
        var in = Input.batchShape(2, 4, 3);
        SymbolicTensor h = new Dense(3).apply(in);
        SymbolicTensor out = new LSTM(4).stateful(true).apply(h);
        Model cut = Model.of(h, out);
        assertThat(cut.inputs().get(0).fixedBatchSize()).isEqualTo(2);
    }

    @Test
    void theSummaryCountsTheSlotsTheOptimizerWasBuiltWith() {
        Sequential m = Sequential.of(Input.shape(3), new Dense(2), new Dense(1));
        m.compile(Optimizers.adam(), Losses.meanSquaredError());
        m.fit(Tensor.of(new float[6], 2, 3), Tensor.of(new float[2], 2, 1), Fit.defaults().batchSize(2).epochs(1).verbose(0));
        m.layers().get(0).trainable(false);
        // Keras: optimizer.variables is fixed at build: iteration + learning_rate + 2 x (8 + 3) = 24
        assertThat(m.summary()).contains("Optimizer params: 24 (");
    }
}
