package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.autograd.Variable;
import org.junit.jupiter.api.Test;

/**
 * The activation layers' Keras entries with options given as JSON null, which Keras 3 either
 * refuses or reads differently from "absent" (failed before: a null was read as the default).
 */
class ActivationLayersNullOptionsTest {
    private static Layer read(String cls, String options) {
        String json = "{\"module\": \"keras.layers\", \"class_name\": \"" + cls + "\", \"config\": {\"name\": \"x\", "
                + "\"trainable\": true, \"dtype\": \"float32\", " + options + "}, \"registered_name\": null}";
        return new LayerReader(false).read(ModelReader.parse("test", "layer", json)).layer();
    }

    /**
     * Keras 3's ReLU refuses None: "negative_slope of a ReLU layer cannot be None or a negative
     * value" and the same for threshold (keras/src/layers/activations/relu.py __init__); rnn4j reads
     * null as 0.
     */
    @Test
    void reluNullSlopeOrThresholdIsRefusedAsKeras() {
        assertThatThrownBy(() -> read("ReLU", "\"max_value\": null, \"negative_slope\": null, \"threshold\": 0.0"))
                .as("ReLU negative_slope null").isInstanceOf(KerasFileException.class)
                .hasMessageContaining("negative_slope");
        assertThatThrownBy(() -> read("ReLU", "\"max_value\": null, \"negative_slope\": 0.0, \"threshold\": null"))
                .as("ReLU threshold null").isInstanceOf(KerasFileException.class).hasMessageContaining("threshold");
    }

    /**
     * Keras 3's LeakyReLU takes an {@code alpha} key whenever it is present ({@code "alpha" in
     * kwargs}), None included, and then refuses the None slope (keras/src/layers/activations/
     * leaky_relu.py __init__); rnn4j ignores a null alpha and takes negative_slope.
     */
    @Test
    void leakyReluNullAlphaIsRefusedAsKeras() {
        assertThatThrownBy(() -> read("LeakyReLU", "\"negative_slope\": 0.1, \"alpha\": null"))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("alpha");
    }

    /**
     * Keras 3's Softmax(axis=None) is a softmax over every axis, the batch's included: the layer hands
     * None to activations.softmax, and the TensorFlow backend flattens the whole tensor for it
     * (keras/src/backend/tensorflow/nn.py softmax, "if axis is None"). rnn4j reads null as -1 and
     * normalises each row. Either the same numbers or a refusal naming axis is right; a per-row
     * softmax is not.
     */
    @Test
    void softmaxAxisNullIsOverEverythingOrRefusedNotTheLastAxis() {
        Layer l;
        try {
            l = read("Softmax", "\"axis\": null");
        } catch (KerasFileException e) {
            assertThat(e).hasMessageContaining("axis");
            return;
        }
        float[] x = {1, 2, 3, 4, 5, 6};
        l.build(Tensor.of(x, 2, 3).shape().tail());
        float[] y = l.call(Variable.constant(Tensor.of(x, 2, 3)), null, CallContext.inference()).value().toArray();
        double sum = 0;
        for (double v : x) {
            sum += Math.exp(v);
        }
        for (int i = 0; i < x.length; i++) {
            assertThat((double) y[i]).as("Softmax(axis=None) at %s: exp(x) / sum over the whole (2, 3) tensor", x[i])
                    .isCloseTo(Math.exp(x[i]) / sum, org.assertj.core.api.Assertions.within(1e-6));
        }
    }
}
