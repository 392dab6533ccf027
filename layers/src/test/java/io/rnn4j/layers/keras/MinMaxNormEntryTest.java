package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.layers.Dense;
import io.rnn4j.layers.KerasConfig;
import org.junit.jupiter.api.Test;

/**
 * Keras's MinMaxNorm constraint as Keras 3 writes it (constraints.py get_config: min_value, max_value,
 * rate, axis) loads on a layer's weight with its options, and bad options are the file's fault, named.
 */
class MinMaxNormEntryTest {
    private static Dense read(String constraint) {
        return (Dense) new LayerReader(false).read(ModelReader.parse("test", "layer", """
                {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense", "units": 2,
                 "kernel_constraint": {"module": "keras.constraints", "class_name": "MinMaxNorm", "config": %s,
                 "registered_name": null}}, "registered_name": null}""".formatted(constraint))).layer();
    }

    @Test
    void keras3MinMaxNormLoadsWithItsOptionsAndBadOnesAreNamed() {
        Dense d = read("{\"min_value\": 0.5, \"max_value\": 2.0, \"rate\": 0.75, \"axis\": 0}");
        assertThat(d.kernelConstraint().kerasConfig()).contains(KerasConfig.of("MinMaxNorm", "min_value", 0.5,
                "max_value", 2.0, "rate", 0.75, "axis", 0));
        assertThatThrownBy(() -> read("{\"min_value\": 3.0, \"max_value\": 2.0}"))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("'dense'")
                .hasMessageContaining("min_value <= max_value");
    }
}
