package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.metrics.Metric;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Review of compile_config's metric forms for the new metrics against what Keras writes and how
 * Keras 3 rebuilds it: a Keras loss function given as a metric, and tf.keras 2's
 * MeanMetricWrapper entries. Each test names the Keras source it follows.
 */
class MetricConfigReviewTest {
    private static Map<String, Object> compileConfig(Object metric) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("optimizer", "adam");
        c.put("loss", "mse");
        c.put("loss_weights", null);
        c.put("metrics", List.of(metric));
        c.put("weighted_metrics", null);
        return c;
    }

    private static Map<String, Object> keras2Config(Object metric) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("optimizer_config", Map.of("class_name", "Adam", "config", Map.of("lr", 0.001)));
        c.put("loss", "mse");
        c.put("loss_weights", null);
        c.put("metrics", List.of(List.of(metric)));
        return c;
    }

    @Test
    void theLossCosineSimilarityFunctionAsAMetricIsTheNegatedSimilarity() {
        // compile(metrics=[keras.losses.cosine_similarity]) is saved as this function object (the form
        // CompileConfigFormsTest reads for keras.losses functions). Keras 3 rebuilds the function
        // (keras/src/losses/losses.py cosine_similarity: -sum(l2_norm(y) * l2_norm(p))) and
        // compile_utils.get_metric wraps it in MeanMetricWrapper, whose direction is "down" because the
        // function is in losses.ALL_OBJECTS (reduction_metrics.py MeanMetricWrapper.__init__). Keras 3
        // exports no keras.metrics.cosine_similarity function; only the CosineSimilarity class is positive.
        // rnn4j mapped the function's name to the positive CosineSimilarity metric with direction up.
        Map<String, Object> fn = new LinkedHashMap<>();
        fn.put("module", "keras.losses");
        fn.put("class_name", "function");
        fn.put("config", "cosine_similarity");
        fn.put("registered_name", "function");
        CompileConfig.Setup s = CompileConfig.read("test", compileConfig(fn), List.of("dense"));
        Metric m = s.metrics().get(0).get(0);
        assertThat(m.name()).isEqualTo("cosine_similarity");
        // losses.py cosine_similarity docstring rows: -0 and -0.99999994; the Keras 3 metric docstring data
        // [[0, 1], [1, 1]] against [[1, 0], [1, 1]] gives per-sample -0 and -1: mean -0.5
        m.update(Tensor.of(new float[] {0, 1, 1, 1}, 2, 2), Tensor.of(new float[] {1, 0, 1, 1}, 2, 2));
        assertThat(m.result()).as("the loss function's value, negative").isCloseTo(-0.5, within(1e-6));
        assertThat(m.direction()).as("a wrapped Keras loss is 'down'").isEqualTo(Metric.Direction.DOWN);
    }

    @Test
    void aTfKeras2MeanMetricWrapperKeepsItsNameForTheNewMetrics() {
        // tf.keras 2 compile(metrics=["msle"]) wraps the function as MeanMetricWrapper(fn, name="msle")
        // (tf_keras/engine/compile_utils.py) and saves {"name": "msle", "dtype": "float32", "fn":
        // "mean_squared_logarithmic_error"} (tf_keras/metrics/base_metric.py MeanMetricWrapper.get_config).
        // Both tf.keras 2 and Keras 3 (MeanMetricWrapper.from_config -> cls(**config)) log it as "msle".
        // rnn4j replaced the entry by its fn and logged "mean_squared_logarithmic_error".
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("class_name", "MeanMetricWrapper");
        w.put("config", Map.of("name", "msle", "dtype", "float32", "fn", "mean_squared_logarithmic_error"));
        CompileConfig.Setup s = CompileConfig.read("test", keras2Config(w), List.of("dense"));
        assertThat(s.metrics().get(0)).extracting(Metric::name).containsExactly("msle");

        Map<String, Object> k = new LinkedHashMap<>();
        k.put("class_name", "MeanMetricWrapper");
        k.put("config", Map.of("name", "kld", "dtype", "float32", "fn", "kl_divergence"));
        CompileConfig.Setup s2 = CompileConfig.read("test", keras2Config(k), List.of("dense"));
        assertThat(s2.metrics().get(0)).extracting(Metric::name).containsExactly("kld");
    }
}
