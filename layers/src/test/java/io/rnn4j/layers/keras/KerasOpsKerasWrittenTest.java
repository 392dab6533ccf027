package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A .keras file written by Keras 3.15.1 itself (KERAS_BACKEND=jax; keras3-ops/make_keras_ops.py, seed 7)
 * with operations between layers: {@code 1 - d * 0.5}, {@code 2 / (relu(x) + 1)}, {@code x / 3} (Python
 * ints written as JSON ints), tanh, softmax(axis=1), max(axis=1, initial=0.25), min(axis=[1, 2],
 * keepdims=True), squeeze(None), expand_dims, transpose, matmul, reshape, mean, sum, negative,
 * ops.concatenate; Dense ... Dense around them (weight paths layers/dense, layers/dense_1); an
 * Embedding(mask_zero) whose mask an operation drops before one LSTM ({@code e * 1.0}: Keras writes
 * that LSTM's call with {@code "mask": null}) and, beside it, an Embedding(mask_zero) -> LSTM whose
 * call Keras 3.15.1 writes with {@code "mask"} a tensor of a NotEqual operation
 * (Embedding.compute_mask's ops.not_equal, recorded in the graph); a Concatenate layer after an
 * ops.concatenate. Its predictions on x_a/x_tok are y.npy (jax backend, float32).
 */
class KerasOpsKerasWrittenTest {

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(KerasOpsKerasWrittenTest.class.getResource("keras3-ops/" + name).toURI());
    }

    @Test
    void aKeras3151WrittenModelWithOperationsLoadsAndPredictsAsKeras() throws Exception {
        KerasModel m = Models.load(resource("keras_ops.keras"));
        Tensor a = Npy.read(resource("x_a.npy")).tensor();
        Tensor tok = Npy.read(resource("x_tok.npy")).tensor();
        Npy.Array ref = Npy.read(resource("y.npy"));
        float[] y = m.predict(List.of(a, tok)).get(0).toArray();
        assertThat(y).hasSize(ref.values().length);
        for (int i = 0; i < y.length; i++) {
            double want = ref.values()[i];
            assertThat(Math.abs(y[i] - want)).as("output %d: rnn4j %s, Keras 3.15.1 %s (bar 1e-5 + 1e-5·|ref|)", i,
                    y[i], want).isLessThanOrEqualTo(1e-5 + 1e-5 * Math.abs(want));
        }
    }
}
