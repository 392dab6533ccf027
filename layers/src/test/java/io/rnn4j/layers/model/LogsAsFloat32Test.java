package io.rnn4j.layers.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Activation;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.metrics.Metrics;
import io.rnn4j.layers.optimizers.Optimizers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Keras's losses and metrics are float32 variables and its logs hold their float32 values: fit's
 * History and evaluate's results here are float32 values too, so an AUC accumulated in double on
 * perfectly ranked data logs 1.0 (not 1.0000000000000004) and a callback comparing logs compares
 * what Keras compares. Seed 47, fixed.
 */
class LogsAsFloat32Test {
    @Test
    void everyLoggedValueIsAFloat32AndAPerfectAucLogsOne() {
        Seeds.set(47);
        float[] x = new float[40];
        float[] y = new float[20];
        for (int i = 0; i < 20; i++) {
            y[i] = i % 2;
            x[2 * i] = y[i] * 2 - 1 + 0.01f * i;
            x[2 * i + 1] = 0.3f;
        }
        Sequential m = Sequential.of(Input.shape(2), new Dense(1, Activation.SIGMOID));
        m.weights().get(0).set(Tensor.of(new float[] {3f, 0f}, 2, 1));
        m.compile(Optimizers.sgd(0.01), Losses.binaryCrossentropy(), Metrics.auc(), Metrics.meanSquaredError());
        History h = m.fit(Tensor.of(x, 20, 2), Tensor.of(y, 20, 1), Fit.defaults().batchSize(7).epochs(2)
                .validationData(Tensor.of(x, 20, 2), Tensor.of(y, 20, 1)));
        for (Map.Entry<String, List<Double>> e : h.history().entrySet()) {
            for (double v : e.getValue()) {
                assertThat(v).as("%s as Keras logs it: a float32 value", e.getKey()).isEqualTo((double) (float) v);
            }
        }
        assertThat(h.last("auc")).as("perfectly ranked: Keras's float32 AUC is 1.0").isEqualTo(1.0);
        for (double v : m.evaluate(Tensor.of(x, 20, 2), Tensor.of(y, 20, 1)).asMap().values()) {
            assertThat(v).as("evaluate's results are float32 values").isEqualTo((double) (float) v);
        }
    }
}
