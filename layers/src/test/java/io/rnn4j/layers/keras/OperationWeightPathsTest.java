package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.layers.Concatenate;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.ops.KerasOps;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keras 3 numbers a model's variable paths over {@code model.layers}, which leaves its operations
 * out (saving_lib.py _save_container_state): a Concatenate layer after an ops.concatenate is
 * "layers/concatenate", not "layers/concatenate_1", and the Dense layers around them keep their paths.
 */
class OperationWeightPathsTest {
    @Test
    void operationsTakeNoLayerPathNumber() {
        Input in = Input.shape(4, 3);
        SymbolicTensor x = new Dense(3).apply(in);
        SymbolicTensor joined = KerasOps.concatenate(List.of(x, in), 2);
        SymbolicTensor merged = new Concatenate().apply(joined, joined);
        Model m = Model.of(in, new Dense(2).apply(merged));
        List<Layer> layers = m.layers();
        List<String> paths = WeightLayout.layerPaths(layers);
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof Concatenate) {
                assertThat(paths.get(i)).as("Keras numbers model.layers only").isEqualTo("layers/concatenate");
            }
        }
        assertThat(paths).contains("layers/dense", "layers/dense_1");
    }
}
