package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Layer;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * A .keras file written by Keras 3.15.1 itself (KERAS_BACKEND=jax; keras3-ops/make_keras_ops.py, seed 7)
 * with operations between layers: {@code 1 - d * 0.5}, {@code 2 / (relu(x) + 1)}, {@code x / 3} (Python
 * ints written as JSON ints), tanh, softmax(axis=1), max(axis=1, initial=0.25), min(axis=[1, 2],
 * keepdims=True), squeeze(None), expand_dims, transpose, matmul, reshape, mean, sum, negative,
 * ops.concatenate; Dense ... Dense around them (weight paths layers/dense, layers/dense_1); an
 * Embedding(mask_zero) whose mask an operation drops before one LSTM ({@code e * 1.0}: Keras writes
 * that LSTM's call with {@code "mask": null}); a Concatenate layer after an ops.concatenate. Its
 * predictions on x_a/x_tok are y.npy (jax backend, float32).
 *
 * <p>And keras_mask_lstm.keras (make_keras_mask_lstm.py, seed 11): Embedding(mask_zero) -> LSTM ->
 * Dense, functional. Keras 3.15.1 records Embedding.compute_mask's {@code ops.not_equal(inputs, 0)}
 * as a NotEqual operation in the graph (layer.py Layer.__call__ step 6 puts the mask in the call's
 * kwargs; Operation.symbolic_call records the op) and writes the LSTM's call with
 * {@code "kwargs": {"training": false, "mask": <tensor of not_equal>}}: every Keras 3 functional
 * model with a masking layer before a layer that takes the mask is written so.
 *
 * <p>And keras_elementwise_ops.keras (make_elementwise_ops.py) and keras_more_ops.keras
 * (make_more_ops.py, seed 23: Power with a number on either side, Clip, Cast, Sign, Floor, Ceil,
 * Round, Stack), each op on its own Dense branch, predicting their y_*.npy and saved back bit for bit.
 *
 * <p>And keras_where_ops.keras (make_where_ops.py, seed 29): comparisons, logical operations and where
 * on Dense branches (a NotEqual there is an operation, not a mask), the bools cast to float32 or fed to
 * where, predicting y_where.npy and saved back bit for bit.
 */
class KerasOpsKerasWrittenTest {

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(KerasOpsKerasWrittenTest.class.getResource("keras3-ops/" + name).toURI());
    }

    /** Each output within 1e-5 + 1e-5·|ref| of Keras's; {@code where} names output i's op or branch. */
    private static void closeToKeras(float[] y, Npy.Array ref, IntFunction<String> where) {
        assertThat(y).hasSize(ref.values().length);
        for (int i = 0; i < y.length; i++) {
            double want = ref.values()[i];
            assertThat(Math.abs(y[i] - want)).as("output %d %s: rnn4j %s, Keras 3.15.1 %s (bar 1e-5 + 1e-5·|ref|)",
                    i, where.apply(i), y[i], want).isLessThanOrEqualTo(1e-5 + 1e-5 * Math.abs(want));
        }
    }

    /** The model saved by rnn4j and loaded back predicts {@code y} on {@code x} bit for bit. */
    private static void savedBackBitForBit(KerasModel m, Tensor x, float[] y) throws IOException {
        Path copy = Files.createTempFile("saved_back", ".keras");
        try {
            Models.save(m, copy);
            assertThat(Models.load(copy).predict(x).toArray()).as("saved and loaded back, bit for bit")
                    .containsExactly(y);
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    @Test
    void aKeras3151WrittenModelWithOperationsLoadsAndPredictsAsKeras() throws Exception {
        KerasModel m = Models.load(resource("keras_ops.keras"));
        Tensor a = Npy.read(resource("x_a.npy")).tensor();
        Tensor tok = Npy.read(resource("x_tok.npy")).tensor();
        Npy.Array ref = Npy.read(resource("y.npy"));
        float[] y = m.predict(List.of(a, tok)).get(0).toArray();
        closeToKeras(y, ref, i -> "");
    }

    @Test
    void aKeras3151FunctionalEmbeddingMaskZeroLstmLoadsWithItsNotEqualMaskKwarg() throws Exception {
        KerasModel m = Models.load(resource("keras_mask_lstm.keras"));
        Tensor tok = Npy.read(resource("x_mask_tok.npy")).tensor();
        Npy.Array ref = Npy.read(resource("y_mask.npy"));
        float[] y = m.predict(tok).toArray();
        closeToKeras(y, ref, i -> "");
    }

    @Test
    void aKeras3151WrittenModelWithEveryElementwiseOpLoadsPredictsAndSavesBackAsKeras() throws Exception {
        // make_elementwise_ops.py: negative ... log_softmax, Gelu both ways, each on its own Dense; maximum, minimum
        KerasModel m = Models.load(resource("keras_elementwise_ops.keras"));
        Tensor x = Npy.read(resource("x_elementwise.npy")).tensor();
        Npy.Array ref = Npy.read(resource("y_elementwise.npy"));
        float[] y = m.predict(x).toArray();
        closeToKeras(y, ref, i -> "op " + (i % 136 / 4));
        savedBackBitForBit(m, x, y);
    }

    @Test
    void aKeras3151WrittenModelWithPowerClipCastAndRoundingsLoadsPredictsAndSavesBackAsKeras() throws Exception {
        // make_more_ops.py: x ** 2, power(x, 3), x ** 0.5, x ** -1.5, x ** 2.7, x ** 0, 2 ** x, power(0.5, x), clip,
        // cast to float32, sign, floor, ceil, round (decimals 0, 2, -1), stack (axis 2, -2), each on its own Dense
        KerasModel m = Models.load(resource("keras_more_ops.keras"));
        Tensor x = Npy.read(resource("x_more.npy")).tensor();
        Npy.Array ref = Npy.read(resource("y_more.npy"));
        float[] y = m.predict(x).toArray();
        closeToKeras(y, ref, i -> "op " + (i % 80 < 64 ? i % 80 / 4 : 16 + (i % 80 - 64) / 8));
        savedBackBitForBit(m, x, y);
    }

    @Test
    void aKeras3151WrittenModelWithComparisonsLogicalOpsAndWhereLoadsPredictsAndSavesBackAsKeras() throws Exception {
        KerasModel m = Models.load(resource("keras_where_ops.keras"));
        assertThat(m.functional().layers()).extracting(Layer::className).contains("Greater", "GreaterEqual",
                "LessEqual", "Less", "Equal", "NotEqual", "LogicalAnd", "LogicalOr", "LogicalNot", "Where", "Cast");
        Tensor x = Npy.read(resource("x_where.npy")).tensor();
        Npy.Array ref = Npy.read(resource("y_where.npy"));
        float[] y = m.predict(x).toArray();
        closeToKeras(y, ref, i -> "branch " + (i % 24 / 4));
        savedBackBitForBit(m, x, y);
    }
}
