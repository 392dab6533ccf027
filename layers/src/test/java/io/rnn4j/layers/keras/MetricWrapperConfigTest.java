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
 * compile_config's tf.keras 2 MeanMetricWrapper entries for the newer metrics: logged under the
 * wrapper's name, as Keras logs them (failed before). Each test names the Keras source it follows.
 */
class MetricWrapperConfigTest {
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
