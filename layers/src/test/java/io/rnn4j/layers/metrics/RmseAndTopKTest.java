package io.rnn4j.layers.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Tensor;
import org.junit.jupiter.api.Test;

/**
 * RMSE (the root of the mean over everything seen, not a mean of roots) and the top-k accuracies
 * with TensorFlow's in_top_k tie rule; Keras's names and directions. Keras's own docstring
 * examples are reproduced where they exist.
 */
class RmseAndTopKTest {

    @Test
    void rmseIsTheRootOfTheMeanSquaredErrorOverAllBatches() {
        Metric rmse = Metrics.rootMeanSquaredError();
        rmse.update(Tensor.of(new float[] {0, 1, 1, 1}, 2, 2), Tensor.of(new float[] {1, 1, 1, 0}, 2, 2));
        assertThat(rmse.result()).isCloseTo(Math.sqrt(0.5), within(1e-12)); // Keras's docstring: 0.70710677
        rmse.update(Tensor.of(new float[] {0, 0}, 1, 2), Tensor.of(new float[] {3, 3}, 1, 2));
        assertThat(rmse.result()).isCloseTo(Math.sqrt((1 + 1 + 9 + 9) / 6.0), within(1e-12));
        assertThat(rmse.name()).isEqualTo("root_mean_squared_error");
        assertThat(rmse.direction()).isEqualTo(Metric.Direction.DOWN);
        rmse.reset();
        assertThat(rmse.result()).as("after a reset, Keras's divide_no_nan gives 0").isZero();
    }

    @Test
    void topKCategoricalAccuracyMatchesKerasExamples() {
        Metric m = Metrics.topKCategoricalAccuracy(1);
        m.update(Tensor.of(new float[] {0, 0, 1, 0, 1, 0}, 2, 3), Tensor.of(new float[] {0.1f, 0.9f, 0.8f,
                0.05f, 0.95f, 0f}, 2, 3));
        assertThat(m.result()).isEqualTo(0.5); // Keras's docstring example
        assertThat(m.name()).isEqualTo("top_k_categorical_accuracy");
        assertThat(m.direction()).isEqualTo(Metric.Direction.UP);

        Metric sparse = Metrics.sparseTopKCategoricalAccuracy(1);
        sparse.update(Tensor.of(new float[] {2, 1}, 2), Tensor.of(new float[] {0.1f, 0.9f, 0.8f, 0.05f, 0.95f, 0f}, 2, 3));
        assertThat(sparse.result()).isEqualTo(0.5);
        assertThat(sparse.name()).isEqualTo("sparse_top_k_categorical_accuracy");
    }

    @Test
    void topKDefaultsToFiveCountsTiesAsInAndNonFiniteAsOut() {
        float[] scores = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f};
        Metric five = Metrics.sparseTopKCategoricalAccuracy();
        five.update(Tensor.of(new float[] {2}, 1), Tensor.of(scores, 1, 7));    // rank 5 of 7: in
        five.update(Tensor.of(new float[] {1}, 1), Tensor.of(scores, 1, 7));    // rank 6: out
        assertThat(five.result()).isEqualTo(0.5);

        // Ties at the boundary: class 0 shares its score with two others; fewer than k=2 are strictly greater.
        Metric ties = Metrics.sparseTopKCategoricalAccuracy(2);
        ties.update(Tensor.of(new float[] {0}, 1), Tensor.of(new float[] {0.3f, 0.3f, 0.3f, 0.1f}, 1, 4));
        assertThat(ties.result()).isEqualTo(1.0);

        Metric nan = Metrics.topKCategoricalAccuracy(3);
        nan.update(Tensor.of(new float[] {1, 0, 0}, 1, 3), Tensor.of(new float[] {Float.NaN, 0.2f, 0.3f}, 1, 3));
        Metric outOfRange = Metrics.sparseTopKCategoricalAccuracy(3);
        outOfRange.update(Tensor.of(new float[] {7}, 1), Tensor.of(new float[] {0.1f, 0.2f, 0.3f}, 1, 3));
        assertThat(nan.result()).isZero();
        assertThat(outOfRange.result()).isZero();

        // Sequence outputs: every (sample, step) is one prediction.
        Metric seq = Metrics.sparseTopKCategoricalAccuracy(1);
        seq.update(Tensor.of(new float[] {1, 0, 0, 0}, 2, 2), Tensor.of(new float[] {0, 1, 1, 0, 0, 1, 0, 1}, 2, 2, 2));
        assertThat(seq.result()).isEqualTo(0.5);
        assertThatThrownBy(() -> Metrics.topKCategoricalAccuracy(0)).hasMessageContaining("k must be >= 1");
    }

    @Test
    void builtInMetricsSayWhichWayIsBetter() {
        assertThat(Metrics.meanAbsoluteError().direction()).isEqualTo(Metric.Direction.DOWN);
        assertThat(Metrics.meanSquaredError().direction()).isEqualTo(Metric.Direction.DOWN);
        assertThat(Metrics.accuracy().direction()).isEqualTo(Metric.Direction.UP);
        assertThat(Metrics.sparseCategoricalAccuracy().direction()).isEqualTo(Metric.Direction.UP);
    }
}
