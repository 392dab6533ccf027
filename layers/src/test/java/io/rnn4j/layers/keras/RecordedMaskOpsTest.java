package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Masking;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.ops.KerasOps;
import org.junit.jupiter.api.Test;

/**
 * Keras 3.15 records the masks it passes explicitly (layer.py: a layer called on a masked tensor gets
 * {@code mask=<tensor>}), with their computations as entries of their own: Masking's
 * {@code any(not_equal(x, v), axis=-1)} here (Embedding's {@code not_equal(ids, 0)} is checked on a
 * file Keras wrote, in KerasOpsKerasWrittenTest). Such a mask loads when it is the one the layer gets
 * anyway, and the model then computes as the same model built in Java; a recorded mask of another
 * value, or one used as a tensor, is refused by name.
 */
class RecordedMaskOpsTest {
    private static final String TENSOR = "{\"class_name\": \"__keras_tensor__\", \"config\": {\"shape\": %s, "
            + "\"dtype\": \"%s\", \"keras_history\": [\"%s\", 0, 0]}}";

    private static String tensor(String layer, String shape) {
        return TENSOR.formatted(shape, "float32", layer);
    }

    private static String model(double notEqualValue, String lstmArgs) {
        return """
                {"module": "keras", "class_name": "Functional", "config": {"name": "m", "trainable": true, "layers": [
                 {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 5, 2],
                  "dtype": "float32", "name": "x"}, "registered_name": null, "name": "x", "inbound_nodes": []},
                 {"module": "keras.layers", "class_name": "Masking", "config": {"name": "masking", "trainable": true,
                  "dtype": "float32", "mask_value": 0.0}, "registered_name": null, "name": "masking",
                  "inbound_nodes": [{"args": [%s], "kwargs": {}}]},
                 {"module": "keras.src.ops.numpy", "class_name": "NotEqual", "config": {"name": "not_equal"},
                  "registered_name": "NotEqual", "name": "not_equal", "inbound_nodes": [{"args": [%s, %s],
                  "kwargs": {}}]},
                 {"module": "keras.src.ops.numpy", "class_name": "Any", "config": {"name": "any", "axis": -1,
                  "keepdims": false}, "registered_name": "Any", "name": "any", "inbound_nodes": [{"args": [%s],
                  "kwargs": {}}]},
                 {"module": "keras.layers", "class_name": "LSTM", "config": {"name": "lstm", "trainable": true,
                  "dtype": "float32", "units": 3}, "registered_name": null, "name": "lstm",
                  "inbound_nodes": [{"args": [%s], "kwargs": {"training": false, "mask": %s}}]}],
                 "input_layers": [["x", 0, 0]], "output_layers": [["lstm", 0, 0]]}}"""
                .formatted(tensor("x", "[null, 5, 2]"), tensor("x", "[null, 5, 2]"), notEqualValue,
                        tensor("not_equal", "[null, 5, 2]"), lstmArgs, tensor("any", "[null, 5]"));
    }

    private static KerasModel read(String json) {
        return new ModelReader("m.json", false).read(ModelReader.parse("m.json", "config", json), null, null);
    }

    @Test
    void maskingsRecordedMaskLoadsAndComputesAsTheJavaModel() {
        KerasModel loaded = read(model(0.0, tensor("masking", "[null, 5, 2]")));
        Sequential java = Sequential.of(Input.shape(5, 2), new Masking(), new LSTM(3));
        java.layers().get(1).setWeights(loaded.functional().layer("lstm").getWeights());
        Tensor x = Tensor.of(new float[] {1, 2, 0, 0, 3, -1, 0, 0, 0, 0, 0.5f, 0.5f, 0, 0, 0, 0, 2, 2, 1, 1}, 2, 5, 2);
        assertThat(loaded.predict(x).toArray()).as("the recorded mask is the one Masking passes on")
                .isEqualTo(java.predict(x).toArray());
    }

    @Test
    void aRecordedMaskOfAnotherValueIsReadAsTheOperationsItIs() {
        // any(not_equal(x, 1.0), axis=-1) given to the LSTM after a Masking of 0.0: an explicit mask
        KerasModel loaded = read(model(1.0, tensor("masking", "[null, 5, 2]")));
        Input in = Input.shape(5, 2);
        SymbolicTensor mask = KerasOps.any(KerasOps.notEqual(in, 1.0), -1, false);
        Model java = Model.of(in, new LSTM(3).applyWithMask(new Masking().apply(in), mask));
        java.layers().get(java.layers().size() - 1).setWeights(loaded.functional().layer("lstm").getWeights());
        Tensor x = Tensor.of(new float[] {1, 1, 0, 0, 3, -1, 1, 1, 0, 0, 0.5f, 0.5f, 0, 0, 1, 1, 2, 2, 1, 1}, 2, 5, 2);
        assertThat(loaded.predict(x).toArray()).as("the explicit mask any(x != 1)")
                .isEqualTo(java.predict(x).toArray());
    }

    @Test
    void aRecordedMaskUsedAsATensorIsRefused() {
        assertThatThrownBy(() -> read(model(0.0, tensor("any", "[null, 5]"))))
                .isInstanceOf(KerasFileException.class)
                .hasMessageContaining("the mask computed by 'any' as a tensor");
    }
}
