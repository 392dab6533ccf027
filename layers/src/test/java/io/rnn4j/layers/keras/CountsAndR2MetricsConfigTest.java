package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Activation;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Masking;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.callbacks.EarlyStopping;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.metrics.Metric;
import io.rnn4j.layers.metrics.Metrics;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The confusion counts, the *AtSensitivity family and R2Score in models: compiled by name (Keras's
 * strings) and as objects, logged under Keras's names after one epoch with the numbers the metrics
 * give on the model's predictions, the mask not read (as Keras's), saved in compile_config as Keras
 * 3 writes it and compiled back from it, a hand-written Keras 3 compile_config read, and what
 * compile refuses (a vector result, a class that needs its target). Seed 109.
 */
class CountsAndR2MetricsConfigTest {
    @TempDir
    Path tmp;

    /** (16, 5, 2) sequences with a binary label each. Seed 109. */
    private static Tensor[] data() {
        Random r = new Random(109);
        float[] x = new float[16 * 10];
        float[] y = new float[16];
        for (int i = 0; i < 16; i++) {
            double s = 0;
            for (int j = 0; j < 10; j++) {
                x[i * 10 + j] = (float) r.nextGaussian();
                s += x[i * 10 + j];
            }
            y[i] = s > 0 ? 1 : 0;
        }
        return new Tensor[] {Tensor.of(x, 16, 5, 2), Tensor.of(y, 16, 1)};
    }

    private static final List<String> NAMES = List.of("true_positives", "false_positives", "TrueNegatives",
            "false_negatives", "sensitivity_at_specificity", "specificity_at_sensitivity", "precision_at_recall",
            "recall_at_precision", "r2_score");

    @Test
    void aModelCompiledByNameAndAsObjectsLogsKerasNamesAfterOneEpoch() {
        Seeds.set(109);
        Tensor[] d = data();
        Sequential m = Sequential.of(Input.shape(5, 2), new GRU(4), new Dense(1, Activation.SIGMOID));
        m.compile(Optimizers.adam(), Losses.binaryCrossentropy(), Metrics.get("true_positives"), Metrics.falsePositives(),
                Metrics.get("TrueNegatives"), Metrics.falseNegatives(), Metrics.sensitivityAtSpecificity(0.5),
                Metrics.specificityAtSensitivity(0.5), Metrics.precisionAtRecall(0.5), Metrics.recallAtPrecision(0.5),
                Metrics.get("r2_score"));
        History h = m.fit(d[0], d[1], Fit.defaults().batchSize(4).epochs(1).validationData(d[0], d[1]));
        List<String> keys = new ArrayList<>(List.of("loss"));
        keys.addAll(NAMES);
        keys.add("val_loss");
        NAMES.forEach(n -> keys.add("val_" + n));
        assertThat(h.history().keySet()).containsExactlyElementsOf(keys);

        // the validation numbers are each metric over the model's predictions after the epoch
        Tensor p = m.predict(d[0]);
        Metric[] direct = {Metrics.truePositives(), Metrics.falsePositives(), Metrics.trueNegatives(),
            Metrics.falseNegatives(), Metrics.sensitivityAtSpecificity(0.5), Metrics.specificityAtSensitivity(0.5),
            Metrics.precisionAtRecall(0.5), Metrics.recallAtPrecision(0.5), Metrics.r2Score()};
        double cells = 0;
        for (int i = 0; i < direct.length; i++) {
            direct[i].update(d[1], p);
            double logged = h.get("val_" + NAMES.get(i)).get(0);
            assertThat(logged).as("val_" + NAMES.get(i) + ", logged as Keras's float32")
                    .isEqualTo((double) (float) direct[i].result());
            cells += i < 4 ? logged : 0;
        }
        assertThat(cells).as("the four cells count every sample once").isEqualTo(16.0);

        // mode auto: the *At metrics and R2 are "up" as in Keras; the counts have no direction, so Keras raises
        Fit more = Fit.defaults().batchSize(4).epochs(1).validationData(d[0], d[1]).verbose(0);
        assertThatCode(() -> m.fit(d[0], d[1], more.callbacks(new EarlyStopping().monitor("val_recall_at_precision"))))
                .doesNotThrowAnyException();
        assertThatCode(() -> m.fit(d[0], d[1], more.callbacks(new EarlyStopping().monitor("val_r2_score"))))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> m.fit(d[0], d[1], more.callbacks(new EarlyStopping().monitor("val_true_positives"))))
                .hasMessageContaining("mode");
    }

    @Test
    void theMaskIsNotReadAndTimestepsMayBeNone() {
        // Keras's confusion metrics and R2Score never read y_pred's mask: masked steps count
        Seeds.set(109);
        Sequential m = Sequential.of(Input.shape(Input.NONE, 2), new Masking(0f), new GRU(3).returnSequences(true),
                new Dense(1, Activation.SIGMOID));
        m.compile(Optimizers.adam(), Losses.binaryCrossentropy(), Metrics.truePositives(), Metrics.falseNegatives(),
                Metrics.precisionAtRecall(0.5));
        float[] x = new float[3 * 4 * 2];
        float[] y = new float[3 * 4];
        Random r = new Random(109);
        for (int i = 0; i < y.length; i++) {
            boolean padded = i % 4 == 3;
            x[2 * i] = padded ? 0 : (float) r.nextGaussian();
            x[2 * i + 1] = padded ? 0 : (float) r.nextGaussian();
            y[i] = padded ? 1 : r.nextInt(2);
        }
        Tensor xs = Tensor.of(x, 3, 4, 2);
        Tensor ys = Tensor.of(y, 3, 4, 1);
        Map<String, Double> logs = m.evaluate(xs, ys).asMap();
        Tensor p = m.predict(xs);
        for (Metric direct : new Metric[] {Metrics.truePositives(), Metrics.falseNegatives(),
            Metrics.precisionAtRecall(0.5)}) {
            direct.update(ys, p);
            assertThat(logs.get(direct.name())).as(direct.name() + " over all 12 steps, masked ones included")
                    .isEqualTo(direct.result());
        }
        assertThat(logs.get("true_positives") + logs.get("false_negatives")).as("all 12 steps' positives")
                .isEqualTo(java.util.stream.IntStream.range(0, 12).filter(i -> y[i] != 0).count());
    }

    @Test
    void compileConfigRoundTripKeepsEveryMetricAndItsNumbers() throws IOException {
        List<Metric> metrics = List.of(Metrics.truePositives(), Metrics.falsePositives(0.3), Metrics.get("FalseNegatives"),
                Metrics.sensitivityAtSpecificity(0.4, 100, 1), Metrics.specificityAtSensitivity(0.6),
                Metrics.precisionAtRecall(0.5, 1, null), Metrics.recallAtPrecision(0.8, 50, 0), Metrics.r2Score(),
                Metrics.r2Score("variance_weighted_average", 1));
        Seeds.set(109);
        Sequential m = Sequential.of(Input.shape(2), new Dense(2, Activation.SOFTMAX));
        m.compile(Optimizers.adam(), Losses.categoricalCrossentropy(), metrics.toArray(Metric[]::new));
        Path file = tmp.resolve("metrics.keras");
        Models.save(m, file);
        String config = SaveTest.entry(file, "config.json");
        assertThat(config).contains("\"metrics\": [\"true_positives\", {\"module\": \"keras.metrics\", \"class_name\": "
                + "\"FalsePositives\", \"config\": {\"name\": \"false_positives\", \"dtype\": \"float32\", "
                + "\"thresholds\": 0.3}, \"registered_name\": null}, {\"module\": \"keras.metrics\", \"class_name\": "
                + "\"FalseNegatives\", \"config\": {\"name\": \"FalseNegatives\", \"dtype\": \"float32\", \"thresholds\": "
                + "null}");
        assertThat(config).contains("\"class_name\": \"SensitivityAtSpecificity\", \"config\": {\"name\": "
                + "\"sensitivity_at_specificity\", \"dtype\": \"float32\", \"class_id\": 1, \"num_thresholds\": 100, "
                + "\"specificity\": 0.4}");
        assertThat(config).contains("\"r2_score\", {\"module\": \"keras.metrics\", \"class_name\": \"R2Score\", "
                + "\"config\": {\"name\": \"r2_score\", \"dtype\": \"float32\", \"class_aggregation\": "
                + "\"variance_weighted_average\", \"num_regressors\": 1}");

        KerasModel back = Models.load(file);
        back.compileFromConfig();
        Sequential s = back.sequential();
        assertThat(s.metrics()).extracting(Metric::name).containsExactlyElementsOf(
                metrics.stream().map(Metric::name).toList());
        assertThat(s.metrics()).extracting(Metric::kerasConfig).containsExactlyElementsOf(
                metrics.stream().map(Metric::kerasConfig).toList());
        Tensor x = Tensor.of(new float[] {0.1f, 0.9f, 0.4f, 0.6f, 0.7f, 0.2f, -0.3f, 0.5f}, 4, 2);
        Tensor y = Tensor.of(new float[] {0, 1, 1, 0, 0, 1, 1, 0}, 4, 2);
        assertThat(s.evaluate(x, y).asMap()).as("the same numbers after the round trip")
                .isEqualTo(m.evaluate(x, y).asMap());
    }

    /** A copy of a saved model whose compile_config is {@code json}. */
    private Path withCompileConfig(String json, String name) throws IOException {
        Seeds.set(109);
        Sequential m = Sequential.of(Input.shape(5, 2), new GRU(4), new Dense(1, Activation.SIGMOID));
        m.compile(Optimizers.adam(), Losses.binaryCrossentropy());
        Path src = tmp.resolve("plain-" + name);
        Models.save(m, src);
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

    private static String compileConfig(String metrics) {
        return "{\"optimizer\": {\"module\": \"keras.optimizers\", \"class_name\": \"Adam\", \"config\": {\"name\": "
                + "\"adam\", \"learning_rate\": 0.0010000000474974513}, \"registered_name\": null}, \"loss\": "
                + "\"binary_crossentropy\", \"loss_weights\": null, \"metrics\": " + metrics + ", \"weighted_metrics\": "
                + "null}";
    }

    private static String object(String cls, String config) {
        return "{\"module\": \"keras.metrics\", \"class_name\": \"" + cls + "\", \"config\": " + config
                + ", \"registered_name\": null}";
    }

    @Test
    void aHandWrittenKeras3CompileConfigIsReadAndWhatCompileRefusesIsNamed() throws IOException {
        // as Keras 3 writes compile(metrics=["true_positives", "R2Score", FalseNegatives([0.35], name="fn"),
        // RecallAtPrecision(0.8, num_thresholds=50), R2Score(name="r2", num_regressors=0)])
        String metrics = "[\"true_positives\", \"R2Score\", " + object("FalseNegatives", "{\"name\": \"fn\", "
                + "\"dtype\": \"float32\", \"thresholds\": [0.35]}") + ", " + object("RecallAtPrecision", "{\"name\": "
                + "\"recall_at_precision\", \"dtype\": \"float32\", \"class_id\": null, \"num_thresholds\": 50, "
                + "\"precision\": 0.8}") + ", " + object("R2Score", "{\"name\": \"r2\", \"dtype\": \"float32\", "
                + "\"class_aggregation\": \"uniform_average\", \"num_regressors\": 0}") + "]";
        KerasModel k = Models.load(withCompileConfig(compileConfig(metrics), "hand.keras"));
        k.compileFromConfig();
        assertThat(k.sequential().metrics()).extracting(Metric::name)
                .containsExactly("true_positives", "R2Score", "fn", "recall_at_precision", "r2");
        Tensor[] d = data();
        Map<String, Double> logs = k.evaluate(d[0], d[1]).asMap();
        Metric fn = Metrics.falseNegatives(0.35);
        Metric rap = Metrics.recallAtPrecision(0.8, 50, null);
        Tensor p = k.sequential().predict(d[0]);
        fn.update(d[1], p);
        rap.update(d[1], p);
        assertThat(logs.get("fn")).isEqualTo((double) (float) fn.result());
        assertThat(logs.get("recall_at_precision")).isEqualTo((double) (float) rap.result());
        assertThat(logs.get("r2")).isEqualTo(logs.get("R2Score"));

        // several thresholds: one count each, which compile refuses; a class without its target; a bad option
        KerasModel vector = Models.load(withCompileConfig(compileConfig("[" + object("FalsePositives", "{\"name\": "
                + "\"false_positives\", \"dtype\": \"float32\", \"thresholds\": [0.2, 0.6]}") + "]"), "vector.keras"));
        assertThatThrownBy(vector::compileFromConfig).as("the file's fault, named as compileFromConfig promises")
                .isInstanceOf(KerasFileException.class).hasMessageContaining("one count per threshold");
        KerasModel bare = Models.load(withCompileConfig(compileConfig("[\"sensitivity_at_specificity\"]"),
                "bare.keras"));
        assertThatThrownBy(bare::compileFromConfig).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("needs its specificity");
        KerasModel badAggregation = Models.load(withCompileConfig(compileConfig("[" + object("R2Score", "{\"name\": "
                + "\"r2_score\", \"dtype\": \"float32\", \"class_aggregation\": \"mean\", \"num_regressors\": 0}")
                + "]"), "agg.keras"));
        assertThatThrownBy(badAggregation::compileFromConfig).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("class_aggregation must be one of");
        KerasModel badTarget = Models.load(withCompileConfig(compileConfig("[" + object("PrecisionAtRecall",
                "{\"name\": \"p\", \"dtype\": \"float32\", \"class_id\": null, \"num_thresholds\": 200, \"recall\": 1.2}")
                + "]"), "target.keras"));
        assertThatThrownBy(badTarget::compileFromConfig).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("recall must be in the range [0, 1]");
    }
}
