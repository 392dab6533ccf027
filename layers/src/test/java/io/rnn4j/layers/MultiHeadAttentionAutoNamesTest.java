package io.rnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Keras 3.15.1 builds MultiHeadAttention's own Softmax and Dropout layers in _build_attention
 * (multi_head_attention.py:455-458) with auto names, which take "softmax" and "dropout" from the
 * session's counters: in the keras-io Transformer example the Dropout after the first attention is
 * "dropout_1" (checked by running Keras 3.15.1: dropout_1, dropout_2, dropout_4, dropout_5, ...),
 * as TimeseriesClassificationTransformerTest's summary rows expect.
 */
class MultiHeadAttentionAutoNamesTest {

    @Test
    void aBuiltMultiHeadAttentionTakesTheDropoutAndSoftmaxAutoNamesAsKeras3Does() {
        Session.clear();
        Input in = Input.shape(5, 4);
        SymbolicTensor x = new MultiHeadAttention(2, 3).dropout(0.25f).apply(in.symbolic(), in.symbolic());
        Dropout d = new Dropout(0.25f);
        d.apply(x);
        Softmax s = new Softmax();
        assertThat(d.name()).as("Keras 3.15.1: MHA's own Dropout took 'dropout'").isEqualTo("dropout_1");
        assertThat(s.name()).as("Keras 3.15.1: MHA's own Softmax took 'softmax'").isEqualTo("softmax_1");
    }
}
