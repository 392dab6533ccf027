package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.layers.AveragePooling1D;
import io.rnn4j.layers.Conv1D;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.MaxPooling1D;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Config forms of Conv1D, MaxPooling1D and AveragePooling1D that Keras writes or takes beyond the
 * layers' own tests: data_format in any case (failed before its fix), Keras 2.0's configs.
 */
class ConvConfigFormsTest {

    private static Layer read(String json) {
        return new LayerReader(false).read(ModelReader.parse("test", "layer", json)).layer();
    }

    /**
     * Keras 3 lower-cases data_format before checking it (keras/src/backend/config.py,
     * standardize_data_format: {@code str(data_format).lower()}), as rnn4j's GlobalMaxPooling1D
     * reader does (LayerReader.dataFormat, equalsIgnoreCase); ConvReader compared it exactly.
     */
    @Test
    void dataFormatIsReadInAnyCaseAsKeras() {
        Conv1D c = (Conv1D) read("""
                {"class_name": "Conv1D", "config": {"name": "k", "filters": 2, "kernel_size": [3],
                 "data_format": "Channels_Last"}}""");
        assertThat(c.filters()).isEqualTo(2);
        MaxPooling1D m = (MaxPooling1D) read("""
                {"class_name": "MaxPooling1D", "config": {"name": "m", "data_format": "CHANNELS_LAST"}}""");
        assertThat(m.poolSize()).isEqualTo(2);
    }

    /**
     * Keras 2.0.x (e.g. 2.0.8) wrote Conv1D without data_format and groups (Conv1D.get_config pops
     * data_format; groups came in 2.3), initializers as VarianceScaling objects with no module,
     * and the pooling layers as {@code {strides, pool_size, padding}} tuples without data_format.
     */
    @Test
    void keras20ConfigsWithoutDataFormatOrGroupsLoad() {
        Conv1D c = (Conv1D) new LayerReader(true).read(ModelReader.parse("test", "layer", """
                {"class_name": "Conv1D", "config": {"name": "conv1d_1", "trainable": true,
                 "batch_input_shape": [null, 20, 3], "dtype": "float32", "filters": 8, "kernel_size": [5],
                 "strides": [1], "padding": "causal", "dilation_rate": [2], "activation": "relu",
                 "use_bias": true, "kernel_initializer": {"class_name": "VarianceScaling", "config":
                 {"scale": 1.0, "mode": "fan_avg", "distribution": "uniform", "seed": null}},
                 "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": null,
                 "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null,
                 "bias_constraint": null}}""")).layer();
        assertThat(List.of(c.filters(), c.kernelSize(), c.strides(), c.dilationRate(), c.groups()))
                .containsExactly(8, 5, 1, 2, 1);
        assertThat(c.padding()).isEqualTo("causal");
        MaxPooling1D m = (MaxPooling1D) new LayerReader(true).read(ModelReader.parse("test", "layer", """
                {"class_name": "MaxPooling1D", "config": {"name": "max_pooling1d_1", "trainable": true,
                 "strides": [3], "pool_size": [4], "padding": "same"}}""")).layer();
        assertThat(List.of(m.poolSize(), m.strides())).containsExactly(4, 3);
        assertThat(m.padding()).isEqualTo("same");
        AveragePooling1D a = (AveragePooling1D) new LayerReader(true).read(ModelReader.parse("test", "layer", """
                {"class_name": "AveragePooling1D", "config": {"name": "a", "trainable": true,
                 "strides": null, "pool_size": 3, "padding": "valid"}}""")).layer();
        assertThat(List.of(a.poolSize(), a.strides())).containsExactly(3, 3);
    }
}
