package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import io.rnn4j.engine.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Keras 3 functional model (as {@code to_json()} writes it: {@code args}/{@code kwargs} with
 * {@code __keras_tensor__} histories) with two inputs, the second given as the GRU's
 * {@code initial_state}, and return_state adding a second output. The weights are frugally-deep's
 * toy GRU (kernel [[1,-2,3]], recurrent_kernel [[-0.5,2,-1.1]]), so the outputs are the ones
 * TensorFlow printed in its temp_rnn_results.txt.
 */
class FunctionalTest {
    private static final String JSON = """
            {"module": "keras", "class_name": "Functional", "config": {"name": "functional", "trainable": true,
             "layers": [
              {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 3, 1],
               "dtype": "float32", "sparse": false, "name": "input_layer"}, "registered_name": null,
               "name": "input_layer", "inbound_nodes": []},
              {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 1],
               "dtype": "float32", "sparse": false, "name": "input_layer_1"}, "registered_name": null,
               "name": "input_layer_1", "inbound_nodes": []},
              {"module": "keras.layers", "class_name": "GRU", "config": {"name": "gru", "trainable": true,
               "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"},
               "registered_name": null}, "return_sequences": true, "return_state": true, "go_backwards": false,
               "stateful": false, "unroll": false, "zero_output_for_mask": false, "units": 1,
               "activation": "linear", "recurrent_activation": "sigmoid", "use_bias": false, "dropout": 0.0,
               "recurrent_dropout": 0.0, "reset_after": true, "seed": null}, "registered_name": null,
               "build_config": {"input_shape": [null, 3, 1]}, "name": "gru",
               "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"shape": [null, 3, 1],
               "dtype": "float32", "keras_history": ["input_layer", 0, 0]}}], "kwargs": {"initial_state":
               [{"class_name": "__keras_tensor__", "config": {"shape": [null, 1], "dtype": "float32",
               "keras_history": ["input_layer_1", 0, 0]}}], "training": false, "mask": null}}]}],
             "input_layers": [["input_layer", 0, 0], ["input_layer_1", 0, 0]],
             "output_layers": [["gru", 0, 0], ["gru", 0, 1]]}, "registered_name": null}
            """;

    @TempDir
    Path tmp;

    @Test
    void twoInputsInitialStateAndReturnState() throws IOException {
        Path json = Files.writeString(tmp.resolve("model.json"), JSON);
        Path weights = tmp.resolve("model.weights.h5");
        try (WritableHdfFile h5 = HdfFile.write(weights)) {
            WritableGroup vars = h5.putGroup("layers").putGroup("gru").putGroup("cell").putGroup("vars");
            vars.putDataset("0", new float[][] {{1, -2, 3}});
            vars.putDataset("1", new float[][] {{-0.5f, 2, -1.1f}});
        }
        KerasModel m = Models.load(json, weights);
        assertThat(m.isSequential()).isFalse();
        assertThat(m.inputCount()).isEqualTo(2);
        List<Tensor> y = m.predict(List.of(Tensor.of(new float[] {1, 0, 0}, 1, 3, 1), Tensor.of(new float[] {10}, 1, 1)));
        assertThat(y).hasSize(2);
        Keras2FilesTest.assertClose("sequence", y.get(0),
                Tensor.of(new float[] {-7.676248f, -7.5144324f, -7.3429837f}, 1, 3, 1), 1e-5);
        Keras2FilesTest.assertClose("returned state", y.get(1), Tensor.of(new float[] {-7.3429837f}, 1, 1), 1e-5);
        assertThatThrownBy(() -> m.predict(Tensor.of(new float[] {1, 0, 0}, 1, 3, 1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("use predict(List)");
        assertThatThrownBy(() -> m.sequential()).isInstanceOf(IllegalStateException.class);
    }
}
