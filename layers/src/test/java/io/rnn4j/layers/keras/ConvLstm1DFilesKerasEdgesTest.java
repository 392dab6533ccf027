package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.layers.ConvLSTM1D;
import org.junit.jupiter.api.Test;

/**
 * ConvLSTM1D entries of Keras files where a review against tf.keras 2's source found rnn4j apart
 * from what the file's Keras computes.
 */
class ConvLstm1DFilesKerasEdgesTest {

    /**
     * tf.keras 2 (tf_keras/layers/rnn/base_rnn.py) pops zero_output_for_mask into the layer and
     * writes it in get_config when true, but ConvRNN.call (tf_keras/layers/rnn/base_conv_rnn.py)
     * calls backend.rnn without it: a tf.keras 2 ConvLSTM1D repeats the previous output at masked
     * steps whatever its config says. rnn4j reads the key as Keras 3 does and outputs zeros there.
     */
    @Test
    void tfKeras2IgnoresZeroOutputForMaskOnConvLstm1d() {
        ConvLSTM1D c = (ConvLSTM1D) new LayerReader(true).read(ModelReader.parse("test", "layer", """
                {"class_name": "ConvLSTM1D", "config": {"name": "conv_lstm1d", "trainable": true, "dtype": "float32",
                 "return_sequences": true, "return_state": false, "go_backwards": false, "stateful": false,
                 "unroll": false, "time_major": false, "zero_output_for_mask": true, "filters": 2,
                 "kernel_size": [3], "strides": [1], "padding": "same", "data_format": "channels_last",
                 "dilation_rate": [1], "activation": "tanh", "recurrent_activation": "hard_sigmoid",
                 "use_bias": true, "unit_forget_bias": true, "dropout": 0.0, "recurrent_dropout": 0.0}}"""))
                .layer();
        assertThat(c.zeroOutputForMask()).as("tf.keras 2's ConvRNN.call never passes zero_output_for_mask to "
                + "backend.rnn (tf_keras/layers/rnn/base_conv_rnn.py): masked steps repeat the previous output")
                .isFalse();
    }
}
