package io.rnn4j.layers.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Evaluation;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Keras's weighted_metrics: a mean metric updated with sample weights gives Σ w·v / Σ w (Keras's
 * MeanMetricWrapper → Mean with reduce_to_samplewise_values), the mask multiplied into the weights;
 * the expected values are worked out by hand from those formulas.
 */
class WeightedMetricsTest {
    @Test
    void aWeightedMeanIsTheSumOfWeightedValuesOverTheWeights() {
        Metric mae = Metrics.meanAbsoluteError();
        Tensor y = Tensor.of(new float[] {0, 0, 0}, 3, 1);
        Tensor p = Tensor.of(new float[] {1, 2, 4}, 3, 1);
        mae.update(y, p, null, Tensor.of(new float[] {1, 0, 3}, 3));
        assertThat(mae.result()).isEqualTo((1 * 1 + 0 * 2 + 3 * 4) / 4.0);
        mae.update(y, p, null, Tensor.of(new float[] {0, 0, 0}, 3));
        assertThat(mae.result()).as("zero weights add nothing").isEqualTo(13 / 4.0);
        mae.reset();
        mae.update(y, p, null, Tensor.of(new float[] {0, 0, 0}, 3, 1));
        assertThat(mae.result()).as("divide_no_nan: nothing weighted gives 0").isZero();
    }

    @Test
    void perSampleWeightsCoverTheirTimestepsAndTheMaskTakesMaskedStepsOut() {
        Metric acc = Metrics.binaryAccuracy();
        // 2 samples × 3 steps, one prediction each: sample 0 right at steps 0, 1; sample 1 right at step 2
        Tensor y = Tensor.of(new float[] {1, 1, 1, 0, 0, 0}, 2, 3, 1);
        Tensor p = Tensor.of(new float[] {0.9f, 0.8f, 0.1f, 0.7f, 0.6f, 0.2f}, 2, 3, 1);
        acc.update(y, p, null, Tensor.of(new float[] {3, 1}, 2));
        assertThat(acc.result()).isEqualTo((3 * 2 + 1 * 1) / (3.0 * 3 + 1 * 3));
        acc.reset();
        Tensor mask = Tensor.of(new float[] {1, 1, 0, 1, 0, 1}, 2, 3);
        acc.update(y, p, mask, Tensor.of(new float[] {3, 1}, 2));
        assertThat(acc.result()).isEqualTo((3 * 2 + 1 * 1) / (3.0 * 2 + 1 * 2));
        acc.reset();
        acc.update(y, p, null, Tensor.of(new float[] {1, 0, 0, 0, 0, 2}, 2, 3));
        assertThat(acc.result()).as("one weight per step").isEqualTo((1 + 2) / 3.0);
        assertThatThrownBy(() -> acc.update(y, p, null, Tensor.of(new float[4], 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(4,)");
    }

    @Test
    void fitLogsWeightedMetricsAfterTheOthersAndNamesATakenOneWeightedAsKeras() {
        Seeds.set(71);
        Sequential m = Sequential.of(Input.shape(2), new Dense(1));
        m.compile(Optimizers.sgd(0.0), Losses.meanSquaredError(), List.of(Metrics.meanAbsoluteError()),
                List.of(Metrics.meanAbsoluteError(), Metrics.meanSquaredError()));
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 4, 2);
        Tensor y = Tensor.of(new float[] {1, -1, 2, 0}, 4, 1);
        Tensor w = Tensor.of(new float[] {1, 0, 0, 2}, 4);
        History h = m.fit(x, y, Fit.defaults().batchSize(4).epochs(1).verbose(0).sampleWeight(w));
        assertThat(h.history().keySet()).containsExactly("loss", "mae", "weighted_mae", "mse");
        float[] p = m.predict(x).toArray();
        double plain = 0;
        double weighted = 0;
        float[] yv = y.toArray();
        float[] wv = w.toArray();
        for (int i = 0; i < 4; i++) {
            plain += Math.abs(p[i] - yv[i]) / 4;
            weighted += wv[i] * Math.abs(p[i] - yv[i]) / 3;
        }
        assertThat(h.last("mae")).isCloseTo(plain, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(h.last("weighted_mae")).isCloseTo(weighted, org.assertj.core.data.Offset.offset(1e-6));
        Evaluation e = m.evaluate(x, y, w, 4);
        Map<String, Double> logs = e.asMap();
        assertThat(logs.get("weighted_mae")).isCloseTo(weighted, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(logs.get("mae")).isCloseTo(plain, org.assertj.core.data.Offset.offset(1e-6));
    }
}
