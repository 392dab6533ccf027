package io.rnn4j.layers.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Tensor;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Precision/Recall, the loss-function metrics and their configs against Keras 3 (TensorFlow
 * backend): bad inputs Keras refuses (computed silently before), a tf.keras 2 config form, and
 * numbers from Keras's own tests.
 * Each test names the Keras source it follows. No random data.
 */
class MetricsKerasEdgesTest {
    private static Tensor v(float... x) {
        return Tensor.of(x, x.length);
    }

    @Test
    void precisionWithTopKAboveTheNumberOfClassesIsRefusedAsTopKRefusesIt() {
        // keras/src/metrics/metrics_utils.py _filter_top_k calls ops.top_k(x, k); on TensorFlow,
        // tf.math.top_k raises InvalidArgumentError "input must have at least k columns. Had 3, needed 5".
        // rnn4j kept all 3 columns (Math.min(k, last)) and gave a number.
        Metric p = Metrics.precision(null, 5, null);
        Tensor y = Tensor.of(new float[] {0, 1, 0}, 1, 3);
        Tensor pred = Tensor.of(new float[] {0.2f, 0.7f, 0.1f}, 1, 3);
        assertThatThrownBy(() -> p.update(y, pred)).as("top_k 5 on 3 columns")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("top_k");
    }

    @Test
    void precisionWithClassIdOnRankOnePredictionsIsRefusedAsKerasRefusesIt() {
        // keras/src/metrics/metrics_utils.py update_confusion_matrix_variables raises ValueError "When
        // class_id is provided, y_pred must be a 2D array with shape (num_samples, num_classes)" for
        // rank-1 predictions; Keras's own test: confusion_metrics_test.py
        // test_unweighted_class_id_should_throw_error_1d (these numbers). rnn4j took the 5 predictions as
        // one row of 5 classes and counted only the third.
        Metric p = Metrics.precision(null, null, 2);
        assertThatThrownBy(() -> p.update(v(0, 1, 1, 0, 0), v(0.2f, 0.1f, 0.6f, 0, 0.2f))).as("class_id on (5,)")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("class_id");
    }

    @Test
    void sparseCategoricalCrossentropyMetricRefusesOneHotLabels() {
        // keras/src/backend/tensorflow/nn.py sparse_categorical_crossentropy: target (2, 3) against output
        // (2, 3) raises ValueError "Argument `output` must have rank (ndim) `target.ndim - 1`". rnn4j read
        // the first two floats of the flattened one-hot labels (0 and 1) as the class ids and gave a number.
        Metric m = Metrics.sparseCategoricalCrossentropy();
        Tensor oneHot = Tensor.of(new float[] {0, 1, 0, 0, 0, 1}, 2, 3);
        Tensor p = Tensor.of(new float[] {0.05f, 0.95f, 0, 0.1f, 0.8f, 0.1f}, 2, 3);
        assertThatThrownBy(() -> m.update(oneHot, p)).as("one-hot labels for the sparse metric")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sparse_categorical_crossentropy");
    }

    @Test
    void aLossFunctionMetricRefusesLabelsOfAnotherShape() {
        // keras/src/losses/losses.py categorical_hinge: y_true (2, 3) * y_pred (2, 2) does not broadcast,
        // so Keras raises. rnn4j's Metrics.labelAt took labels[row] (0 and 1) as each row's label for
        // every column and gave a number.
        Metric m = Metrics.categoricalHinge();
        Tensor y = Tensor.of(new float[] {0, 1, 0, 1, 0, 0}, 2, 3);
        Tensor p = Tensor.of(new float[] {0.6f, 0.4f, 0.4f, 0.6f}, 2, 2);
        assertThatThrownBy(() -> m.update(y, p)).as("labels (2, 3) for predictions (2, 2)")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("categorical_hinge");
    }

    @Test
    void aTfKeras2CosineSimilarityMetricConfigWithItsAxisIsRead() {
        // tf_keras/metrics/regression_metrics.py CosineSimilarity passes axis=-1 to MeanMetricWrapper, whose
        // get_config (tf_keras/metrics/base_metric.py) writes the fn kwargs: {"name", "dtype", "axis": -1}.
        // Keras 3's CosineSimilarity(name, dtype, axis=-1) takes it (Metric.from_config is cls(**config)).
        // rnn4j refused it: "option 'axis' is not one it takes".
        Optional<Metric> m = Metrics.fromKerasConfig("CosineSimilarity",
                Map.of("name", "cosine_similarity", "dtype", "float32", "axis", -1));
        assertThat(m).isPresent();
        // Keras 3 docstring (regression_metrics.py CosineSimilarity): 0.49999997
        m.get().update(Tensor.of(new float[] {0, 1, 1, 1}, 2, 2), Tensor.of(new float[] {1, 0, 1, 1}, 2, 2));
        assertThat(m.get().result()).isCloseTo(0.5, within(1e-6));
    }

    @Test
    void precisionTopKClassIdAndScalarWeightsMatchKerasTests() {
        // Passes (behaviour confirmed). keras/src/metrics/confusion_metrics_test.py test_weighted_top_k:
        // a (1, 5) batch weighted per value, then a (5,) batch with the scalar weight 3:
        // tp (2 + 5) + (3 + 3), predicted positives (1 + 2 + 5) + (3 + 3 + 3)
        Metric p = Metrics.precision(null, 3, null);
        p.update(Tensor.of(new float[] {0, 1, 1, 0, 1}, 1, 5), Tensor.of(new float[] {0.2f, 0.1f, 0.4f, 0, 0.2f}, 1, 5),
                null, Tensor.of(new float[] {1, 4, 2, 3, 5}, 1, 5));
        p.update(v(1, 0, 1, 1, 1), v(0.2f, 0.6f, 0.4f, 0.2f, 0.2f), null, v(3));
        assertThat(p.result()).isCloseTo(13.0 / 17, within(1e-12));

        // test_unweighted_class_id_multiclass: class_id 1 of (5, 3) -> 1.0 (tp 1, fp 0)
        Metric c = Metrics.precision(null, null, 1);
        c.update(Tensor.of(new float[] {0, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1}, 5, 3),
                Tensor.of(new float[] {0.1f, 0.2f, 0.7f, 0.5f, 0.3f, 0.2f, 0.2f, 0.6f, 0.2f, 0.7f, 0.2f, 0.1f, 0.1f, 0.1f,
                    0.8f}, 5, 3));
        assertThat(c.result()).isEqualTo(1.0);

        // test_unweighted_top_k_and_threshold: thresholds 0.7 with top_k 2 -> 1.0
        Metric t = Metrics.precision(0.7, 2, null);
        t.update(v(0, 1, 1, 0, 1), v(0.2f, 0.8f, 0.6f, 0, 0.2f));
        assertThat(t.result()).isEqualTo(1.0);
    }
}
