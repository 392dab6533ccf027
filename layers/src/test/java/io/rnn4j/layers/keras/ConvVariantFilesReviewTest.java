package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.autograd.Variable;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Review of the Keras-file side of SeparableConv1D: a configuration that tf.keras 2 files hold.
 */
class ConvVariantFilesReviewTest {

    /**
     * FAILS on the current code (the reader refuses it: "padding must be 'valid' or 'same', got
     * 'causal'"). tf.keras 2's SeparableConv1D accepts padding="causal" (tf_keras
     * layers/convolutional/base_conv.py allows causal for Conv1D and SeparableConv1D) and computes
     * it by padding (kernel_size − 1)·dilation_rate zero steps on the left, then a "valid"
     * separable convolution (layers/convolutional/separable_conv1d.py call, base_conv.py
     * _compute_causal_padding); ConvVariantLayers claims to read tf.keras 2's configs. Keras 3
     * itself refuses causal here (argument_validation.standardize_padding without allow_causal),
     * so this is a tf.keras 2 file rnn4j cannot load, not a Keras 3 difference. Kernel [1, 2, 3],
     * pointwise 1, bias 0, x = 1..5: y[t] = x[t−2]·1 + x[t−1]·2 + x[t]·3 = 3, 8, 14, 20, 26.
     */
    @Test
    void tfKeras2CausalSeparableConv1DLoadsAndPadsOnTheLeft() {
        Layer l = new LayerReader(true).read(ModelReader.parse("test", "layer", """
                {"class_name": "SeparableConv1D", "config": {"name": "sep", "trainable": true, "dtype": "float32",
                 "filters": 1, "kernel_size": [3], "strides": [1], "padding": "causal", "data_format": "channels_last",
                 "dilation_rate": [1], "groups": 1, "activation": "linear", "use_bias": true,
                 "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}},
                 "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": null,
                 "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null,
                 "bias_constraint": null, "depth_multiplier": 1,
                 "depthwise_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}},
                 "pointwise_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}},
                 "depthwise_regularizer": null, "pointwise_regularizer": null, "depthwise_constraint": null,
                 "pointwise_constraint": null}}""")).layer();
        l.build(Shape.of(5, 1));
        l.setWeights(List.of(Tensor.of(new float[] {1, 2, 3}, 3, 1, 1), Tensor.of(new float[] {1}, 1, 1, 1),
                Tensor.of(new float[] {0}, 1)));
        float[] y = l.call(Variable.constant(Tensor.of(new float[] {1, 2, 3, 4, 5}, 1, 5, 1)), null,
                CallContext.inference()).value().toArray();
        assertThat(y).as("tf.keras 2 causal SeparableConv1D: (K − 1)·d zeros on the left, then 'valid'")
                .containsExactly(3, 8, 14, 20, 26);
    }
}
