package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.GlobalAveragePooling1D;
import io.rnn4j.layers.GlobalMaxPooling1D;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.autograd.Variable;
import org.junit.jupiter.api.Test;

/**
 * Keras file entries for the noise and global pooling layers that their own tests leave out, read
 * against Keras 3's source: rate 1 (refused before, as Keras 3 takes it) and tf.keras's pooling
 * configs without keepdims.
 */
class PoolingAndDropoutEntriesTest {

    private static Layer read(boolean keras2, String json) {
        return new LayerReader(keras2).read(ModelReader.parse("test", "layer", json)).layer();
    }

    /**
     * Keras 3 constructs SpatialDropout1D, GaussianDropout and AlphaDropout with rate 1 (each
     * __init__ checks {@code 0 <= rate <= 1}: keras/src/layers/regularization/{dropout,
     * gaussian_dropout,alpha_dropout}.py), so a .keras file holding one loads and predicts (at
     * inference each is the identity). Only training differs: SpatialDropout1D gives zeros
     * (keras/src/backend/tensorflow/random.py dropout, {@code rate == 1.0}), the other two raise
     * ZeroDivisionError in call, which training refuses here by name.
     */
    @Test
    void rateOneEntriesLoadAndPredictAsKeras3() {
        Tensor x = Tensor.of(new float[] {1, -2, 3, 4}, 1, 2, 2);
        for (String entry : new String[] {
            """
            {"module": "keras.layers", "class_name": "SpatialDropout1D", "config": {"rate": 1.0, "seed": null,
             "name": "sd", "dtype": "float32"}, "registered_name": null}""",
            """
            {"module": "keras.layers", "class_name": "GaussianDropout", "config": {"name": "gd", "trainable": true,
             "dtype": "float32", "rate": 1.0, "seed": null}, "registered_name": null}""",
            """
            {"module": "keras.layers", "class_name": "AlphaDropout", "config": {"name": "ad", "trainable": true,
             "dtype": "float32", "rate": 1.0, "seed": null, "noise_shape": null}, "registered_name": null}"""}) {
            Layer l = read(false, entry);
            l.build(Shape.of(2, 2));
            assertThat(l.call(Variable.constant(x), null, CallContext.inference()).value().toArray())
                    .as("%s of rate 1 at inference: the identity, as Keras 3", l.className())
                    .containsExactly(x.toArray());
            if (l.className().equals("SpatialDropout1D")) {
                assertThat(l.call(Variable.constant(x), null, CallContext.training(Seeds.of(5))).value().toArray())
                        .as("SpatialDropout1D of rate 1 in training: zeros (TensorFlow's dropout)")
                        .containsOnly(0f);
            } else {
                assertThatThrownBy(() -> l.call(Variable.constant(x), null, CallContext.training(Seeds.of(5))))
                        .as("%s of rate 1 in training: Keras raises ZeroDivisionError", l.className())
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("rate 1 has no finite noise");
            }
        }
    }

    /**
     * tf.keras before 2.6 wrote global pooling configs without keepdims (Keras 2's
     * GlobalPooling1D.get_config held data_format only): they load with keepdims false, and
     * data_format is taken in any case as Keras 3's standardize_data_format takes it.
     */
    @Test
    void tfKerasPoolingEntriesWithoutKeepdimsLoad() {
        GlobalAveragePooling1D avg = (GlobalAveragePooling1D) read(true, """
                {"class_name": "GlobalAveragePooling1D", "config": {"name": "gap", "trainable": true,
                 "dtype": "float32", "data_format": "channels_last"}}""");
        assertThat(avg.keepdims()).isFalse();
        assertThat(avg.dataFormat()).isEqualTo("channels_last");
        GlobalMaxPooling1D max = (GlobalMaxPooling1D) read(true, """
                {"class_name": "GlobalMaxPooling1D", "config": {"name": "gmp", "trainable": true,
                 "dtype": "float32", "data_format": "Channels_First"}}""");
        assertThat(max.keepdims()).isFalse();
        assertThat(max.dataFormat()).isEqualTo("channels_first");
        max.build(Shape.of(3, 2));
        assertThat(max.call(Variable.constant(Tensor.of(new float[] {1, 5, 3, -2, 0, 4}, 1, 3, 2)), null,
                CallContext.inference()).value().toArray()).as("max over the last axis").containsExactly(5f, 3f, 4f);
    }
}
