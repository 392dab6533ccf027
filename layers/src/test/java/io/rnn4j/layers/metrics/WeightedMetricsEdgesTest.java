package io.rnn4j.layers.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.callbacks.EarlyStopping;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizers;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Weighted metrics at their edges, each test stating what Keras 3 gives: RootMeanSquaredError (a
 * plain Mean in Keras) counts masked steps, a callback in auto mode finds a weighted metric's
 * direction, a metric that takes no weights is refused before any update, bad weight shapes are
 * named.
 */
class WeightedMetricsEdgesTest {

    /**
     * Keras 3's RootMeanSquaredError is a Mean over ops.square(y_pred - y_true): it never reads
     * y_pred's _keras_mask (only MeanMetricWrapper does), so masked timesteps count, weighted.
     * y = 0, p = [1, 3] at 2 steps of one sample, mask [1, 0], sample weight [2]:
     * Keras: values (1,2,1) reduced to mean(1, 9) = 5 per sample, total 2·5, count 2 → sqrt(5).
     */
    @Test
    void weightedRootMeanSquaredErrorIgnoresTheMaskAsKeras() {
        Metric rmse = Metrics.rootMeanSquaredError();
        Tensor y = Tensor.of(new float[] {0, 0}, 1, 2, 1);
        Tensor p = Tensor.of(new float[] {1, 3}, 1, 2, 1);
        Tensor mask = Tensor.of(new float[] {1, 0}, 1, 2);
        rmse.update(y, p, mask, Tensor.of(new float[] {2}, 1));
        assertThat(rmse.result()).isCloseTo(Math.sqrt(5), within(1e-6));
    }

    /**
     * Keras's MonitorCallback._set_monitor_op looks through CompileMetrics.metrics, which holds the
     * weighted metrics too: weighted_metrics=["accuracy"] with EarlyStopping(monitor="val_accuracy")
     * in mode auto maximizes. Here the callback only sees model.metrics() (the plain ones) and refuses.
     */
    @Test
    void earlyStoppingInAutoModeKnowsAWeightedMetricsDirection() {
        Seeds.set(5);
        Sequential m = Sequential.of(Input.shape(2), new Dense(1, "sigmoid"));
        m.compile(Optimizers.sgd(0.01), Losses.binaryCrossentropy(), List.of(),
                List.of(Metrics.binaryAccuracy()));
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 4, 2);
        Tensor y = Tensor.of(new float[] {1, 0, 1, 0}, 4, 1);
        EarlyStopping es = new EarlyStopping().monitor("val_binary_accuracy").patience(5);
        History h = m.fit(x, y, Fit.defaults().batchSize(4).epochs(2).verbose(0).validationData(x, y).callbacks(es));
        assertThat(h.history()).containsKey("val_binary_accuracy");
    }

    /**
     * A metric of one's own that takes no weights, given as a weighted metric, fails fit with
     * sample weights only after the first batch's optimizer step (Training.step updates metrics
     * after optimizer.apply): the model is left half trained, against the "refused before the
     * first update" rule. Keras (compiled train_step) fails while tracing, before any update.
     */
    @Test
    void aWeightedMetricThatTakesNoWeightsIsRefusedBeforeAnyUpdate() {
        Seeds.set(9);
        Sequential m = Sequential.of(Input.shape(2), new Dense(1));
        Metric own = new Metric() {
            double s;
            long n;

            @Override
            public String name() {
                return "own";
            }

            @Override
            public void reset() {
                s = 0;
                n = 0;
            }

            @Override
            public void update(Tensor labels, Tensor predictions) {
                s += predictions.toArray()[0];
                n++;
            }

            @Override
            public double result() {
                return n == 0 ? 0 : s / n;
            }
        };
        m.compile(Optimizers.sgd(0.1), Losses.meanSquaredError(), List.of(), List.of(own));
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor y = Tensor.of(new float[] {1, -1}, 2, 1);
        float[] before = m.weights().get(0).value().toArray();
        assertThatThrownBy(() -> m.fit(x, y, Fit.defaults().batchSize(2).epochs(1).verbose(0)
                .sampleWeight(Tensor.of(new float[] {1, 2}, 2)))).isInstanceOf(RuntimeException.class);
        assertThat(m.weights().get(0).value().toArray()).as("nothing trained").containsExactly(before);
    }

    /**
     * Metric.update documents IllegalArgumentException for weights that fit no shape; predictions of
     * rank 1 with one weight per sample divide by rows / batch = 0 instead (ArithmeticException).
     */
    @Test
    void rankOnePredictionsWithPerSampleWeightsGiveADocumentedError() {
        Metric mae = Metrics.meanAbsoluteError();
        Tensor y = Tensor.of(new float[] {0, 0, 0, 0}, 4);
        Tensor p = Tensor.of(new float[] {1, 2, 3, 4}, 4);
        assertThatThrownBy(() -> mae.update(y, p, null, Tensor.of(new float[] {1, 1, 1, 1}, 4)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
