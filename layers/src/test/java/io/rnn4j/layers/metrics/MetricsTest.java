package io.rnn4j.layers.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Tensor;
import org.junit.jupiter.api.Test;

/** Metrics accumulate over batches as Keras's Mean wrappers do; accuracy picks its kind from the shapes. */
class MetricsTest {

    @Test
    void meanErrorsAverageOverEverySampleSeen() {
        Metric mae = Metrics.meanAbsoluteError();
        mae.update(Tensor.of(new float[] {0, 0}, 2, 1), Tensor.of(new float[] {1, 3}, 2, 1));
        mae.update(Tensor.of(new float[] {1}, 1, 1), Tensor.of(new float[] {1}, 1, 1));
        assertThat(mae.result()).isCloseTo(4.0 / 3, within(1e-12));
        mae.reset();
        assertThat(mae.result()).as("after a reset, Keras's divide_no_nan gives 0").isZero();
        Metric mse = Metrics.meanSquaredError();
        mse.update(Tensor.of(new float[] {0, 0}, 2), Tensor.of(new float[] {1, 3}, 2, 1));
        assertThat(mse.result()).isEqualTo(5.0);
        assertThat(mae.name()).isEqualTo("mae");
    }

    @Test
    void accuracyIsBinarySparseOrCategoricalByShape() {
        Metric binary = Metrics.accuracy();
        binary.update(Tensor.of(new float[] {1, 0, 1, 0}, 4, 1), Tensor.of(new float[] {0.7f, 0.2f, 0.5f, 0.9f}, 4, 1));
        assertThat(binary.result()).isEqualTo(0.5); // 0.5 is not > 0.5
        Metric sparse = Metrics.accuracy();
        sparse.update(Tensor.of(new float[] {2, 0}, 2), Tensor.of(new float[] {0.1f, 0.2f, 0.7f, 0.3f, 0.4f, 0.3f}, 2, 3));
        assertThat(sparse.result()).isEqualTo(0.5);
        Metric categorical = Metrics.accuracy();
        categorical.update(Tensor.of(new float[] {0, 0, 1, 0, 1, 0}, 2, 3),
                Tensor.of(new float[] {0.1f, 0.2f, 0.7f, 0.3f, 0.4f, 0.3f}, 2, 3));
        assertThat(categorical.result()).isEqualTo(1.0);
    }
}
