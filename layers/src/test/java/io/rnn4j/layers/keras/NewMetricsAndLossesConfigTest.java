package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Activation;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.callbacks.EarlyStopping;
import io.rnn4j.layers.losses.Loss;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.metrics.Auc;
import io.rnn4j.layers.metrics.Metric;
import io.rnn4j.layers.metrics.Metrics;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizer;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loss-function metrics against Keras's docstring numbers (keras/src/metrics/*_metrics.py);
 * models compiled with the new losses and metrics through fit and evaluate, logged under Keras's
 * names, with EarlyStopping's mode auto taking AUC as "max"; and every new loss and metric through
 * compile_config: saved as Keras 3 writes it, compiled back, and the same numbers after. Seed 89.
 */
class NewMetricsAndLossesConfigTest {
    @TempDir
    Path tmp;

    private static Tensor t(float[] v, int... dims) {
        return Tensor.of(v, dims);
    }

    /** {@code m}'s result after one update, and after a reset and a weighted one. */
    private static double[] docstring(Metric m, Tensor y, Tensor p, Tensor w) {
        m.update(y, p);
        double plain = m.result();
        m.reset();
        m.update(y, p, null, w);
        return new double[] {plain, m.result()};
    }

    @Test
    void lossFunctionMetricsMatchKerasDocstrings() {
        Tensor y01 = t(new float[] {0, 1, 0, 0}, 2, 2);
        Tensor p11 = t(new float[] {1, 1, 0, 0}, 2, 2);
        Tensor p64 = t(new float[] {0.6f, 0.4f, 0.4f, 0.6f}, 2, 2);
        Tensor w10 = t(new float[] {1, 0}, 2);
        Object[][] cases = {
            {Metrics.meanAbsolutePercentageError(), y01, p11, w10, 250000000.0, 500000000.0},
            {Metrics.meanSquaredLogarithmicError(), y01, p11, w10, 0.12011322, 0.24022643},
            {Metrics.logCoshError(), y01, p11, w10, 0.10844523, 0.21689045},
            {Metrics.klDivergence(), y01, p64, w10, 0.45814306, 0.9162892},
            {Metrics.poisson(), y01, p11, w10, 0.49999997, 0.99999994},
            {Metrics.cosineSimilarity(), t(new float[] {0, 1, 1, 1}, 2, 2), t(new float[] {1, 0, 1, 1}, 2, 2),
                t(new float[] {0.3f, 0.7f}, 2), 0.49999997, 0.6999999},
            {Metrics.hinge(), y01, p64, w10, 1.3, 1.1},
            {Metrics.squaredHinge(), y01, p64, w10, 1.86, 1.46},
            {Metrics.categoricalHinge(), y01, p64, w10, 1.4000001, 1.2},
            {Metrics.binaryCrossentropy(), y01, p64, w10, 0.81492424, 0.9162905},
            {Metrics.categoricalCrossentropy(), t(new float[] {0, 1, 0, 0, 0, 1}, 2, 3),
                t(new float[] {0.05f, 0.95f, 0, 0.1f, 0.8f, 0.1f}, 2, 3), t(new float[] {0.3f, 0.7f}, 2), 1.1769392,
                1.6271976},
            {Metrics.sparseCategoricalCrossentropy(), t(new float[] {1, 2}, 2),
                t(new float[] {0.05f, 0.95f, 0, 0.1f, 0.8f, 0.1f}, 2, 3), t(new float[] {0.3f, 0.7f}, 2), 1.1769392,
                1.6271976},
        };
        for (Object[] c : cases) {
            Metric m = (Metric) c[0];
            double[] got = docstring(m, (Tensor) c[1], (Tensor) c[2], (Tensor) c[3]);
            // Keras prints float32 results: agree to float32's precision
            assertThat(got[0]).as(m.name()).isCloseTo((double) c[4], within(2e-6 * Math.max(1, (double) c[4])));
            assertThat(got[1]).as(m.name() + " weighted").isCloseTo((double) c[5], within(2e-6 * Math.max(1,
                    (double) c[5])));
        }
        assertThat(Metrics.cosineSimilarity().direction()).isEqualTo(Metric.Direction.UP);
        assertThat(Metrics.klDivergence().direction()).as("a wrapped Keras loss is 'down'")
                .isEqualTo(Metric.Direction.DOWN);
    }

    /** A small GRU classifier's data: (16, 5, 2) sequences, one binary label each. Seed 89. */
    private static Tensor[] data() {
        Random r = new Random(89);
        float[] x = new float[16 * 5 * 2];
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

    @Test
    void aModelCompiledWithTheNewMetricsLogsThemUnderKerasNamesAndEarlyStoppingMaximizesAuc() {
        Seeds.set(89);
        Tensor[] d = data();
        Sequential m = Sequential.of(Input.shape(5, 2), new GRU(4), new Dense(1, Activation.SIGMOID));
        m.compile(Optimizers.adam(), Losses.binaryCrossentropy(false, 0.1), Metrics.auc(), Metrics.precision(),
                Metrics.recall(), Auc.builder().curve(Auc.Curve.PR).name("pr_auc").build(), Metrics.f1Score("micro", 0.5),
                Metrics.binaryCrossentropy(), Metrics.hinge());
        EarlyStopping es = new EarlyStopping().monitor("val_auc").patience(10);
        History h = m.fit(d[0], d[1], Fit.defaults().batchSize(4).epochs(3).validationData(d[0], d[1]).callbacks(es));
        assertThat(h.history().keySet()).containsExactly("loss", "auc", "precision", "recall", "pr_auc", "f1_score",
                "binary_crossentropy", "hinge", "val_loss", "val_auc", "val_precision", "val_recall", "val_pr_auc",
                "val_f1_score", "val_binary_crossentropy", "val_hinge");
        assertThat(es.best()).as("mode auto: AUC is 'up', so the best is the highest")
                .isEqualTo(Collections.max(h.get("val_auc")));

        // evaluate's AUC is the metric over the whole set, however it is batched
        Map<String, Double> logs = m.evaluate(d[0], d[1], 5).asMap();
        Auc direct = Metrics.auc();
        direct.update(d[1], m.predict(d[0]));
        assertThat(logs.get("auc")).isCloseTo(direct.result(), within(1e-12));
        Optimizer before = m.optimizer();
        assertThatThrownBy(() -> m.compile(Optimizers.sgd(), Losses.hinge(), Metrics.f1Score(null, null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("average=None");
        assertThat(m.optimizer()).as("a refused compile changes nothing").isSameAs(before);
        assertThat(m.loss().name()).isEqualTo("binary_crossentropy");
    }

    @Test
    void everyNewLossAndMetricRoundTripsThroughCompileConfig() throws IOException {
        List<Loss> losses = List.of(Losses.meanAbsolutePercentageError(), Losses.meanSquaredLogarithmicError(),
                Losses.logCosh(), Losses.klDivergence(), Losses.poisson(), Losses.cosineSimilarity(), Losses.hinge(),
                Losses.squaredHinge(), Losses.categoricalHinge(), Losses.binaryCrossentropy(true, 0.2),
                Losses.categoricalCrossentropy(false, 0.1));
        List<Metric> metrics = List.of(Metrics.precision(), Metrics.recall(0.3, null, null), Metrics.precision(null, 1,
                0), Metrics.auc(), Auc.builder().name("prauc").curve(Auc.Curve.PR).summationMethod(Auc.Summation.MAJORING)
                .numThresholds(50).build(), Auc.builder().thresholds(0.2, 0.7).fromLogits(true).build(),
                Metrics.f1Score("macro", null), Metrics.fBetaScore("weighted", 2.0, 0.4),
                Metrics.meanAbsolutePercentageError(), Metrics.meanSquaredLogarithmicError(), Metrics.logCoshError(),
                Metrics.klDivergence(), Metrics.poisson(), Metrics.cosineSimilarity(), Metrics.hinge(),
                Metrics.squaredHinge(), Metrics.categoricalHinge(), Metrics.binaryCrossentropy(true, 0.1),
                Metrics.categoricalCrossentropy());
        Tensor x = Tensor.of(new float[] {0.1f, 0.9f, 0.4f, 0.6f, 0.7f, 0.2f}, 3, 2);
        Tensor y = Tensor.of(new float[] {0, 1, 1, 0, 0, 1}, 3, 2);
        for (Loss loss : losses) {
            Seeds.set(89);
            Sequential m = Sequential.of(Input.shape(2), new Dense(2, Activation.SOFTMAX));
            m.compile(Optimizers.adam(), loss, loss == losses.get(0) ? metrics.toArray(Metric[]::new) : new Metric[0]);
            Path file = tmp.resolve(loss.name() + ".keras");
            Models.save(m, file);
            String config = SaveTest.entry(file, "config.json");
            assertThat(config).contains("\"class_name\": \"" + loss.kerasConfig().orElseThrow().className() + "\"");
            KerasModel back = Models.load(file);
            back.compileFromConfig();
            Sequential s = back.sequential();
            assertThat(s.loss().kerasConfig()).as(loss.name()).isEqualTo(loss.kerasConfig());
            double before = m.evaluate(x, y).asMap().get("loss");
            assertThat(s.evaluate(x, y).asMap().get("loss")).as(loss.name() + " after the round trip")
                    .isEqualTo(before);
            if (loss == losses.get(0)) {
                assertThat(config).contains("\"precision\"", "\"auc\"", "\"mape\"", "\"log_cosh_error\"",
                        "\"class_name\": \"AUC\"", "\"summation_method\": \"majoring\"", "\"class_name\": \"F1Score\"");
                assertThat(s.metrics()).extracting(Metric::name).containsExactlyElementsOf(
                        metrics.stream().map(Metric::name).toList());
                assertThat(s.metrics()).extracting(Metric::kerasConfig).containsExactlyElementsOf(
                        metrics.stream().map(Metric::kerasConfig).toList());
                assertThat(s.evaluate(x, y).asMap()).as("every metric: the same numbers after the round trip")
                        .isEqualTo(m.evaluate(x, y).asMap());
                Metric sparse = Metrics.sparseCategoricalCrossentropy(true);
                Metric read = Metrics.fromKerasConfig("SparseCategoricalCrossentropy",
                        sparse.kerasConfig().orElseThrow().config()).orElseThrow();
                assertThat(read.kerasConfig()).isEqualTo(sparse.kerasConfig());
            }
        }
    }
}
